package io.tributary.learner.dynamics;

import io.tributary.simulator.model.DynamicsEnsembleParameters;
import java.util.Objects;

/**
 * The result of a dynamics fit: the ensemble to save (each member at its best validation epoch, elites the
 * best by validation MSE) and how the fit went.
 *
 * @param parameters  the ensemble, ready for {@link io.tributary.simulator.model.DynamicsEnsembleFile#write}
 * @param epochs      epochs run
 * @param stoppedEarly true if the fit stopped for lack of improvement, false if it reached max-epochs
 * @param trainNll    the last epoch's training NLL (see {@link EpochReport#trainNll()})
 * @param trainSize   training transitions
 * @param validationRows the dataset rows held out for validation (so the MSEs can be checked from the file)
 */
public record DynamicsFit(DynamicsEnsembleParameters parameters, int epochs, boolean stoppedEarly, double trainNll,
                          int trainSize, int[] validationRows) {

    public DynamicsFit {
        Objects.requireNonNull(parameters, "parameters");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1: epochs=" + epochs);
        }
        validationRows = validationRows.clone();
    }

    @Override
    public int[] validationRows() {
        return validationRows.clone();
    }

    /** Validation transitions. */
    public int validationSize() {
        return validationRows.length;
    }

    /** Mean validation MSE of the elites, the figure a fit is judged by. */
    public double validationMse() {
        return parameters.eliteValidationMse();
    }
}
