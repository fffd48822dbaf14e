package io.tributary.actors;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./tributary train} writes to a run's {@code summary.json}: one flat object with snake_case
 * keys, in this order. Users' scripts read these keys, so a key keeps its name, type and meaning once
 * released ({@code SummaryKeysTest} pins the set); new figures are added as new keys.
 *
 * <p>{@code evalSignals} holds the evaluator's per-signal aggregates under their own flat keys
 * ({@code eval_signal_<info key>_mean}, ... see {@link Evaluator.SignalStats#toSummaryKeys}); it is empty
 * for environments without info keys.
 *
 * <p>{@code accountsChecked} says whether the learner's ledger agrees with the scored topic (see
 * {@code streams.kafka.Accounts}); {@code accountsMismatch} names the first disagreement (empty when
 * checked); {@code chunksPhantom} counts ledger ids that never appeared in the rollouts topic.
 * {@code evalEpisodesFailed} counts evaluation episodes excluded because the environment threw or returned
 * a non-finite value. The six categories {@code chunks_trained}, {@code chunks_dropped_stale},
 * {@code chunks_rejected}, {@code chunks_dead_lettered}, {@code chunks_unused_at_end} and {@code chunks_lost}
 * are disjoint and sum to {@code chunks_produced}.
 */
public record RunSummary(
        @JsonProperty("run_id") String runId,
        @JsonProperty("env") String env,
        @JsonProperty("algorithm") String algorithm,
        @JsonProperty("seed") long seed,
        @JsonProperty("env_steps") long envSteps,
        @JsonProperty("updates") long updates,
        @JsonProperty("skipped_updates") long skippedUpdates,
        @JsonProperty("policy_version") long policyVersion,
        @JsonProperty("stop_reason") String stopReason,
        @JsonProperty("eval_return_mean") double evalReturnMean,
        @JsonProperty("eval_return_std") double evalReturnStd,
        @JsonProperty("eval_episodes") int evalEpisodes,
        @JsonProperty("eval_first_seed") long evalFirstSeed,
        @JsonProperty("eval_returns") List<Double> evalReturns,
        @JsonProperty("chunks_produced") long chunksProduced,
        @JsonProperty("chunks_trained") long chunksTrained,
        @JsonProperty("chunks_dropped_stale") long chunksDroppedStale,
        @JsonProperty("chunks_unused_at_end") long chunksUnusedAtEnd,
        @JsonProperty("chunks_rejected") long chunksRejected,
        @JsonProperty("chunks_dead_lettered") long chunksDeadLettered,
        @JsonProperty("chunks_duplicated") long chunksDuplicated,
        @JsonProperty("chunks_lost") long chunksLost,
        @JsonProperty("records_malformed") long recordsMalformed,
        @JsonProperty("env_steps_produced") long envStepsProduced,
        @JsonProperty("environment_failures") long environmentFailures,
        @JsonProperty("workers_stopped_early") int workersStoppedEarly,
        @JsonProperty("seeds_quarantined") List<Long> seedsQuarantined,
        @JsonProperty("wall_seconds") double wallSeconds,
        @JsonProperty("env_steps_per_second") double envStepsPerSecond,
        @JsonProperty("trained_env_steps_per_second") double trainedEnvStepsPerSecond,
        @JsonProperty("policy_lag_p50") long policyLagP50,
        @JsonProperty("policy_lag_p99") long policyLagP99,
        @JsonProperty("policy_lag_max") long policyLagMax,
        @JsonProperty("latency_ms_p50") double latencyMsP50,
        @JsonProperty("latency_ms_p90") double latencyMsP90,
        @JsonProperty("latency_ms_p99") double latencyMsP99,
        @JsonProperty("latency_ms_max") double latencyMsMax,
        @JsonProperty("latency_note") String latencyNote,
        @JsonProperty("device") String device,
        @JsonProperty("kafka") String kafka,
        @JsonProperty("eval_episode_length_mean") double evalEpisodeLengthMean,
        @JsonProperty("eval_controller") String evalController,
        @JsonProperty("accounts_checked") boolean accountsChecked,
        @JsonProperty("accounts_mismatch") String accountsMismatch,
        @JsonProperty("chunks_phantom") long chunksPhantom,
        @JsonProperty("eval_episodes_failed") int evalEpisodesFailed,
        @JsonProperty("latency_clamped") long latencyClamped,
        @JsonAnyGetter @JsonAnySetter Map<String, Double> evalSignals) {

    /** Copies the lists and map so a summary cannot change after it is written. */
    public RunSummary {
        // Not List.copyOf: a non-finite return reads back from the file as null.
        evalReturns = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(evalReturns));
        seedsQuarantined = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(seedsQuarantined));
        // Insertion order is the order the keys appear in the file; Map.copyOf would lose it.
        evalSignals = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evalSignals == null ? Map.of() : evalSignals));
    }
}
