package io.tributary.rewards.writing.http;

import static io.tributary.rewards.writing.http.FakeChatServer.completion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tributary.rewards.RewardModel;
import io.tributary.rewards.RewardSettings;
import io.tributary.rewards.writing.WritingChunk;
import io.tributary.rewards.writing.WritingGroupFigures;
import io.tributary.rewards.writing.WritingJudgeRewardModel;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.simulator.writing.SpecialTokens;
import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingGroups;
import io.tributary.simulator.writing.WritingPrompt;
import io.tributary.simulator.writing.WritingPrompts;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code writing-judge} with {@code judge = http}: a group chunk scored through a local chat-completions server. */
class WritingJudgeOverHttpTest {
    private final FakeChatServer server = new FakeChatServer();

    @AfterEach
    void stop() {
        server.close();
    }

    private RewardModel model() {
        String conf = "tributary.reward-models { model = writing-judge, options { judge = http, seed = 3 }, "
                + "judge.http { base-url = \"" + server.baseUrl() + "\", max-attempts = 1, initial-backoff = 0ms } }";
        var config = ConfigFactory.parseString(conf).withFallback(ConfigFactory.defaultReference()).resolve();
        return RewardSettings.fromConfig(config).create(config);
    }

    private static TrajectoryChunk group(int g) {
        WordTokenizer tok = WordTokenizer.standard();
        WritingPrompt p = WritingPrompts.load().training().get(0);
        List<WritingGroups.Response> rs = new ArrayList<>();
        for (int i = 0; i < g; i++) {
            int[] tokens = {SpecialTokens.FIRST_WORD + 60 + i, SpecialTokens.FIRST_WORD + 61 + i, SpecialTokens.EOS};
            rs.add(new WritingGroups.Response(tokens, new float[] {-1f, -1f, -1f}, true));
        }
        return WritingGroups.build(new ChunkId("run-http", new UUID(1, 2), 5), 0, 5, 1, p.id(), tok.promptTokens(p), rs, 0L);
    }

    @Test
    void aJudgeThatPrefersTheFirstShownResponseGivesEveryoneMinusOne() {
        // A pure position-bias judge: A always wins, so no response wins both orderings against the reference.
        server.otherwise(req -> completion("PRINCIPLES:\n- keywords\nCRITIQUE: A reads better.\nSCORES: 7 3"));
        TrajectoryChunk c = group(4);
        try (RewardModel m = model()) {
            double[] r = WritingChunk.responseRewards(c, m.scoreChunk(c));
            WritingGroupFigures f = ((WritingJudgeRewardModel) m).lastGroupFigures();
            assertEquals(6, server.requests(), "3 pairs x 2 orderings");
            for (int i = 0; i < 4; i++) {
                assertEquals(i == f.referenceIndex() ? 0 : -1, r[i], "response " + i);
            }
            assertEquals(0.0, f.swapConsistency(), "a position-bias judge is never swap-consistent");
            assertEquals(0.75, f.skew(), 1e-12);
            assertTrue(f.filtered());
        }
    }

    @Test
    void aMalformedReplyFailsTheScoreWithTheRawText() {
        server.otherwise(req -> completion("I think A is better."));
        TrajectoryChunk c = group(3);
        try (RewardModel m = model()) {
            JudgeReplyException e = assertThrows(JudgeReplyException.class, () -> m.scoreChunk(c));
            assertTrue(e.getMessage().contains("I think A is better."), e.getMessage());
        }
    }
}
