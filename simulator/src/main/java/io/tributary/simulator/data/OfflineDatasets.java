package io.tributary.simulator.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One entry point for reading an offline dataset file of any supported kind, chosen by extension:
 * {@code .hdf5}/{@code .h5} through {@link Hdf5Datasets} (D4RL or Minari layout), anything else as
 * Tributary's own format through {@link DatasetFiles}.
 */
public final class OfflineDatasets {
    private OfflineDatasets() {
    }

    /** True if {@code file} is read as HDF5. */
    public static boolean isHdf5(Path file) {
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return lower.endsWith(".hdf5") || lower.endsWith(".h5");
    }

    /**
     * Reads {@code file}.
     *
     * @param environment the environment to label HDF5 data with (HDF5 files do not name ours); required for
     *                    HDF5, ignored for Tributary files, which name their environment
     */
    public static OfflineDataset read(Path file, String environment) throws IOException {
        if (isHdf5(file)) {
            if (environment == null || environment.isBlank()) {
                throw new IllegalArgumentException("an HDF5 dataset does not name its environment; give one: file="
                        + file);
            }
            return Hdf5Datasets.read(file, environment);
        }
        return DatasetFiles.read(file);
    }
}
