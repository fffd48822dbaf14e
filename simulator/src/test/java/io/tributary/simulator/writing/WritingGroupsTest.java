package io.tributary.simulator.writing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class WritingGroupsTest {
    private static final ChunkId ID = new ChunkId("run-w", new UUID(7, 9), 3);
    private static final int EOS = SpecialTokens.EOS;

    /** Three responses: two drew EOS (one of them at once), one was cut at the cap. */
    static List<WritingGroups.Response> responses() {
        return List.of(
                new WritingGroups.Response(new int[] {10, 11, 12, EOS}, new float[] {-1f, -2f, -0.5f, -0.1f}, true),
                new WritingGroups.Response(new int[] {EOS}, new float[] {-3f}, true),
                new WritingGroups.Response(new int[] {20, 21, 22, 23, 24}, new float[] {-1f, -1f, -1f, -1f, -1f}, false));
    }

    static TrajectoryChunk chunk() {
        return WritingGroups.build(ID, 2, 41L, 5L, 17, new int[] {100, SpecialTokens.SEP, 200, SpecialTokens.SEP, 30},
                responses(), 1_000L);
    }

    @Test
    void layoutIsTheDocumentedOne() {
        TrajectoryChunk c = chunk();
        assertEquals(WritingGroups.ENV_NAME, c.envName());
        assertEquals(10, c.steps(), "steps = all response tokens, EOS included");
        assertEquals(0, c.observationSize());
        assertEquals(0, c.observations().length);
        assertEquals(0, c.bootstrapObservation().length);
        assertEquals(1, c.actionSize());
        assertArrayEquals(new int[] {0, 4, 5, 10}, c.segmentOffsets());
        assertArrayEquals(new int[] {17, 100, SpecialTokens.SEP, 200, SpecialTokens.SEP, 30}, c.context());
        assertArrayEquals(new float[] {10, 11, 12, EOS, EOS, 20, 21, 22, 23, 24}, c.actions());
        assertArrayEquals(new float[] {-1f, -2f, -0.5f, -0.1f, -3f, -1f, -1f, -1f, -1f, -1f}, c.logProbs());
        for (int t = 0; t < c.steps(); t++) {
            assertEquals(t == 3 || t == 4, c.terminated()[t], "terminated at step " + t);
            assertEquals(t == 9, c.truncated()[t], "truncated at step " + t);
            assertEquals(0f, c.rewards()[t]);
            assertEquals(0f, c.values()[t]);
        }
        assertEquals(41L, c.episodeId());
        assertEquals(0, c.chunkIndex());
        assertEquals(5L, c.policyVersion());
        assertEquals(2, c.envIndex());
        assertEquals(3, c.segmentCount());
    }

    @Test
    void readGivesTheGroupBack() {
        WritingGroups.Group g = WritingGroups.read(chunk());
        assertEquals(17, g.promptId());
        assertArrayEquals(new int[] {100, SpecialTokens.SEP, 200, SpecialTokens.SEP, 30}, g.promptTokens());
        assertEquals(3, g.size());
        List<WritingGroups.Response> want = responses();
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(want.get(i).tokens(), g.responses().get(i).tokens());
            assertArrayEquals(want.get(i).logProbs(), g.responses().get(i).logProbs());
            assertEquals(want.get(i).endedWithEos(), g.responses().get(i).endedWithEos());
        }
        assertEquals(3, g.responses().get(0).words());
        assertEquals(0, g.responses().get(1).words());
        assertEquals(5, g.responses().get(2).words());
    }

    @Test
    void responseRejectsEosInsideAndAMismatchedFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WritingGroups.Response(new int[] {EOS, 9}, new float[] {-1f, -1f}, false));
        assertTrue(e.getMessage().contains("EOS may only be a response's last token"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new WritingGroups.Response(new int[] {9, EOS}, new float[] {-1f, -1f}, false));
        assertTrue(e.getMessage().contains("endedWithEos=false"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new WritingGroups.Response(new int[] {9, 8}, new float[] {-1f, 0.5f}, false));
        assertTrue(e.getMessage().contains("logProb=0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new WritingGroups.Response(new int[] {9, 8}, new float[] {-1f}, false));
        assertTrue(e.getMessage().contains("logProbs=1"), e.getMessage());
    }

    @Test
    void readRejectsAnUnsegmentedChunk() {
        TrajectoryChunk c = chunk();
        boolean[] term = new boolean[c.steps()];
        term[c.steps() - 1] = true;
        TrajectoryChunk flat = copy(c, x -> { }, new int[0], c.context(), term, new boolean[c.steps()]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WritingGroups.read(flat));
        assertTrue(e.getMessage().contains("must be segmented"), e.getMessage());
        assertTrue(e.getMessage().contains("chunk=" + ID), e.getMessage());
    }

    @Test
    void readRejectsAMissingPromptContext() {
        TrajectoryChunk c = chunk();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WritingGroups.read(copy(c, x -> { }, c.segmentOffsets(), new int[] {17}, c.terminated(), c.truncated())));
        assertTrue(e.getMessage().contains("context.length=1"), e.getMessage());
    }

    @Test
    void readRejectsATerminalFlagInsideAResponse() {
        TrajectoryChunk c = chunk();
        boolean[] term = c.terminated().clone();
        term[1] = true;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WritingGroups.read(copy(c, x -> { }, c.segmentOffsets(), c.context(), term, c.truncated())));
        assertTrue(e.getMessage().contains("only a response's last token may end it: response=0, step=1"), e.getMessage());
    }

    @Test
    void readRejectsAResponseWithoutAnEndFlagOrWithBoth() {
        TrajectoryChunk c = chunk();
        boolean[] trunc = c.truncated().clone();
        trunc[9] = false;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WritingGroups.read(copy(c, x -> { }, c.segmentOffsets(), c.context(), c.terminated(), trunc)));
        assertTrue(e.getMessage().contains("exactly one of terminated"), e.getMessage());
        assertTrue(e.getMessage().contains("response=2"), e.getMessage());
        boolean[] both = c.truncated().clone();
        both[3] = true;
        e = assertThrows(IllegalArgumentException.class,
                () -> WritingGroups.read(copy(c, x -> { }, c.segmentOffsets(), c.context(), c.terminated(), both)));
        assertTrue(e.getMessage().contains("response=0"), e.getMessage());
    }

    @Test
    void readRejectsTerminatedWithoutEosAndNonIntegerActions() {
        TrajectoryChunk c = chunk();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WritingGroups.read(copy(c, a -> a[3] = 13, c.segmentOffsets(), c.context(), c.terminated(), c.truncated())));
        assertTrue(e.getMessage().contains("terminated exactly when its last token is EOS: response=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> WritingGroups.read(copy(c, a -> a[6] = 21.5f, c.segmentOffsets(), c.context(), c.terminated(), c.truncated())));
        assertTrue(e.getMessage().contains("action=21.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> WritingGroups.read(copy(c, a -> a[6] = -1f, c.segmentOffsets(), c.context(), c.terminated(), c.truncated())));
        assertTrue(e.getMessage().contains("action=-1.0"), e.getMessage());
    }

    @Test
    void buildRejectsAnEmptyGroup() {
        assertThrows(IllegalArgumentException.class,
                () -> WritingGroups.build(ID, 0, 0L, 0L, 1, new int[] {5}, List.of(), 0L));
        assertFalse(WritingGroups.read(chunk()).responses().isEmpty());
    }

    /** A copy of {@code c} with edited actions, offsets, context and flags (to break one rule at a time). */
    private static TrajectoryChunk copy(TrajectoryChunk c, Consumer<float[]> editActions, int[] offsets, int[] context,
                                        boolean[] terminated, boolean[] truncated) {
        float[] actions = c.actions().clone();
        editActions.accept(actions);
        return new TrajectoryChunk(c.id(), c.envName(), c.envIndex(), c.episodeId(), c.chunkIndex(), c.policyVersion(),
                c.steps(), c.observationSize(), c.observations(), c.actionSize(), actions, c.logProbs(), c.values(),
                c.rewards(), terminated, truncated, c.bootstrapObservation(), offsets, context, c.depth(),
                c.createdAtMicros());
    }
}
