package io.tributary.actors;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import io.tributary.config.SettingsException;
import io.tributary.report.JsonIo;
import io.tributary.rewards.RewardModel;
import io.tributary.rewards.RewardSettings;
import io.tributary.streams.kafka.EmbeddedKafkaBroker;
import io.tributary.streams.kafka.KafkaClients;
import io.tributary.streams.kafka.KafkaRunStreams;
import io.tributary.streams.kafka.KafkaSettings;
import io.tributary.streams.kafka.Topics;
import io.tributary.streams.port.RunStreams;
import io.tributary.streams.port.Scorer;
import io.tributary.streams.port.ScoringStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tributary rescore}: scores a finished run's rollouts log again with other reward-model settings,
 * through the same transactional scoring loop as the run's own scorers ({@link ScoringStage#rescore}: rollouts
 * → {@code tributary.<run>.scored.<name>}), then reads the run's scored topic and the new one and reports
 * the mean episode return under each. The run's Kafka data are reached the way {@code --resume} reaches
 * them: its embedded broker restarted on {@code <run>/kafka}, or the external cluster its config names.
 *
 * <p>{@code --set} takes reward-model keys ({@code tributary.reward-models.*}) and Kafka connection keys
 * ({@code tributary.kafka.*}) only: anything else would describe another run, not another reward; a new
 * {@code reward-models.model} starts from no options (the run's belonged to its model). The
 * settings of each name are kept in {@code <run>/rescore-<name>.json}; a name that exists is continued
 * (its committed transactions are not scored again) only with the same reward settings, so one topic never
 * mixes two rewards.
 */
public final class Rescore {
    /** Root of the keys {@code --set} may change, besides {@link #KAFKA_ROOT}. */
    static final String REWARDS_ROOT = RewardSettings.ROOT + ".";
    /** Kafka connection keys (a run trained against a cluster that moved). */
    static final String KAFKA_ROOT = "tributary.kafka.";

    /**
     * What a re-scoring found.
     *
     * @param runId          run id
     * @param name           re-scoring name (topic suffix)
     * @param originalTopic  the run's scored topic
     * @param rescoredTopic  the new topic
     * @param original       reward settings the run was scored with
     * @param rescored       reward settings of this re-scoring
     * @param originalStats  episode returns in the run's scored topic
     * @param rescoredStats  episode returns in the new topic
     * @param scored         chunks this invocation scored (0 when an earlier one under the name finished)
     * @param deadLettered   records this invocation sent to the dead-letter topic
     * @param wallSeconds    time taken
     */
    public record Result(String runId, String name, String originalTopic, String rescoredTopic, RewardSettings original,
                         RewardSettings rescored, EpisodeReturns.Stats originalStats, EpisodeReturns.Stats rescoredStats,
                         long scored, long deadLettered, double wallSeconds) {

        /** The report printed and written to {@code <run>/rescore-<name>.json}. */
        public Map<String, Object> report() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run_id", runId);
            m.put("name", name);
            m.put("original", side(originalTopic, original, originalStats));
            m.put("rescored", side(rescoredTopic, rescored, rescoredStats));
            m.put("mean_return_difference", rescoredStats.meanReturn() - originalStats.meanReturn());
            m.put("chunks_scored_now", scored);
            m.put("dead_lettered_now", deadLettered);
            m.put("wall_seconds", wallSeconds);
            return m;
        }

        private static Map<String, Object> side(String topic, RewardSettings s, EpisodeReturns.Stats st) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("topic", topic);
            m.put("reward_model", s.model());
            m.put("reward_options", s.options());
            m.put("mean_episode_return", st.meanReturn());
            m.put("episodes", st.completeEpisodes());
            m.put("incomplete_episodes", st.incompleteEpisodes());
            m.put("chunks", st.chunks());
            m.put("duplicate_chunks", st.duplicateChunks());
            m.put("malformed_records", st.malformed());
            return m;
        }
    }

    private Rescore() {
    }

    /**
     * Re-scores the run in {@code runDir} under {@code name} (null: {@code rescore-<date>-<time>}) with
     * {@code overrides} ({@code key=value}, keys may omit {@code tributary.}) on top of the run's config.
     *
     * @throws SettingsException for a missing run, a key outside the reward-model and Kafka settings, a bad
     *                           reward setting (naming its path), a bad name, or a name used with other settings
     */
    public static Result run(Path runDir, List<String> overrides, String name) {
        long start = System.currentTimeMillis();
        Path dir = runDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new SettingsException("cannot rescore: run folder not found: path=" + runDir);
        }
        String runId = dir.getFileName().toString();
        Path configFile = Files.exists(dir.resolve("config.resumed.conf")) ? dir.resolve("config.resumed.conf")
                : dir.resolve("config.conf");
        if (!Files.isRegularFile(configFile)) {
            throw new SettingsException("cannot rescore: not a run folder (no config.conf): path=" + runDir);
        }
        for (String o : overrides) {
            String key = keyOf(o);
            if (!key.startsWith(REWARDS_ROOT) && !key.startsWith(KAFKA_ROOT)) {
                throw new SettingsException(key, o.substring(o.indexOf('=') + 1).trim(),
                        "rescore changes reward-model settings (" + REWARDS_ROOT + "*) and Kafka connection settings ("
                                + KAFKA_ROOT + "*) only");
            }
        }
        String stageName = name != null ? name
                : "rescore-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        if (!stageName.matches(Topics.RESCORE_NAME_PATTERN)) {
            throw new SettingsException("--name", stageName, "must be 1-100 letters, digits, '_' or '-'");
        }
        TributaryConfig runConfig = TributaryConfig.load(configFile, List.of());
        TributaryConfig config = overrides.stream().anyMatch(o -> keyOf(o).equals(RewardSettings.MODEL_PATH))
                // Another model starts from no options: the run's options belonged to its own model.
                ? TributaryConfig.parse(withoutRewardOptions(configFile), overrides)
                : runConfig.with(overrides);
        RewardSettings original = runConfig.rewards();
        RewardSettings rescored = config.rewards();
        Path record = dir.resolve("rescore-" + stageName + ".json");
        KafkaSettings ks = config.kafka();
        EmbeddedKafkaBroker broker = null;
        try {
            if (ks.embedded()) {
                Path data = dir.resolve("kafka");
                if (!Files.isDirectory(data)) {
                    throw new SettingsException("cannot rescore: the run has no embedded Kafka data: path=" + data
                            + " (a run on an external cluster needs tributary.kafka.bootstrap-servers)");
                }
                broker = EmbeddedKafkaBroker.start(data, ks.embeddedPort(), ks.maxMessageBytes());
                ks = ks.withBootstrapServers(broker.bootstrapServers());
            }
            Topics topics = new Topics(runId);
            ScoringStage stage = ScoringStage.rescore(topics, stageName);
            try (KafkaRunStreams streams = new KafkaRunStreams(new KafkaClients(ks), topics, "tributary-" + runId + "-rescore")) {
                if (!streams.topicExists(topics.rollouts())) {
                    throw new SettingsException("cannot rescore: run " + runId + " has no rollouts topic on "
                            + streams.endpoint() + ": topic=" + topics.rollouts());
                }
                claimName(streams, stage, record, rescored);
                System.err.println("[tributary] rescoring run " + runId + " with " + rescored.model() + " " + rescored.options()
                        + " -> " + stage.targetTopic());
                long[] done = drain(streams, stage, rescored, ks);
                EpisodeReturns before = new EpisodeReturns();
                long badBefore = streams.readScored(topics.scored(), before::add);
                EpisodeReturns after = new EpisodeReturns();
                long badAfter = streams.readScored(stage.targetTopic(), after::add);
                Result r = new Result(runId, stageName, topics.scored(), stage.targetTopic(), original, rescored,
                        before.stats(badBefore), after.stats(badAfter), done[0], done[1],
                        (System.currentTimeMillis() - start) / 1000.0);
                Map<String, Object> file = new LinkedHashMap<>(r.report());
                JsonIo.writePrettyFile(record, file);
                return r;
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    /**
     * Makes {@code stage}'s topic this name's: creates it and records the settings, or, when it exists,
     * continues only if the name was recorded with the same reward settings.
     */
    private static void claimName(RunStreams streams, ScoringStage stage, Path record, RewardSettings rescored) {
        if (streams.createScoredTopic(stage.targetTopic())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("topic", stage.targetTopic());
            m.put("rescored", Map.of("reward_model", rescored.model(), "reward_options", rescored.options()));
            JsonIo.writePrettyFile(record, m);
            return;
        }
        if (Files.exists(record)) {
            JsonNode was = JsonIo.readObject(record).path("rescored");
            Map<String, String> options = new LinkedHashMap<>();
            was.path("reward_options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
            if (rescored.equals(new RewardSettings(was.path("reward_model").asText(), options))) {
                return;
            }
        }
        throw new SettingsException("--name", stage.targetTopic(),
                "names a topic that holds other reward settings (or settings not recorded in " + record
                        + "); choose another --name");
    }

    /** Runs one scorer of {@code stage} until it has scored the whole rollouts log; returns {scored, dead-lettered}. */
    private static long[] drain(RunStreams streams, ScoringStage stage, RewardSettings settings, KafkaSettings ks) {
        long stallMs = Math.max(60_000L, ks.maxBlockMs());
        try (RewardModel model = settings.create(); Scorer scorer = streams.scorer(stage, model)) {
            long lastProgress = System.currentTimeMillis();
            while (true) {
                int n = scorer.pollOnce();
                long backlog = scorer.backlog();
                if (backlog == 0) {
                    return new long[] {scorer.scoredCount(), scorer.deadLetteredCount()};
                }
                if (n > 0) {
                    lastProgress = System.currentTimeMillis();
                } else if (System.currentTimeMillis() - lastProgress > stallMs) {
                    throw new IllegalStateException("rescore made no progress for " + stallMs + " ms: topic="
                            + stage.targetTopic() + ", backlog=" + backlog
                            + " (-1: the scorer owns no partition; is another rescore of this name running?)");
                }
            }
        }
    }

    /** The run's config file as HOCON text without {@code tributary.reward-models.options}. */
    private static String withoutRewardOptions(Path configFile) {
        try {
            return ConfigFactory.parseFile(configFile.toFile()).withoutPath(RewardSettings.OPTIONS_PATH).root()
                    .render(ConfigRenderOptions.concise());
        } catch (ConfigException e) {
            throw new SettingsException("cannot parse config file: path=" + configFile + ", cause=" + e.getMessage());
        }
    }

    private static String keyOf(String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new SettingsException("bad --set: value=" + override + ", rule=must be key=value");
        }
        String key = override.substring(0, eq).trim();
        return key.startsWith("tributary.") ? key : "tributary." + key;
    }

    /** Lines for a person: the two means and where they came from. */
    public static List<String> summaryLines(Result r) {
        List<String> out = new ArrayList<>();
        out.add(String.format("original %s %s: mean episode return %.6f over %d episodes (%s)", r.original().model(),
                r.original().options(), r.originalStats().meanReturn(), r.originalStats().completeEpisodes(), r.originalTopic()));
        out.add(String.format("rescored %s %s: mean episode return %.6f over %d episodes (%s)", r.rescored().model(),
                r.rescored().options(), r.rescoredStats().meanReturn(), r.rescoredStats().completeEpisodes(), r.rescoredTopic()));
        return out;
    }
}
