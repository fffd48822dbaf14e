package io.tributary.rewards.writing;

import io.tributary.simulator.random.SplitMix64;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingPrompt;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * The reward model {@code writing-judge}: BRPO's rewards for one writing group chunk
 * ({@link io.tributary.simulator.writing.WritingGroups}'s layout) from a pairwise judge. The responses are
 * decoded to text ({@link WritingChunk}), a reference is drawn uniformly from the group, every other response
 * is judged against it in both orderings ({@link BrpoRewards}): +1 when it wins both, −1 otherwise, 0 for the
 * reference.
 *
 * <p><b>Where the rewards go:</b> R_i on the last token of response i, 0 on every other step (the learner
 * reads response i's reward at {@code segmentOffsets[i + 1] - 1}, {@link WritingChunk#responseRewards}, and
 * gives it to every token of the response as BRPO's advantage). The skew filter is the learner's (it
 * recomputes |Σ R| / G from those rewards); the {@link WritingGroupFigures} report it too.
 *
 * <p><b>Determinism:</b> the reference index comes from a {@link SplitMix64} seeded by the model's
 * {@code seed} option (the run seed) mixed with the chunk id (run id, worker incarnation, sequence), so
 * re-scoring the same chunk gives the same reference and — with a deterministic judge — the same rewards,
 * while different chunks draw independent references.
 */
public final class WritingJudgeRewardModel implements WritingRewardModel {
    /** The reward model's name. */
    public static final String ID = "writing-judge";
    /** Version written into scored chunks; bump it when the reward assignment changes. */
    public static final long VERSION = 1;

    private final PairwiseJudge judge;
    private final long seed;
    private final double skewThreshold;
    private final Map<Integer, WritingPrompt> prompts;
    private final WordTokenizer tokenizer;
    private WritingGroupFigures last;
    private FiguresListener listener;

    /**
     * A model judging with {@code judge}.
     *
     * @param seed          the run seed, mixed with each chunk's id to draw its reference
     * @param skewThreshold the skew filter threshold the figures report against, in [0, 1]
     * @param prompts       the prompt set by id (chunks naming another id are unscorable)
     * @param tokenizer     the vocabulary the policy samples from
     */
    public WritingJudgeRewardModel(PairwiseJudge judge, long seed, double skewThreshold, Map<Integer, WritingPrompt> prompts,
                                   WordTokenizer tokenizer) {
        this.judge = Objects.requireNonNull(judge, "judge");
        if (!(skewThreshold >= 0 && skewThreshold <= 1)) {
            throw new IllegalArgumentException("skewThreshold must lie in [0, 1]: skewThreshold=" + skewThreshold);
        }
        this.seed = seed;
        this.skewThreshold = skewThreshold;
        this.prompts = Map.copyOf(prompts);
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public long version() {
        return VERSION;
    }

    /** The judge in use. */
    public PairwiseJudge judge() {
        return judge;
    }

    /** The run seed the references are drawn from. */
    public long seed() {
        return seed;
    }

    /**
     * BRPO rewards on each response's last token.
     *
     * @throws IllegalArgumentException (key=value details) when the chunk is not a scorable writing group
     *                                  ({@link WritingChunk#decode}) or holds fewer than 2 responses
     */
    @Override
    public float[] scoreChunk(TrajectoryChunk chunk) {
        WritingChunk group = WritingChunk.decode(chunk, prompts, tokenizer);
        if (group.size() < 2) {
            throw new IllegalArgumentException("a BRPO group needs at least 2 responses: G=" + group.size()
                    + ", chunk=" + chunk.id());
        }
        int reference = referenceIndex(seed, chunk.id(), group.size());
        GroupRewards rewards = BrpoRewards.assign(group.prompt(), group.texts(), judge, reference, skewThreshold);
        int[] lengths = new int[group.size()];
        int[] explanation = new int[group.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = group.words().get(i).size();
            explanation[i] = ExplanationDetector.explanationTokens(group.words().get(i));
        }
        WritingGroupFigures figures = new WritingGroupFigures(ID, chunk.id().toString(), group.prompt().id(),
                chunk.policyVersion(), lengths, explanation, rewards.rewards(), reference, rewards.skew(),
                rewards.filtered(), rewards.pairs());
        last = figures;
        if (listener != null) {
            listener.onGroupScored(figures);
        }
        return group.lastTokenRewards(rewards.rewards());
    }

    /**
     * The reference index of a group: uniform in [0, G) from a generator seeded by {@code seed} mixed with
     * every part of the chunk id, so it is a pure function of (seed, chunk id, G).
     */
    public static int referenceIndex(long seed, ChunkId id, int g) {
        SplitMix64 rng = new SplitMix64(seed);
        long h = rng.nextLong() ^ fnv1a64(id.runId());
        rng.reseed(h);
        h = rng.nextLong() ^ id.workerIncarnation().getMostSignificantBits();
        rng.reseed(h);
        h = rng.nextLong() ^ id.workerIncarnation().getLeastSignificantBits();
        rng.reseed(h);
        h = rng.nextLong() ^ id.sequence();
        rng.reseed(h);
        return rng.nextInt(g);
    }

    private static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Override
    public WritingGroupFigures lastGroupFigures() {
        return last;
    }

    @Override
    public void setFiguresListener(FiguresListener listener) {
        this.listener = listener;
    }
}
