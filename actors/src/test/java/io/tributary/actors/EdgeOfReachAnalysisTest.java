package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixed definitions of the edge-of-reach figures on hand-made series. */
class EdgeOfReachAnalysisTest {
    private static EdgeOfReachAnalysis.Series series(double[] q, long diverged) {
        List<EdgeOfReachAnalysis.Probe> p = new ArrayList<>();
        for (int i = 0; i < q.length; i++) {
            p.add(new EdgeOfReachAnalysis.Probe(1000.0 * (i + 1), q[i], -i, 0.1, 1.0, 0.2, 0.1, 0.01));
        }
        return new EdgeOfReachAnalysis.Series(p, diverged, 0.1);
    }

    @Test
    void finalPeakAndRising() {
        // 20 probes at steps 1k..20k: 10% = 2k, so the values at 1k and 2k do not count for the peak
        double[] q = {500, 400, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 30, 40, 50, Double.NaN};
        EdgeOfReachAnalysis.Series s = series(q, -1);
        assertEquals(50, EdgeOfReachAnalysis.qMaxFinal(s), 0.0, "the last finite value");
        assertEquals(50, EdgeOfReachAnalysis.qMaxPeak(s), 0.0, "largest after the first 10%");
        // around 80% of 20k = 16k: probes at 14k..18k = {21, 22, 23, 30, 40}, median 23; last 5 = {23, 30, 40, 50}
        // (NaN left out), median 35 > 1.1 * 23
        assertTrue(EdgeOfReachAnalysis.qMaxRising(s));
        double[] flat = new double[20];
        java.util.Arrays.fill(flat, 26.0);
        flat[19] = 28.0;
        assertFalse(EdgeOfReachAnalysis.qMaxRising(series(flat, -1)), "median 26 is not > 1.1 x 26");
        assertTrue(EdgeOfReachAnalysis.qMaxRising(series(flat, 1234)), "a diverged arm counts as rising");
        assertEquals(-19, EdgeOfReachAnalysis.returnFinal(s), 0.0, "the last probe return, its q_max being NaN");
    }

    @Test
    void readsProbeRowsAndDivergenceFromMetrics(@TempDir Path dir) throws IOException {
        Path m = dir.resolve("metrics.jsonl");
        Files.writeString(m, String.join("\n",
                "{\"kind\":\"progress\",\"env_steps_per_second\":10.0}",
                "{\"kind\":\"update\",\"alpha\":0.5,\"diverged_at_update\":-1.0}",
                "{\"kind\":\"update\",\"alpha\":0.4,\"diverged_at_update\":-1.0,\"probe_step\":1000.0,\"q_max\":3.5,"
                        + "\"probe_return\":12.0,\"q_std_edge\":0.3,\"q_std_interior\":0.1,\"edge_state_fraction\":0.02}",
                "{\"kind\":\"update\",\"alpha\":0.3,\"diverged_at_update\":-1.0,\"probe_step\":2000.0,\"q_max\":null,"
                        + "\"probe_return\":13.0}",
                "{\"kind\":\"update\",\"applied\":false,\"diverged_at_update\":2040.0,\"skipped_updates\":1.0}", ""));
        EdgeOfReachAnalysis.Series s = EdgeOfReachAnalysis.read(m);
        assertEquals(2, s.probes().size());
        assertEquals(2040, s.divergedAtUpdate());
        assertEquals(0.3, s.alphaFinal(), 0.0);
        assertEquals(3.5, EdgeOfReachAnalysis.qMaxFinal(s), 0.0, "a null (non-finite) q_max is skipped");
        assertEquals(13.0, EdgeOfReachAnalysis.returnFinal(s), 0.0);
        assertTrue(EdgeOfReachAnalysis.qMaxRising(s));
    }
}
