package io.tributary.simulator.writing;

import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The chunk layout of the writing workload: a group of G sampled responses to one prompt travels as ONE
 * segmented {@link TrajectoryChunk}, so a group is never split across two scorer transactions and BRPO can
 * judge it as a whole. {@link #build} writes the layout, {@link #read} checks it and gives the group back.
 *
 * <p>The layout, field by field:
 * <ul>
 *   <li>{@code envName} = {@value #ENV_NAME}; {@code chunkIndex} = 0 (a group is a whole "episode");
 *       {@code episodeId} = the producer's group counter; {@code policyVersion} = the sampling policy's.</li>
 *   <li>{@code steps} = total response tokens of the group: every response's tokens, its EOS included when
 *       it was drawn.</li>
 *   <li>{@code segmentOffsets} = G + 1 offsets, response i occupying steps
 *       {@code [segmentOffsets[i], segmentOffsets[i + 1])}; every response has at least one token (a
 *       response that drew EOS at once is the single token EOS).</li>
 *   <li>{@code actionSize} = 1, {@code actions[t]} = the token id drawn at step t (a float; ids below
 *       2<sup>24</sup> are exact); {@code logProbs[t]} = its log-probability under the sampling policy at
 *       the sampling temperature (finite, &le; 0).</li>
 *   <li>{@code observationSize} = 0: {@code observations} and {@code bootstrapObservation} are empty (the
 *       learner re-reads the prompt and the previous tokens, a language model has no per-step
 *       observation vector; the record and the streams codec accept 0).</li>
 *   <li>{@code context} = {@code [promptId, p_1, ..., p_n]}: the prompt's id in the prompt set
 *       ({@link WritingPrompt#id()}), then its prompt tokens ({@link WordTokenizer#promptTokens}, n &ge; 1)
 *       exactly as the policy was conditioned on them.</li>
 *   <li>{@code terminated} is true on the last token of a response that drew EOS (that token is EOS);
 *       {@code truncated} is true on the last token of a response cut at the length cap
 *       ({@link WritingPrompt#lengthCap()}, no EOS drawn); exactly one of the two on each response's last
 *       token and neither anywhere else. EOS appears only as a terminated response's last token.</li>
 *   <li>{@code values} and {@code rewards} are all 0 (no critic, no environment reward: the reward model
 *       scores the group); {@code depth}, {@code signalNames} and {@code signals} are empty.</li>
 * </ul>
 * {@link TrajectoryChunk}'s own constructor does not restrict terminal flags inside a segmented chunk;
 * {@link #read} enforces the rule above.
 */
public final class WritingGroups {
    /** The environment name writing groups carry. */
    public static final String ENV_NAME = "Writing-v0";

    private WritingGroups() {
    }

    /**
     * One sampled response.
     *
     * @param tokens        token ids, EOS included as the last one when {@code endedWithEos}
     * @param logProbs      the sampling policy's log-probability of each token
     * @param endedWithEos  true when EOS was drawn (terminated), false when cut at the length cap (truncated)
     */
    public record Response(int[] tokens, float[] logProbs, boolean endedWithEos) {
        /** Validates the shape and the EOS rule. */
        public Response {
            Objects.requireNonNull(tokens, "tokens");
            Objects.requireNonNull(logProbs, "logProbs");
            if (tokens.length == 0) {
                throw new IllegalArgumentException("a response needs at least one token: tokens=0");
            }
            if (logProbs.length != tokens.length) {
                throw new IllegalArgumentException("logProbs must be one per token: tokens=" + tokens.length
                        + ", logProbs=" + logProbs.length);
            }
            for (int t = 0; t < tokens.length; t++) {
                if (tokens[t] < 0) {
                    throw new IllegalArgumentException("token id must be >= 0: position=" + t + ", token=" + tokens[t]);
                }
                if (tokens[t] == SpecialTokens.EOS && t != tokens.length - 1) {
                    throw new IllegalArgumentException("EOS may only be a response's last token: position=" + t
                            + ", length=" + tokens.length);
                }
                if (!(Float.isFinite(logProbs[t]) && logProbs[t] <= 0f)) {
                    throw new IllegalArgumentException("log-prob must be finite and <= 0: position=" + t
                            + ", logProb=" + logProbs[t]);
                }
            }
            boolean lastIsEos = tokens[tokens.length - 1] == SpecialTokens.EOS;
            if (lastIsEos != endedWithEos) {
                throw new IllegalArgumentException("endedWithEos must say whether the last token is EOS: endedWithEos="
                        + endedWithEos + ", lastToken=" + tokens[tokens.length - 1]);
            }
        }

        /** Number of tokens, EOS included. */
        public int length() {
            return tokens.length;
        }

        /** Length in words: the tokens before EOS (the judges' and the length metrics' unit). */
        public int words() {
            return endedWithEos ? tokens.length - 1 : tokens.length;
        }
    }

    /**
     * A group read back from a chunk.
     *
     * @param promptId     the prompt's id in the prompt set
     * @param promptTokens the prompt tokens the policy was conditioned on
     * @param responses    the G responses, in segment order
     */
    public record Group(int promptId, int[] promptTokens, List<Response> responses) {
        /** Validates the fields. */
        public Group {
            if (promptId < 0) {
                throw new IllegalArgumentException("promptId must be >= 0: promptId=" + promptId);
            }
            if (promptTokens == null || promptTokens.length == 0) {
                throw new IllegalArgumentException("promptTokens must not be empty");
            }
            responses = List.copyOf(responses);
            if (responses.isEmpty()) {
                throw new IllegalArgumentException("a group needs at least one response");
            }
        }

        /** Group size G. */
        public int size() {
            return responses.size();
        }
    }

    /**
     * Lays out a group as one segmented chunk (see the class comment).
     *
     * @param id              the chunk's id
     * @param envIndex        index of the sampler slot inside its worker
     * @param groupId         the producer's group counter (the chunk's {@code episodeId})
     * @param policyVersion   version of the policy that sampled the responses
     * @param promptId        the prompt's id
     * @param promptTokens    the prompt tokens the policy was conditioned on
     * @param responses       the G responses
     * @param createdAtMicros wall-clock time the group was completed, epoch microseconds
     */
    public static TrajectoryChunk build(ChunkId id, int envIndex, long groupId, long policyVersion, int promptId,
                                       int[] promptTokens, List<Response> responses, long createdAtMicros) {
        Group group = new Group(promptId, promptTokens, responses);
        int g = group.size();
        long total = 0;
        for (Response r : group.responses()) {
            total += r.length();
        }
        if (total > TrajectoryChunk.MAX_STEPS) {
            throw new IllegalArgumentException("group too long for one chunk: steps=" + total + ", max="
                    + TrajectoryChunk.MAX_STEPS);
        }
        int steps = (int) total;
        float[] actions = new float[steps];
        float[] logProbs = new float[steps];
        boolean[] terminated = new boolean[steps];
        boolean[] truncated = new boolean[steps];
        int[] offsets = new int[g + 1];
        int t = 0;
        for (int i = 0; i < g; i++) {
            Response r = group.responses().get(i);
            offsets[i] = t;
            for (int k = 0; k < r.length(); k++) {
                if (r.tokens()[k] >= (1 << 24)) {
                    throw new IllegalArgumentException("token id too large to travel exactly as a float: response=" + i
                            + ", position=" + k + ", token=" + r.tokens()[k]);
                }
                actions[t] = r.tokens()[k];
                logProbs[t] = r.logProbs()[k];
                t++;
            }
            if (r.endedWithEos()) {
                terminated[t - 1] = true;
            } else {
                truncated[t - 1] = true;
            }
        }
        offsets[g] = t;
        int[] context = new int[promptTokens.length + 1];
        context[0] = promptId;
        System.arraycopy(promptTokens, 0, context, 1, promptTokens.length);
        return new TrajectoryChunk(id, ENV_NAME, envIndex, groupId, 0, policyVersion, steps, 0, new float[0], 1,
                actions, logProbs, new float[steps], new float[steps], terminated, truncated, new float[0], offsets,
                context, new int[0], createdAtMicros);
    }

    /**
     * Reads a group back, checking the layout of the class comment.
     *
     * @throws IllegalArgumentException naming the broken rule with key=value details (a scorer dead-letters
     *                                  such a chunk)
     */
    public static Group read(TrajectoryChunk chunk) {
        Objects.requireNonNull(chunk, "chunk");
        if (chunk.segmentOffsets().length == 0) {
            throw bad(chunk, "a writing group must be segmented (one segment per response): segmentOffsets=0");
        }
        if (chunk.actionSize() != 1) {
            throw bad(chunk, "a writing group has one token id per step: actionSize=" + chunk.actionSize());
        }
        if (chunk.observationSize() != 0) {
            throw bad(chunk, "a writing group has no observations: observationSize=" + chunk.observationSize());
        }
        int[] context = chunk.context();
        if (context.length < 2) {
            throw bad(chunk, "context must be [promptId, promptTokens...] with at least one prompt token: context.length="
                    + context.length);
        }
        if (context[0] < 0) {
            throw bad(chunk, "promptId must be >= 0: promptId=" + context[0]);
        }
        int[] offsets = chunk.segmentOffsets();
        float[] actions = chunk.actions();
        List<Response> responses = new ArrayList<>(offsets.length - 1);
        for (int i = 0; i + 1 < offsets.length; i++) {
            int from = offsets[i];
            int to = offsets[i + 1];
            int[] tokens = new int[to - from];
            for (int t = from; t < to; t++) {
                float a = actions[t];
                if (!(a >= 0 && a < (1 << 24) && a == Math.rint(a))) {
                    throw bad(chunk, "action must be a token id (an integer >= 0): response=" + i + ", step=" + t
                            + ", action=" + a);
                }
                if (t < to - 1 && (chunk.terminated()[t] || chunk.truncated()[t])) {
                    throw bad(chunk, "only a response's last token may end it: response=" + i + ", step=" + t
                            + ", terminated=" + chunk.terminated()[t] + ", truncated=" + chunk.truncated()[t]);
                }
                tokens[t - from] = (int) a;
            }
            boolean term = chunk.terminated()[to - 1];
            boolean trunc = chunk.truncated()[to - 1];
            if (term == trunc) {
                throw bad(chunk, "a response's last token must be exactly one of terminated (EOS drawn) or truncated "
                        + "(cut at the cap): response=" + i + ", step=" + (to - 1) + ", terminated=" + term
                        + ", truncated=" + trunc);
            }
            if (term != (tokens[tokens.length - 1] == SpecialTokens.EOS)) {
                throw bad(chunk, "a response is terminated exactly when its last token is EOS: response=" + i
                        + ", terminated=" + term + ", lastToken=" + tokens[tokens.length - 1]);
            }
            try {
                responses.add(new Response(tokens, Arrays.copyOfRange(chunk.logProbs(), from, to), term));
            } catch (IllegalArgumentException e) {
                throw bad(chunk, e.getMessage() + ", response=" + i);
            }
        }
        return new Group(context[0], Arrays.copyOfRange(context, 1, context.length), responses);
    }

    private static IllegalArgumentException bad(TrajectoryChunk chunk, String rule) {
        return new IllegalArgumentException("bad writing group: " + rule + ", chunk=" + chunk.id()
                + ", envName=" + chunk.envName());
    }
}
