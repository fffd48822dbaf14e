package io.tributary.benchmarks;

import ai.djl.ndarray.NDManager;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.lm.GroupPolicyUpdate;
import io.tributary.learner.lm.GroupUpdateResult;
import io.tributary.learner.lm.GroupUpdateSettings;
import io.tributary.learner.lm.GruLanguageModel;
import io.tributary.learner.lm.LmPretrainer;
import io.tributary.learner.lm.LmSampler;
import io.tributary.learner.lm.LmSamples;
import io.tributary.learner.lm.PretrainSettings;
import io.tributary.learner.lm.ResponseGroup;
import io.tributary.simulator.writing.TokenPair;
import io.tributary.simulator.random.SplitMix64;
import io.tributary.simulator.writing.SpecialTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Feasibility figures for issue 10 (writing rollouts, BRPO vs GRPO), measured on the learner's own classes
 * ({@link GruLanguageModel}, {@link LmSampler}, {@link LmPretrainer}, {@link GroupPolicyUpdate}): a word-level
 * GRU language model of about 0.85M parameters (vocabulary 4,000, embedding 64, one GRU layer of 128, untied
 * output layer) on DJL/PyTorch CPU, one intra-op thread. A plain {@code main} harness rather than JMH because
 * each figure is one long sampling or training loop whose per-call cost is tens of milliseconds to seconds,
 * and the machine is shared: a few timed repetitions after one warm-up are enough and keep the run short.
 *
 * <p>Measures (a) batched sampling with temperature at G = 16 and 64, 200 steps (the end token is
 * suppressed so every row runs to its cap); (b) teacher-forced pre-training steps (forward, backward, Adam)
 * at 16 x 200 and 64 x 200 tokens; (c) RL updates: 8 prompts x G = 16 responses x 150 tokens after a
 * 20-token prompt, token-level clipped surrogate, minibatches of 32 responses, 1 and 2 epochs, and 1 epoch
 * with the KL term to a frozen reference; (d) one group update at the issue's G = 16 (one prompt, 16 x 150
 * tokens, one minibatch, with KL) and the sampling of that group.
 *
 * <p>Run (arguments optional: hidden size, timed repetitions):
 * <pre>
 * mvn -o -q -B -pl benchmarks -am -DskipTests package &amp;&amp; java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *     -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
 *     -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.tributary.benchmarks.WritingLmFeasibility 128 3
 * </pre>
 */
public final class WritingLmFeasibility {
    private static final int VOCAB = 4000;
    private static final int EMBED = 64;
    private static final int PROMPT_CONTEXT = 32;
    private static final int PROMPT = 20;
    private static final int RESPONSE = 150;

    private WritingLmFeasibility() {
    }

    private interface Work {
        void run();
    }

    /** Median seconds of {@code reps} timed runs after one warm-up. */
    private static double time(int reps, Work w) {
        w.run();
        double[] s = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            w.run();
            s[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(s);
        return s[reps / 2];
    }

    private static int[] words(SplitMix64 rng, int n) {
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = SpecialTokens.FIRST_WORD + rng.nextInt(VOCAB - SpecialTokens.FIRST_WORD);
        }
        return w;
    }

    /** A group of {@code g} random responses of {@code RESPONSE} tokens to one prompt, old log-probs from the model. */
    private static ResponseGroup randomGroup(GruLanguageModel lm, SplitMix64 rng, int g) {
        int[] prompt = words(rng, PROMPT);
        List<int[]> responses = new ArrayList<>();
        double[] advantages = new double[g];
        for (int i = 0; i < g; i++) {
            responses.add(words(rng, RESPONSE));
            advantages[i] = i == 0 ? 0 : (rng.nextInt(2) == 0 ? 1 : -1);
        }
        float[][] old = lm.logProbs(Collections.nCopies(g, prompt), responses, 1f);
        return new ResponseGroup(prompt, responses, Arrays.asList(old), advantages, false);
    }

