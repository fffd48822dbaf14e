package io.tributary.actors;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code ./tributary soak} writes to {@code summary.json}: the run's {@link RunSummary} keys, flat, then
 * the soak figures. {@code rssMb} holds the memory samples under their dynamic flat keys
 * ({@code rss_mb_minute_N} when sampling each minute, {@code rss_mb_at_Ns} otherwise), in sampling order.
 * {@code rssGrowthPercentMinute5ToEnd} is absent (null) unless minute 5 and the last minute were sampled.
 */
public record SoakSummary(
        @JsonUnwrapped RunSummary run,
        @JsonProperty("soak_minutes") double soakMinutes,
        @JsonProperty("rss_growth_percent_minute_5_to_end") @JsonInclude(JsonInclude.Include.NON_NULL)
        Double rssGrowthPercentMinute5ToEnd,
        @JsonProperty("rss_samples") int rssSamples,
        @JsonIgnore Map<String, Double> rssMb) {

    /** Copies the samples, keeping their order. */
    public SoakSummary {
        if (run == null) {
            throw new IllegalArgumentException("soak summary needs the run's summary: run=null");
        }
        for (String k : rssMb.keySet()) {
            if (!k.startsWith("rss_mb_")) {
                throw new IllegalArgumentException("memory sample keys start with rss_mb_: key=" + k);
            }
        }
        rssMb = Collections.unmodifiableMap(new LinkedHashMap<>(rssMb));
    }

    /** The memory samples as flat keys of the summary. */
    @JsonAnyGetter
    public Map<String, Double> rssKeys() {
        return rssMb;
    }
}
