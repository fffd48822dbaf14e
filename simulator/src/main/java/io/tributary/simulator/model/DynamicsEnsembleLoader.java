package io.tributary.simulator.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads {@code dynamics-ensemble} files (written by the learner's dynamics fit) as
 * {@link DynamicsEnsembleModel}s; registered for {@link java.util.ServiceLoader}.
 */
public final class DynamicsEnsembleLoader implements TransitionModelLoader {

    @Override
    public String format() {
        return DynamicsEnsembleFile.FORMAT;
    }

    @Override
    public TransitionModel load(Path file) throws IOException {
        return DynamicsEnsembleModel.load(file);
    }
}
