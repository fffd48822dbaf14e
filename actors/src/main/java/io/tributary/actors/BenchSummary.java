package io.tributary.actors;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * What {@code ./tributary bench pipeline} writes to {@code summary.json}: flat snake_case keys, in this order.
 * {@code offeredChunksPerSecond} is null for an unpaced (saturation) run, written as the text
 * {@value #UNLIMITED} as it always was.
 */
public record BenchSummary(
        @JsonProperty("run_id") String runId,
        @JsonProperty("chunk_steps") int chunkSteps,
        @JsonProperty("observation_size") int observationSize,
        @JsonProperty("chunk_bytes") int chunkBytes,
        @JsonProperty("workers") int workers,
        @JsonProperty("offered_chunks_per_second") @JsonSerialize(nullsUsing = UnlimitedRate.class)
        Double offeredChunksPerSecond,
        @JsonProperty("scorers") int scorers,
        @JsonProperty("measure_seconds") double measureSeconds,
        @JsonProperty("chunks_received") long chunksReceived,
        @JsonProperty("chunks_per_second") double chunksPerSecond,
        @JsonProperty("mb_per_second") double mbPerSecond,
        @JsonProperty("e2e_latency_ms_p50") double e2eLatencyMsP50,
        @JsonProperty("e2e_latency_ms_p99") double e2eLatencyMsP99,
        @JsonProperty("e2e_latency_ms_max") double e2eLatencyMsMax,
        @JsonProperty("mode") String mode,
        @JsonProperty("path") String path) {

    /** How an unpaced run's offered rate reads in the file. */
    public static final String UNLIMITED = "unlimited (saturation)";

    /** Writes a null offered rate as {@link #UNLIMITED}. */
    static final class UnlimitedRate extends StdSerializer<Object> {
        private static final long serialVersionUID = 1L;

        UnlimitedRate() {
            super(Object.class);
        }

        @Override
        public void serialize(Object value, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeString(UNLIMITED);
        }
    }
}
