package io.tributary.simulator.model;

import java.util.Arrays;

/**
 * The frozen weights of a learned dynamics ensemble, as the learner writes them and
 * {@link DynamicsEnsembleModel} reads them: {@code members} MLPs over the normalised input (observation,
 * action), each predicting the mean and raw log-variance of (Δobservation, reward).
 *
 * <p>Layer {@code l} maps {@code layerSize(l)} to {@code layerSize(l + 1)} values; its weights are held
 * member by member, row-major {@code [member][in][out]} (the learner's stacked {@code (members, in, out)}
 * tensor), its biases {@code [member][out]}. Hidden layers use SiLU; the output layer is linear with
 * {@code 2 * targetSize()} values: the mean, then the raw log-variance, which is soft-clamped into
 * {@code [minLogvar, maxLogvar]} (per target dimension) as in the MBPO reference code.
 *
 * @param observationSize values per observation
 * @param actionSize      values per action
 * @param hiddenSizes     hidden widths (every member has the same)
 * @param members         ensemble size
 * @param elites          indices of the members used for prediction (best by validation MSE), distinct
 * @param inputMean       mean of the training inputs (observation then action), {@code inputSize()} values
 * @param inputStd        their standard deviation (1 where it was ~0), {@code inputSize()} positive values
 * @param maxLogvar       learned upper log-variance bound per target, {@code targetSize()} values
 * @param minLogvar       learned lower bound per target
 * @param weights         per layer, {@code members * in * out} values
 * @param biases          per layer, {@code members * out} values
 * @param validationMse   per member, its validation mean squared error of the mean prediction
 */
public record DynamicsEnsembleParameters(int observationSize, int actionSize, int[] hiddenSizes, int members,
                                         int[] elites, float[] inputMean, float[] inputStd, float[] maxLogvar,
                                         float[] minLogvar, float[][] weights, float[][] biases,
                                         double[] validationMse) {

    public DynamicsEnsembleParameters {
        if (observationSize <= 0 || actionSize <= 0) {
            throw new IllegalArgumentException("sizes must be positive: observationSize=" + observationSize
                    + ", actionSize=" + actionSize);
        }
        if (members <= 0) {
            throw new IllegalArgumentException("members must be positive: members=" + members);
        }
        hiddenSizes = hiddenSizes.clone();
        for (int h : hiddenSizes) {
            if (h <= 0) {
                throw new IllegalArgumentException("hidden widths must be positive: hiddenSizes="
                        + Arrays.toString(hiddenSizes));
            }
        }
        elites = elites.clone();
        if (elites.length == 0 || elites.length > members) {
            throw new IllegalArgumentException("elite count out of range: elites=" + elites.length + ", members=" + members);
        }
        boolean[] seen = new boolean[members];
        for (int e : elites) {
            if (e < 0 || e >= members || seen[e]) {
                throw new IllegalArgumentException("elite index out of range or repeated: elite=" + e + ", members="
                        + members + ", elites=" + Arrays.toString(elites));
            }
            seen[e] = true;
        }
        int in = observationSize + actionSize;
        int target = observationSize + 1;
        check("inputMean", inputMean.length, in);
        check("inputStd", inputStd.length, in);
        for (int i = 0; i < in; i++) {
            if (!(inputStd[i] > 0) || !Float.isFinite(inputStd[i]) || !Float.isFinite(inputMean[i])) {
                throw new IllegalArgumentException("input statistics must be finite with positive std: index=" + i
                        + ", mean=" + inputMean[i] + ", std=" + inputStd[i]);
            }
        }
        check("maxLogvar", maxLogvar.length, target);
        check("minLogvar", minLogvar.length, target);
        int layers = hiddenSizes.length + 1;
        check("weights (layers)", weights.length, layers);
        check("biases (layers)", biases.length, layers);
        for (int l = 0; l < layers; l++) {
            int a = l == 0 ? in : hiddenSizes[l - 1];
            int b = l == layers - 1 ? 2 * target : hiddenSizes[l];
            check("weights[" + l + "]", weights[l].length, members * a * b);
            check("biases[" + l + "]", biases[l].length, members * b);
        }
        check("validationMse", validationMse.length, members);
        inputMean = inputMean.clone();
        inputStd = inputStd.clone();
        maxLogvar = maxLogvar.clone();
        minLogvar = minLogvar.clone();
        weights = deepCopy(weights);
        biases = deepCopy(biases);
        validationMse = validationMse.clone();
    }

    private static void check(String field, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(field + " has the wrong length: length=" + actual + ", expected=" + expected);
        }
    }

    private static float[][] deepCopy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    /** Values per network input: observation then action. */
    public int inputSize() {
        return observationSize + actionSize;
    }

    /** Values per prediction target: Δobservation then reward. */
    public int targetSize() {
        return observationSize + 1;
    }

    /** Number of dense layers (hidden layers plus the output layer). */
    public int layers() {
        return hiddenSizes.length + 1;
    }

    /** Width of layer boundary {@code i}: 0 is the input, {@link #layers()} the output ({@code 2 * targetSize()}). */
    public int layerSize(int i) {
        if (i == 0) {
            return inputSize();
        }
        return i == layers() ? 2 * targetSize() : hiddenSizes[i - 1];
    }

    /** Mean validation MSE of the elites: the figure a fit reports. */
    public double eliteValidationMse() {
        double s = 0;
        for (int e : elites) {
            s += validationMse[e];
        }
        return s / elites.length;
    }

    @Override
    public int[] hiddenSizes() {
        return hiddenSizes.clone();
    }

    @Override
    public int[] elites() {
        return elites.clone();
    }

    @Override
    public float[] inputMean() {
        return inputMean.clone();
    }

    @Override
    public float[] inputStd() {
        return inputStd.clone();
    }

    @Override
    public float[] maxLogvar() {
        return maxLogvar.clone();
    }

    @Override
    public float[] minLogvar() {
        return minLogvar.clone();
    }

    @Override
    public float[][] weights() {
        return deepCopy(weights);
    }

    @Override
    public float[][] biases() {
        return deepCopy(biases);
    }

    @Override
    public double[] validationMse() {
        return validationMse.clone();
    }

    /** Layer {@code l}'s weights without copying, for the model's forward pass (package-private: never mutate). */
    float[] weightsOf(int l) {
        return weights[l];
    }

    float[] biasesOf(int l) {
        return biases[l];
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DynamicsEnsembleParameters p)) {
            return false;
        }
        return observationSize == p.observationSize && actionSize == p.actionSize && members == p.members
                && Arrays.equals(hiddenSizes, p.hiddenSizes) && Arrays.equals(elites, p.elites)
                && Arrays.equals(inputMean, p.inputMean) && Arrays.equals(inputStd, p.inputStd)
                && Arrays.equals(maxLogvar, p.maxLogvar) && Arrays.equals(minLogvar, p.minLogvar)
                && Arrays.deepEquals(weights, p.weights) && Arrays.deepEquals(biases, p.biases)
                && Arrays.equals(validationMse, p.validationMse);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(new int[] {observationSize, actionSize, members}) + Arrays.deepHashCode(weights);
    }

    @Override
    public String toString() {
        return "DynamicsEnsembleParameters[observationSize=" + observationSize + ", actionSize=" + actionSize
                + ", hiddenSizes=" + Arrays.toString(hiddenSizes) + ", members=" + members + ", elites="
                + Arrays.toString(elites) + ", validationMse=" + Arrays.toString(validationMse) + "]";
    }
}
