package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.report.JsonIo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the keys {@code train}, {@code bench} and {@code soak} write to {@code summary.json}: names, order and
 * JSON types. Users' scripts read these files, so removing, renaming or retyping a key must fail here; a new
 * key is added to the list on purpose.
 */
public class SummaryKeysTest {
    /** Every key {@code train} writes (for an environment without info keys), in file order, with its JSON type. */
    public static final List<String> TRAIN_KEYS = List.of(
            "run_id:string", "env:string", "algorithm:string", "seed:integer", "env_steps:integer", "updates:integer",
            "skipped_updates:integer", "policy_version:integer", "stop_reason:string", "eval_return_mean:number",
            "eval_return_std:number", "eval_episodes:integer", "eval_first_seed:integer", "eval_returns:array",
            "chunks_produced:integer", "chunks_trained:integer", "chunks_dropped_stale:integer",
            "chunks_unused_at_end:integer", "chunks_rejected:integer", "chunks_dead_lettered:integer",
            "chunks_duplicated:integer", "chunks_lost:integer", "records_malformed:integer",
            "env_steps_produced:integer", "environment_failures:integer", "workers_stopped_early:integer",
            "seeds_quarantined:array", "wall_seconds:number", "env_steps_per_second:number",
            "trained_env_steps_per_second:number", "policy_lag_p50:integer", "policy_lag_p99:integer",
            "policy_lag_max:integer", "latency_ms_p50:number", "latency_ms_p90:number", "latency_ms_p99:number",
            "latency_ms_max:number", "latency_note:string", "device:string", "kafka:string",
            // Added with evaluation of any controller (issue 6):
            "eval_episode_length_mean:number", "eval_controller:string",
            // Added with accounts that check the ledger and evaluation that survives faults (issue 7):
            "accounts_checked:boolean", "accounts_mismatch:string", "chunks_phantom:integer",
            "eval_episodes_failed:integer",
            // Added with learner guarantees (issue 7):
            "latency_clamped:integer");

    /** Every key {@code bench pipeline} writes, in file order, with its JSON type (a paced run's offered rate). */
    public static final List<String> BENCH_KEYS = List.of(
            "run_id:string", "chunk_steps:integer", "observation_size:integer", "chunk_bytes:integer",
            "workers:integer", "offered_chunks_per_second:number", "scorers:integer", "measure_seconds:number",
            "chunks_received:integer", "chunks_per_second:number", "mb_per_second:number",
            "e2e_latency_ms_p50:number", "e2e_latency_ms_p99:number", "e2e_latency_ms_max:number", "mode:string",
            "path:string");

    /** The keys {@code soak} writes after the train keys (sampled each minute for 6 minutes). */
    public static final List<String> SOAK_EXTRA_KEYS = List.of(
            "soak_minutes:number", "rss_growth_percent_minute_5_to_end:number", "rss_samples:integer",
            "rss_mb_minute_1:number", "rss_mb_minute_2:number", "rss_mb_minute_3:number", "rss_mb_minute_4:number",
            "rss_mb_minute_5:number", "rss_mb_minute_6:number");

    /** A train summary with finite figures and the given signal keys. */
    static RunSummary sample(Map<String, Double> signals) {
        return new RunSummary("r1", "CartPole-v1", "ppo", 7, 1024, 4, 0, 4, "max-env-steps", 475.0, 12.5, 2, 10000,
                List.of(462.5, 487.5), 40, 38, 1, 1, 0, 0, 0, 0, 0, 1040, 0, 0, List.of(17L), 12.0, 86.6, 85.3, 0, 1, 1,
                8.0, 20.0, 31.5, 40.25, "note", "cpu()", "embedded", 475.0, "policy", true, "", 0, 0, 0, signals);
    }

    /** The keys of a JSON object, each as {@code key:type}. */
    public static List<String> keysWithTypes(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fields().forEachRemaining(e -> out.add(e.getKey() + ":" + type(e.getValue())));
        return out;
    }

