package io.tributary.learner.dynamics;

/**
 * Progress of a dynamics fit after one epoch.
 *
 * @param epoch                  1-based epoch number
 * @param trainNll               mean over the epoch's minibatches and the members of the Gaussian NLL
 *                               {@code mean((mu - y)^2 e^-logvar + logvar)} (twice the NLL per value, less log 2 pi)
 * @param validationMse          per member, the validation MSE of the mean prediction this epoch
 * @param bestValidationMse      per member, the best validation MSE so far (its kept weights)
 * @param elites                 the members that are the elites if the fit stopped now (best first)
 * @param epochsSinceImprovement epochs in a row in which no member improved by the threshold
 */
public record EpochReport(int epoch, double trainNll, double[] validationMse, double[] bestValidationMse, int[] elites,
                          int epochsSinceImprovement) {

    public EpochReport {
        validationMse = validationMse.clone();
        bestValidationMse = bestValidationMse.clone();
        elites = elites.clone();
    }

    @Override
    public double[] validationMse() {
        return validationMse.clone();
    }

    @Override
    public double[] bestValidationMse() {
        return bestValidationMse.clone();
    }

    @Override
    public int[] elites() {
        return elites.clone();
    }
}
