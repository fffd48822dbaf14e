package io.tributary.learner.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.tributary.simulator.data.OfflineDataset;
import io.tributary.simulator.model.DynamicsEnsembleFile;
import io.tributary.simulator.model.DynamicsEnsembleModel;
import io.tributary.simulator.model.DynamicsEnsembleParameters;
import io.tributary.simulator.random.SplitMix64;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamicsEnsembleTrainerTest {
    /** The default network on 3,000 transitions with an epoch cap: a few seconds. */
    private static final String SMALL = "tributary.learner.dynamics { max-epochs = 60 }";

    private OfflineDataset pendulum;
    private DynamicsEnsembleTrainer trainer;
    private DynamicsFit fit;
    private final List<EpochReport> reports = new ArrayList<>();

    @BeforeAll
    void fitPendulum() {
        pendulum = PendulumTransitions.random(15, 200, 3);
        trainer = new DynamicsEnsembleTrainer(DynamicsSettings.defaults(SMALL), 5, Device.cpu());
        long t0 = System.nanoTime();
        fit = trainer.fit(pendulum, reports::add);
        System.out.printf("pendulum fit: %d epochs, %.1f s, elite validation MSE %.5f (target variance %.3f), "
                        + "stopped early %s, per member %s%n", fit.epochs(), (System.nanoTime() - t0) / 1e9,
                fit.validationMse(), PendulumTransitions.targetVariance(pendulum), fit.stoppedEarly(),
                Arrays.toString(fit.parameters().validationMse()));
    }

    @AfterAll
    void close() {
        trainer.close();
    }

    @Test
    void fitsPendulumDynamicsToATenthOfTheVarianceOfTheTargets() {
        // Predicting the mean of each target scores the target variance (about 3.2 here); 2,400 training
        // transitions bring the elites to about 0.2 (40,000 bring them below 0.001, see docs/dynamics-ensemble.md).
        double variance = PendulumTransitions.targetVariance(pendulum);
        assertTrue(fit.validationMse() < 0.1 * variance, "elite validation MSE " + fit.validationMse()
                + " should be below 10% of the target variance " + variance);
        assertEquals(2400, fit.trainSize());
        assertEquals(600, fit.validationSize());
        assertEquals(reports.size(), fit.epochs());
        assertTrue(reports.get(reports.size() - 1).trainNll() < reports.get(0).trainNll(), "training NLL fell");
    }

    @Test
    void elitesAreTheBestFiveByValidationMse() {
        DynamicsEnsembleParameters p = fit.parameters();
        double[] mse = p.validationMse();
        int[] expected = IntStream.range(0, 7).boxed().sorted(Comparator.comparingDouble(e -> mse[e]))
                .limit(5).mapToInt(Integer::intValue).toArray();
        assertArrayEquals(expected, p.elites());
        assertArrayEquals(reports.get(reports.size() - 1).bestValidationMse(), mse);
        // Each member's kept MSE is one it reached, and no epoch was more than the threshold better.
        for (int e = 0; e < 7; e++) {
            double min = Double.POSITIVE_INFINITY;
            boolean reached = false;
            for (EpochReport r : reports) {
                min = Math.min(min, r.validationMse()[e]);
                reached |= r.validationMse()[e] == mse[e];
            }
            assertTrue(reached, "member " + e + " keeps the weights of an epoch it reached");
            assertTrue(min >= mse[e] * 0.99 - 1e-12, "member " + e + ": best seen " + min + ", kept " + mse[e]);
        }
    }

    @Test
    void pureJavaModelComputesWhatTheDjlNetworkComputes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pendulum.dyn");
        DynamicsEnsembleFile.write(file, fit.parameters());
        DynamicsEnsembleModel model = DynamicsEnsembleModel.load(file);
        SplitMix64 r = new SplitMix64(42);
        int rows = 64;
        float[] obs = new float[rows * 3];
        float[] act = new float[rows];
        for (int j = 0; j < rows; j++) {
            double th = r.uniform(-Math.PI, Math.PI);
            obs[j * 3] = (float) Math.cos(th);
            obs[j * 3 + 1] = (float) Math.sin(th);
            obs[j * 3 + 2] = (float) r.uniform(-8, 8);
            act[j] = (float) r.uniform(-2, 2);
        }
        DynamicsEnsembleTrainer.Prediction djl = trainer.predict(obs, act, rows);
        double[] mu = new double[4];
        double[] lv = new double[4];
        double worst = 0;
        for (int e = 0; e < 7; e++) {
            for (int j = 0; j < rows; j++) {
                model.predict(e, Arrays.copyOfRange(obs, j * 3, j * 3 + 3), new float[] {act[j]}, mu, lv);
                for (int k = 0; k < 4; k++) {
                    int idx = (e * rows + j) * 4 + k;
                    worst = Math.max(worst, Math.abs(djl.mean()[idx] - mu[k]));
                    worst = Math.max(worst, Math.abs(djl.logvar()[idx] - lv[k]));
                }
            }
        }
        assertTrue(worst < 1e-5, "largest difference between the DJL and pure-Java forward: " + worst);
    }

    @Test
    void theSavedWeightsScoreTheSavedValidationMse() {
        // Recomputed in pure Java from the saved weights on the held-out rows: each member's kept weights are
        // the ones its reported MSE was measured with (not, say, the last epoch's).
        DynamicsEnsembleParameters p = fit.parameters();
        DynamicsEnsembleModel model = new DynamicsEnsembleModel(p);
        double[] mu = new double[4];
        double[] lv = new double[4];
        float[] s = new float[3];
        float[] a = new float[1];
        for (int e = 0; e < 7; e++) {
            double sum = 0;
            for (int row : fit.validationRows()) {
                System.arraycopy(pendulum.observations(), row * 3, s, 0, 3);
                a[0] = pendulum.actions()[row];
                model.predict(e, s, a, mu, lv);
                for (int k = 0; k < 3; k++) {
                    double d = mu[k] - (pendulum.nextObservations()[row * 3 + k] - s[k]);
                    sum += d * d;
                }
                double d = mu[3] - pendulum.rewards()[row];
                sum += d * d;
            }
            double mse = sum / (fit.validationRows().length * 4.0);
            assertEquals(p.validationMse()[e], mse, 1e-4 * mse, "member " + e);
        }
    }

    @Test
    void aFitStopsEarlyWhenNoMemberImproves() {
        // A 99% gain per epoch is out of reach after the first epoch, so patience 2 ends the fit at epoch 3.
        DynamicsSettings s = DynamicsSettings.defaults("tributary.learner.dynamics { hidden-sizes = [16], "
                + "improvement-threshold = 0.99, patience = 2 }");
        List<EpochReport> seen = new ArrayList<>();
        try (DynamicsEnsembleTrainer t = new DynamicsEnsembleTrainer(s, 1, Device.cpu())) {
            DynamicsFit f = t.fit(PendulumTransitions.random(2, 200, 9), seen::add);
            assertTrue(f.stoppedEarly());
            assertEquals(3, f.epochs());
            assertEquals(List.of(0, 1, 2), seen.stream().map(EpochReport::epochsSinceImprovement).toList());
            // Kept weights are those of epoch 1 (the only improvement), for every member.
            assertArrayEquals(seen.get(0).validationMse(), f.parameters().validationMse());
        }
    }

    @Test
    void aNonFiniteLossStopsTheFitAndWritesNoFile(@TempDir Path dir) {
        OfflineDataset d = PendulumTransitions.random(2, 200, 4);
        float[] rewards = d.rewards();
        rewards[17] = 1e30f; // finite, but its squared error overflows float32
        OfflineDataset bad = new OfflineDataset(d.environment(), 3, 1, d.observations(), d.actions(), rewards,
                d.nextObservations(), d.terminals(), d.timeouts());
        Path out = dir.resolve("never.dyn");
        List<EpochReport> seen = new ArrayList<>();
        DynamicsFitException e = assertThrows(DynamicsFitException.class, () -> DynamicsFits.fitAndSave(bad,
                DynamicsSettings.defaults("tributary.learner.dynamics.hidden-sizes = [16]"), 1, Device.cpu(), out,
                seen::add));
        assertTrue(e.getMessage().contains("not finite") && e.getMessage().contains("epoch=1"), e.getMessage());
        assertTrue(seen.isEmpty(), "no epoch completed");
        assertFalse(Files.exists(out), "a failed fit writes no model file");
    }

    @Test
    void fitAndSaveWritesWhatItFitted(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("m.dyn");
        DynamicsFit f = DynamicsFits.fitAndSave(PendulumTransitions.random(2, 200, 4),
                DynamicsSettings.defaults("tributary.learner.dynamics { hidden-sizes = [16], max-epochs = 2 }"), 1,
                Device.cpu(), out, r -> { });
        assertEquals(f.parameters(), DynamicsEnsembleFile.read(out));
        assertEquals(2, f.epochs());
        assertFalse(f.stoppedEarly());
    }
}