    private static String type(JsonNode n) {
        if (n.isIntegralNumber()) {
            return "integer";
        }
        if (n.isNumber()) {
            return "number";
        }
        if (n.isTextual()) {
            return "string";
        }
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void trainSummaryKeys() {
        JsonNode json = JsonIo.parse(JsonIo.writePretty(sample(Map.of())));
        assertEquals(TRAIN_KEYS, keysWithTypes(json));
    }

    @Test
    void evaluatorSignalsAreNewFlatKeysAfterTheFixedOnes() {
        Map<String, Double> signals = new LinkedHashMap<>();
        signals.put("eval_signal_offset_mean", 0.75);
        signals.put("eval_signal_offset_rms", Double.NaN);
        JsonNode json = JsonIo.parse(JsonIo.write(sample(signals)));
        List<String> expected = Stream.concat(TRAIN_KEYS.stream(),
                Stream.of("eval_signal_offset_mean:number", "eval_signal_offset_rms:null")).toList();
        assertEquals(expected, keysWithTypes(json));
    }

    @Test
    void trainSummaryReadsBackIntoTheRecord() {
        Map<String, Double> signals = new LinkedHashMap<>();
        signals.put("eval_signal_offset_mean", 0.75);
        RunSummary s = sample(signals);
        assertEquals(s, JsonIo.read(JsonIo.writePretty(s), RunSummary.class));
    }

    @Test
    void nonFiniteFiguresAreNullNotInvalidJson() {
        RunSummary s = sample(Map.of());
        RunSummary diverged = new RunSummary(s.runId(), s.env(), s.algorithm(), s.seed(), s.envSteps(), s.updates(),
                s.skippedUpdates(), s.policyVersion(), s.stopReason(), Double.NaN, Double.POSITIVE_INFINITY,
                s.evalEpisodes(), s.evalFirstSeed(), List.of(Double.NaN, 1.0), s.chunksProduced(), s.chunksTrained(),
                s.chunksDroppedStale(), s.chunksUnusedAtEnd(), s.chunksRejected(), s.chunksDeadLettered(),
                s.chunksDuplicated(), s.chunksLost(), s.recordsMalformed(), s.envStepsProduced(),
                s.environmentFailures(), s.workersStoppedEarly(), s.seedsQuarantined(), s.wallSeconds(),
                s.envStepsPerSecond(), s.trainedEnvStepsPerSecond(), s.policyLagP50(), s.policyLagP99(),
                s.policyLagMax(), s.latencyMsP50(), s.latencyMsP90(), s.latencyMsP99(), s.latencyMsMax(),
                s.latencyNote(), s.device(), s.kafka(), Double.NaN, s.evalController(), s.accountsChecked(),
                s.accountsMismatch(), s.chunksPhantom(), s.evalEpisodesFailed(),
                s.latencyClamped(), s.evalSignals());
        JsonNode json = JsonIo.parse(JsonIo.writePretty(diverged));
        assertTrue(json.get("eval_return_mean").isNull());
        assertTrue(json.get("eval_return_std").isNull());
        assertTrue(json.get("eval_returns").get(0).isNull());
        assertEquals(TRAIN_KEYS.size(), json.size(), "a null figure keeps its key");
    }

    @Test
    void benchSummaryKeys() {
        BenchSummary paced = new BenchSummary("bench-1", 128, 4, 4301, 1, 200.0, 1, 15.0, 3000, 200.0, 0.86, 7.5,
                20.0, 31.0, "pipeline", "path");
        assertEquals(BENCH_KEYS, keysWithTypes(JsonIo.parse(JsonIo.writePretty(paced))));
        BenchSummary saturated = new BenchSummary("bench-2", 128, 4, 4301, 1, null, 1, 15.0, 3000, 200.0, 0.86, 7.5,
                20.0, 31.0, "raw", "path");
        JsonNode json = JsonIo.parse(JsonIo.writePretty(saturated));
        assertEquals("unlimited (saturation)", json.get("offered_chunks_per_second").asText());
        assertEquals(BENCH_KEYS.stream().map(k -> k.startsWith("offered_") ? "offered_chunks_per_second:string" : k).toList(),
                keysWithTypes(json));
    }

    @Test
    void soakSummaryKeysAreTheTrainKeysThenTheSoakFiguresFlat() {
        Map<String, Double> rss = new LinkedHashMap<>();
        for (int m = 1; m <= 6; m++) {
            rss.put("rss_mb_minute_" + m, 400.0 + m);
        }
        SoakSummary soak = new SoakSummary(sample(Map.of()), 6.0, (406.0 - 405.0) / 405.0 * 100, 6, rss);
        JsonNode json = JsonIo.parse(JsonIo.writePretty(soak));
        assertEquals(Stream.concat(TRAIN_KEYS.stream(), SOAK_EXTRA_KEYS.stream()).toList(), keysWithTypes(json));
        assertEquals(406.0, json.get("rss_mb_minute_6").asDouble());

        SoakSummary shortSoak = new SoakSummary(sample(Map.of()), 0.4, null, 1, Map.of("rss_mb_at_8s", 300.0));
        List<String> keys = keysWithTypes(JsonIo.parse(JsonIo.write(shortSoak)));
        assertEquals(Stream.concat(TRAIN_KEYS.stream(), Stream.of("soak_minutes:number", "rss_samples:integer",
                "rss_mb_at_8s:number")).toList(), keys, "no growth figure without minutes 5 and the last");
    }
}
