package io.tributary.simulator.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads a frozen {@link TransitionModel} from a file of one format (e.g. a learned dynamics ensemble),
 * found by {@link java.util.ServiceLoader} under its {@link #format()} name. Model-rollout environments
 * use it so that the simulator module needs no knowledge of how a model was trained.
 */
public interface TransitionModelLoader {

    /** Name of the file format this loader reads, e.g. {@code dynamics-ensemble}. */
    String format();

    /** Reads {@code file}; the model may be called from one thread per returned instance. */
    TransitionModel load(Path file) throws IOException;
}
