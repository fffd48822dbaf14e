package io.tributary.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.simulator.SimulatorSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PointMass2DDataControllerTest {
    @Test
    void actionsArePullPlusClippedGaussianNoise() {
        Controller c = Controllers.create("pointmass2d-data", new SimulatorSettings("PointMass2D-v0", Map.of()));
        c.reset(1L);
        // At (-1.5, 0.5) the bump lies straight along +x: u = (1, 0).
        float[] obs = {-1.5f, 0.5f, 0f};
        float[] a = new float[2];
        int n = 40_000;
        double sx = 0;
        double sy = 0;
        double syy = 0;
        double maxAbs = 0;
        for (int i = 0; i < n; i++) {
            c.act(obs, new double[0], a);
            sx += a[0];
            sy += a[1];
            syy += a[1] * a[1];
            maxAbs = Math.max(maxAbs, Math.max(Math.abs(a[0]), Math.abs(a[1])));
        }
        double my = sy / n;
        double sdy = Math.sqrt(syy / n - my * my);
        assertTrue(maxAbs <= 1.0, "clipped to [-1, 1]: max |a|=" + maxAbs);
        assertEquals(0.0, my, 0.01, "no pull across the line to the bump");
        // clip(N(0, 0.4^2), -1, 1) has std 0.3955; clip(N(0.5, 0.4^2), -1, 1) has mean 0.4802 (by simulation).
        assertEquals(0.3955, sdy, 0.01);
        assertEquals(0.4802, sx / n, 0.01);
        assertThrows(IllegalArgumentException.class,
                () -> Controllers.create("pointmass2d-data", new SimulatorSettings("Pendulum-v1", Map.of())));
    }
}
