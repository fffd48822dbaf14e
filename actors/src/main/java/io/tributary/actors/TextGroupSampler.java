package io.tributary.actors;

import ai.djl.ndarray.NDManager;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.lm.GruLanguageModel;
import io.tributary.learner.lm.LmSampler;
import io.tributary.learner.lm.LmSamples;
import io.tributary.simulator.random.SplitMix64;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingGroups;
import io.tributary.simulator.writing.WritingPrompt;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The work of the text rollout role without the actor around it: follows published SEQUENCE snapshots (a
 * {@link GruLanguageModel} rebuilt from each, DJL inference in the worker: issue 10's documented deviation
 * from pure-Java worker inference), draws a training prompt and samples G responses to it with
 * {@link LmSampler} at the learner's temperature, capped at the prompt's {@link WritingPrompt#lengthCap()},
 * and lays the group out as one chunk with {@link WritingGroups#build}.
 *
 * <p>Group {@code k} of a sampler is a function of (seed, k, the policy's weights) only: the prompt and the
 * sampling seed both come from {@code mix(seed, k)}, so a restarted worker that carries its group counter on
 * draws what its predecessor would have drawn next, and two workers with different seeds draw differently.
 * Only the prompt set's training split is ever drawn (the held-out prompts are for evaluation).
 * One sampler serves one thread.
 */
public final class TextGroupSampler implements AutoCloseable {
    private final WordTokenizer tokenizer;
    private final List<WritingPrompt> prompts;
    private final List<int[]> promptTokens;
    private final int groupSize;
    private final float temperature;
    private final long seed;
    private final NDManager manager = NDManager.newBaseManager();
    private GruLanguageModel model;
    private LmSampler sampler;
    private long version = -1;

    /**
     * @param tokenizer   the writing tokenizer; its size must equal every followed snapshot's vocabulary
     * @param prompts     the prompts to draw from (the training split)
     * @param groupSize   responses per group, at least 2
     * @param temperature sampling temperature (the learner's), finite and &gt; 0
     * @param seed        this sampler's seed (run seed and worker index mixed by the caller)
     */
    public TextGroupSampler(WordTokenizer tokenizer, List<WritingPrompt> prompts, int groupSize, float temperature,
                            long seed) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.prompts = List.copyOf(prompts);
        if (this.prompts.isEmpty()) {
            throw new IllegalArgumentException("a text sampler needs at least one prompt: prompts=0");
        }
        if (groupSize < 2) {
            throw new IllegalArgumentException("groupSize must be >= 2: groupSize=" + groupSize);
        }
        if (!(temperature > 0 && Float.isFinite(temperature))) {
            throw new IllegalArgumentException("temperature must be finite and > 0: temperature=" + temperature);
        }
        this.groupSize = groupSize;
        this.temperature = temperature;
        this.seed = seed;
        this.promptTokens = new ArrayList<>(this.prompts.size());
        for (WritingPrompt p : this.prompts) {
            promptTokens.add(tokenizer.promptTokens(p));
        }
    }

    /**
     * Follows {@code snapshot}: later groups are sampled from its weights. The previous model's native memory is
     * released.
     *
     * @throws IllegalArgumentException if the snapshot is not a SEQUENCE policy over this tokenizer's vocabulary
     */
    public void follow(PolicySnapshot snapshot) {
        PolicySpec spec = snapshot.spec();
        if (spec.architecture() != PolicySpec.Architecture.SEQUENCE) {
            throw new IllegalArgumentException("the text rollout role samples from a sequence policy: architecture="
                    + spec.architecture() + ", version=" + snapshot.version()
                    + " (set tributary.learner.policy.architecture = sequence)");
        }
        GruLanguageModel next = GruLanguageModel.fromSnapshot(manager, snapshot, false);
        if (next.vocabSize() != tokenizer.size()) {
            next.close();
            throw new IllegalArgumentException("policy vocabulary must equal the tokenizer's: vocabSize="
                    + next.vocabSize() + ", tokenizer=" + tokenizer.size() + ", version=" + snapshot.version());
        }
        if (model != null) {
            model.close();
        }
        model = next;
        sampler = new LmSampler(next);
        version = snapshot.version();
    }

    /** Version of the followed policy, or -1 before the first. */
    public long version() {
        return version;
    }

    /** Responses per group. */
    public int groupSize() {
        return groupSize;
    }

    /** The prompt group {@code groupId} is sampled for. */
    public WritingPrompt prompt(long groupId) {
        return prompts.get(promptIndex(groupId));
    }

    private int promptIndex(long groupId) {
        return new SplitMix64(mix(groupId)).nextInt(prompts.size());
    }

    private long mix(long groupId) {
        return new SplitMix64(seed ^ (groupId * 0x9E3779B97F4A7C15L)).nextLong();
    }

    /**
     * Samples group {@code groupId} from the followed policy and lays it out as one chunk.
     *
     * @param id       the chunk's id
     * @param envIndex the sampler slot inside its worker (the chunk's envIndex)
     * @throws IllegalStateException before the first {@link #follow}
     */
    public TrajectoryChunk sampleGroup(ChunkId id, int envIndex, long groupId) {
        if (sampler == null) {
            throw new IllegalStateException("no policy followed yet: call follow(snapshot) first");
        }
        int pi = promptIndex(groupId);
        WritingPrompt prompt = prompts.get(pi);
        int[] tokens = promptTokens.get(pi);
        long sampleSeed = new SplitMix64(mix(groupId) + 1).nextLong();
        LmSamples s = sampler.sampleGroup(tokens, groupSize, prompt.lengthCap(), temperature, sampleSeed);
        List<WritingGroups.Response> responses = new ArrayList<>(groupSize);
        for (int i = 0; i < s.rows(); i++) {
            responses.add(new WritingGroups.Response(s.tokens()[i], s.logProbs()[i], s.endedBeforeCap()[i]));
        }
        return WritingGroups.build(id, envIndex, groupId, version, prompt.id(), tokens, responses,
                System.currentTimeMillis() * 1000L);
    }

    /** Releases the model's native memory. */
    @Override
    public void close() {
        if (model != null) {
            model.close();
            model = null;
            sampler = null;
        }
        manager.close();
    }
}
