package io.tributary.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import ai.djl.ndarray.NDManager;
import io.tributary.learner.LearnerContext;
import io.tributary.learner.Learners;
import io.tributary.learner.PolicySnapshot;
import io.tributary.learner.UpdateReport;
import io.tributary.learner.lm.GroupLearner;
import io.tributary.learner.lm.GruLanguageModel;
import io.tributary.learner.lm.LmSampler;
import io.tributary.learner.lm.LmSamples;
import io.tributary.rewards.RewardModel;
import io.tributary.rewards.RewardModels;
import io.tributary.rewards.RewardSettings;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.Environment;
import io.tributary.simulator.Environments;
import io.tributary.simulator.random.SplitMix64;
import io.tributary.simulator.rollout.ChunkId;
import io.tributary.simulator.rollout.TrajectoryChunk;
import io.tributary.simulator.writing.WordTokenizer;
import io.tributary.simulator.writing.WritingGroups;
import io.tributary.simulator.writing.WritingPrompt;
import io.tributary.simulator.writing.WritingPrompts;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A dry run of one writing arm without Kafka or actors, to size and sanity-check the RL constants before the
 * experiment: the arm's config file (its learner and reward model, {@code init-from} replaced by the given model
 * file), then per update: sample {@code groups-per-version} groups of G responses to random training prompts from
 * the current snapshot (temperature of {@code group.temperature}, caps 2.5 × U), lay each out as a writing group
 * chunk, score it with the arm's reward model, feed the {@link GroupLearner}, update. Prints one line per update
 * (mean response length, filtered fraction, mean reward, KL, clip fraction, seconds spent sampling / scoring /
 * updating). Not a benchmark of the pipeline: sampling, scoring and training take turns in one thread.
 *
 * <pre>
 * mvn -o -q -B -pl benchmarks -am -DskipTests package &amp;&amp; java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *     -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
 *     -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.tributary.benchmarks.WritingRlDryRun \
 *     configs/writing-brpo.conf runs/writing-lm/model.bin 20 16 [key=value ...]
 * </pre>
 */
public final class WritingRlDryRun {
    private WritingRlDryRun() {
    }

    /** Arguments: config file, model file, updates, G, then optional HOCON overrides ({@code key=value}, full paths). */
    public static void main(String[] args) throws Exception {
        String file = args[0];
        String model = args[1];
        int updates = Integer.parseInt(args[2]);
        int g = Integer.parseInt(args[3]);
        Config user = ConfigFactory.parseFile(new File(file));
        for (int i = 4; i < args.length; i++) {
            user = ConfigFactory.parseString(args[i]).withFallback(user);
        }
        if (!user.hasPath("tributary.run.seed")) {
            // the run subtree is the actors module's, not on this classpath; the judge's seed option refers to it
            user = user.withValue("tributary.run.seed", ConfigValueFactory.fromAnyRef(1));
        }
        long seed = user.getLong("tributary.run.seed");
        Config config = user.withValue("tributary.learner.group.init-from", ConfigValueFactory.fromAnyRef(model))
                .withFallback(ConfigFactory.defaultReference()).resolve();
        WordTokenizer tokenizer = WordTokenizer.standard();
        List<WritingPrompt> prompts = WritingPrompts.load().training();
        LearnerContext context;
        try (Environment env = Environments.create("Writing-v0", Map.of())) {
            context = LearnerContext.of(config, env.observationSpace(), env.actionSpace(), "dry-run", Long.MAX_VALUE);
        }
        RewardSettings rs = RewardSettings.fromConfig(config);
        SplitMix64 rng = new SplitMix64(seed);
        UUID worker = new UUID(1, 2);
        long seq = 0;
        long t0 = System.nanoTime();
        try (GroupLearner learner = (GroupLearner) Learners.create(context);
             RewardModel rewards = RewardModels.create(rs.model(), rs.options(), config)) {
            int perVersion = learner.settings().groupsPerVersion();
            float temperature = (float) learner.settings().update().temperature();
            System.out.printf(Locale.ROOT, "%s: %s + %s %s, G=%d, %d groups per update, lr %.1e, kl-coef %.3f%n", file,
                    learner.algorithm(), rs.model(), rs.options(), g, perVersion, learner.settings().update().learningRate(),
                    learner.settings().update().klCoef());
            for (int u = 1; u <= updates; u++) {
                PolicySnapshot policy = learner.snapshot();
                double sampleS = 0;
                double scoreS = 0;
                try (NDManager m = NDManager.newBaseManager(); GruLanguageModel lm = GruLanguageModel.fromSnapshot(m, policy, false)) {
                    LmSampler sampler = new LmSampler(lm);
                    for (int k = 0; k < perVersion; k++) {
                        WritingPrompt p = prompts.get(rng.nextInt(prompts.size()));
                        int[] tokens = tokenizer.promptTokens(p);
                        long a = System.nanoTime();
                        LmSamples s = sampler.sampleGroup(tokens, g, p.lengthCap(), temperature, rng.nextLong());
                        List<WritingGroups.Response> rsp = new ArrayList<>();
                        for (int i = 0; i < s.rows(); i++) {
                            rsp.add(new WritingGroups.Response(s.tokens()[i], s.logProbs()[i], s.endedBeforeCap()[i]));
                        }
                        seq++;
                        TrajectoryChunk chunk = WritingGroups.build(new ChunkId("dry-run", worker, seq), 0, seq,
                                policy.version(), p.id(), tokens, rsp, 0L);
                        long b = System.nanoTime();
                        float[] r = rewards.scoreChunk(chunk);
                        long c = System.nanoTime();
                        sampleS += (b - a) / 1e9;
                        scoreS += (c - b) / 1e9;
                        learner.accept(new ScoredChunk(chunk, r, rewards.id(), rewards.version(), 0L));
                    }
                }
                UpdateReport rep = learner.update();
                Map<String, Double> st = rep.stats();
                System.out.printf(Locale.ROOT, "update %3d %s  length %6.1f  filtered %.2f  reward %7.3f  kl %.4f  clip %.3f"
                                + "  sample %.1f s  score %.1f s  update %.1f s  (%.0f s)%n", u,
                        rep.applied() ? "ok     " : "SKIPPED", st.get("mean_response_length"), st.get("groups_filtered_frac"),
                        st.get("mean_reward"), st.getOrDefault("kl", Double.NaN), st.getOrDefault("clip_fraction", Double.NaN),
                        sampleS, scoreS, rep.millis() / 1000, (System.nanoTime() - t0) / 1e9);
            }
        }
    }
}
