package io.tributary.learner.dynamics;

import ai.djl.Device;
import io.tributary.simulator.data.OfflineDataset;
import io.tributary.simulator.model.DynamicsEnsembleFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Fit-and-save, the one path by which a fitted ensemble reaches a {@code dynamics-ensemble} file. */
public final class DynamicsFits {
    private DynamicsFits() {
    }

    /**
     * Fits an ensemble to {@code dataset} and, only if the fit succeeds, writes it to {@code out} (atomically);
     * a failed fit leaves no file behind.
     *
     * @throws DynamicsFitException if the fit turns non-finite (nothing is written)
     */
    public static DynamicsFit fitAndSave(OfflineDataset dataset, DynamicsSettings settings, long seed, Device device,
                                         Path out, Consumer<EpochReport> progress) throws IOException {
        DynamicsFit fit;
        try (DynamicsEnsembleTrainer trainer = new DynamicsEnsembleTrainer(settings, seed, device)) {
            fit = trainer.fit(dataset, progress);
        }
        DynamicsEnsembleFile.write(out, fit.parameters());
        return fit;
    }
}