    /**
     * Prints the figures.
     *
     * @param args optional hidden size (default 128) and timed repetitions (default 3)
     */
    public static void main(String[] args) {
        int hidden = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        PolicySpec spec = PolicySpec.sequence(VOCAB, EMBED, hidden, PROMPT_CONTEXT);
        SplitMix64 rng = new SplitMix64(11);
        try (NDManager manager = NDManager.newBaseManager();
             GruLanguageModel lm = GruLanguageModel.create(manager, spec, 11)) {
            System.out.printf(Locale.ROOT, "GRU LM: vocab %d, embed %d, hidden %d, untied output; %d parameters%n",
                    VOCAB, EMBED, hidden, GruLanguageModel.parameterCount(spec));
            System.out.printf(Locale.ROOT, "load average at start: %s%n", loadAverage());
            LmSampler sampler = new LmSampler(lm);
            int[] prompt = words(rng, PROMPT);

            LmSamples check = sampler.sampleGroup(prompt, 16, 200, 1f, 1);
            float[][] recomputed = lm.logProbs(Collections.nCopies(16, prompt), Arrays.asList(check.tokens()), 1f);
            double worst = 0;
            for (int i = 0; i < 16; i++) {
                for (int j = 0; j < check.lengths()[i]; j++) {
                    worst = Math.max(worst, Math.abs(recomputed[i][j] - check.logProbs()[i][j]));
                }
            }
            System.out.printf(Locale.ROOT, "sampler vs teacher-forced log-prob, max |diff| over 16 rows (mean length %.0f): %.2e%n",
                    check.meanLength(), worst);

            // (a) sampling at full length: suppress EOS so each row runs to its cap
            float[] weights = lm.parameters();
            float[] noEnd = weights.clone();
            noEnd[noEnd.length - VOCAB + SpecialTokens.EOS] = -50f;
            lm.setParameters(noEnd);
            for (int g : new int[] {16, 64}) {
                double s = time(reps, () -> sampler.sampleGroup(prompt, g, 200, 1f, 2));
                System.out.printf(Locale.ROOT, "(a) sample G=%d x 200 steps (after a %d-token prompt): %.3f s, %.0f tokens/s%n",
                        g, PROMPT, s, g * 200 / s);
            }
            double groupSample = time(reps, () -> sampler.sampleGroup(prompt, 16, RESPONSE, 1f, 3));
            lm.setParameters(weights);

            // (b) teacher-forced pre-training steps
            PretrainSettings pre = PretrainSettings.defaults("tributary.learner.lm-pretrain.learning-rate = 1.0e-4");
            try (LmPretrainer pretrainer = new LmPretrainer(lm, pre, 5)) {
                for (int b : new int[] {16, 64}) {
                    List<TokenPair> batch = new ArrayList<>();
                    for (int i = 0; i < b; i++) {
                        int[] text = Arrays.copyOf(words(rng, 199), 200);
                        text[199] = SpecialTokens.EOS;
                        batch.add(new TokenPair(words(rng, PROMPT), text));
                    }
                    double s = time(reps, () -> pretrainer.step(batch));
                    System.out.printf(Locale.ROOT, "(b) pre-train step %d x 200 (fwd+bwd+Adam): %.3f s, %.0f tokens/s%n",
                            b, s, b * 200 / s);
                }
            }

            // (c) RL updates on 8 groups of 16, and (d) one group
            List<ResponseGroup> groups = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                groups.add(randomGroup(lm, rng, 16));
            }
            try (GruLanguageModel reference = lm.copy(manager, false)) {
                String base = "tributary.learner.group { learning-rate = 1.0e-4, minibatch-size = 32, epochs = %d,"
                        + " kl-coef = %s }";
                for (int epochs : new int[] {1, 2}) {
                    GroupUpdateSettings s = GroupUpdateSettings.defaults(String.format(Locale.ROOT, base, epochs, "0"));
                    try (GroupPolicyUpdate u = new GroupPolicyUpdate(lm, null, s, 1)) {
                        double t = time(reps, () -> u.update(groups));
                        System.out.printf(Locale.ROOT,
                                "(c) RL update 8 prompts x G=16 x (%d+%d) tokens, %d epoch(s), minibatch 32: %.3f s%n",
                                PROMPT, RESPONSE, epochs, t);
                    }
                }
                GroupUpdateSettings kl = GroupUpdateSettings.defaults(String.format(Locale.ROOT, base, 1, "0.01"));
                try (GroupPolicyUpdate u = new GroupPolicyUpdate(lm, reference, kl, 1)) {
                    double t = time(reps, () -> u.update(groups));
                    System.out.printf(Locale.ROOT, "(c) same, 1 epoch, with the KL term to the frozen reference: %.3f s%n", t);
                }
                List<ResponseGroup> one = List.of(groups.get(0));
                GroupUpdateSettings g16 = GroupUpdateSettings.defaults(
                        "tributary.learner.group { learning-rate = 1.0e-4, minibatch-size = 16, kl-coef = 0.01 }");
                try (GroupPolicyUpdate u = new GroupPolicyUpdate(lm, reference, g16, 1)) {
                    GroupUpdateResult[] last = new GroupUpdateResult[1];
                    double t = time(reps, () -> last[0] = u.update(one));
                    System.out.printf(Locale.ROOT, "(d) one group update, G=16 x %d tokens, 1 minibatch, with KL: %.3f s"
                            + " (%d tokens, skipped=%s)%n", RESPONSE, t, last[0].tokens(), last[0].skipped());
                }
            }
            System.out.printf(Locale.ROOT, "(d) sample one group G=16 x %d steps (after a %d-token prompt): %.3f s%n",
                    RESPONSE, PROMPT, groupSample);
            System.out.printf(Locale.ROOT, "load average at end: %s%n", loadAverage());
        }
    }

    private static String loadAverage() {
        try {
            return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim();
        } catch (java.io.IOException e) {
            return "unavailable (" + e.getMessage() + ")";
        }
    }
}
