package io.tributary.learner.dynamics;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.tributary.learner.nn.Adam;
import io.tributary.learner.nn.Arrays64;
import io.tributary.simulator.data.OfflineDataset;
import io.tributary.simulator.model.DynamicsEnsembleParameters;
import io.tributary.simulator.random.SplitMix64;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Fits a learned dynamics ensemble to an offline dataset the way MBPO and the Edge-of-Reach code do:
 * {@code members} Gaussian MLPs predicting (Δs, r) from normalised (s, a), each on its own bootstrap resample,
 * trained together (stacked weights, one batched product) on the Gaussian NLL plus the log-variance bound
 * regulariser with Adam; after every epoch each member's validation MSE is measured on a held-out split,
 * a member that improved by the threshold keeps those weights, and the fit stops after {@code patience}
 * epochs without any improvement. The elites are the best members by validation MSE.
 *
 * <p>One fit per trainer; {@link #predict} then runs the fitted network (for checks against the pure-Java
 * model). A non-finite loss or validation error stops the fit with a {@link DynamicsFitException}.
 */
public final class DynamicsEnsembleTrainer implements AutoCloseable {
    private static final float ADAM_BETA1 = 0.9f;
    private static final float ADAM_BETA2 = 0.999f;
    /** torch.optim.Adam's default, which the reference code keeps. */
    private static final float ADAM_EPSILON = 1e-8f;
    /** Validation rows per forward pass, to bound the (members, rows, width) intermediates. */
    private static final int VALIDATION_CHUNK = 4096;

    private final DynamicsSettings settings;
    private final long seed;
    private final NDManager manager;
    private EnsembleNetwork net;
    private DynamicsData data;

    /** A trainer whose tensors live on {@code device}; {@code seed} fixes split, bootstrap, initialisation and order. */
    public DynamicsEnsembleTrainer(DynamicsSettings settings, long seed, Device device) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.seed = seed;
        this.manager = NDManager.newBaseManager(device);
    }

    /**
     * Fits the ensemble to {@code dataset}, reporting each epoch to {@code progress}.
     *
     * @throws DynamicsFitException if a loss or validation error turns non-finite
     */
    public DynamicsFit fit(OfflineDataset dataset, Consumer<EpochReport> progress) {
        if (net != null) {
            throw new IllegalStateException("a trainer fits once: create a new DynamicsEnsembleTrainer");
        }
        int members = settings.members();
        SplitMix64 rng = new SplitMix64(seed);
        data = new DynamicsData(dataset, members, settings.validationFraction(), rng);
        net = new EnsembleNetwork(manager, members, data.inputSize, data.targetSize, settings.hiddenSizes(), rng);

        double[] best = new double[members];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        float[][] kept = net.snapshot();
        int sinceImprovement = 0;
        int epoch = 0;
        boolean stoppedEarly = false;
        double trainNll = Double.NaN;
        try (Adam adam = new Adam(manager, net.params, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON)) {
            while (epoch < settings.maxEpochs()) {
                epoch++;
                trainNll = trainEpoch(adam, rng, epoch);
                double[] mse = validate(epoch);

                // Each member keeps its best weights; the fit goes on while any member still improves by the threshold.
                boolean improved = false;
                float[][] current = null;
                for (int e = 0; e < members; e++) {
                    boolean better = best[e] == Double.POSITIVE_INFINITY
                            || (best[e] > 0 ? (best[e] - mse[e]) / best[e] > settings.improvementThreshold()
                            : mse[e] < best[e]);
                    if (better) {
                        if (current == null) {
                            current = net.snapshot();
                        }
                        keepMember(current, kept, e);
                        best[e] = mse[e];
                        improved = true;
                    }
                }
                sinceImprovement = improved ? 0 : sinceImprovement + 1;
                progress.accept(new EpochReport(epoch, trainNll, mse, best, elites(best), sinceImprovement));
                if (sinceImprovement >= settings.patience()) {
                    stoppedEarly = true;
                    break;
                }
            }
        }
        // The log-variance bounds are shared by the members, so they stay at their last values.
        float[][] last = net.snapshot();
        for (int i = 2 * net.layers(); i < kept.length; i++) {
            kept[i] = last[i];
        }
        net.load(kept);
        return new DynamicsFit(parameters(kept, best), epoch, stoppedEarly, trainNll, data.trainRows.length,
                data.validationRows);
    }

    /** One pass over every member's bootstrap resample in shuffled minibatches; returns the mean NLL. */
    private double trainEpoch(Adam adam, SplitMix64 rng, int epoch) {
        int members = settings.members();
        int m = data.trainRows.length;
        int in = data.inputSize;
        int t = data.targetSize;
        for (int e = 0; e < members; e++) {
            rng.shuffle(data.bootstrap[e], m);
        }
        float lr = (float) settings.learningRate();
        int batchSize = settings.batchSize();
        int batches = (m + batchSize - 1) / batchSize;
        double nllSum = 0;
        NDArray[] grads = new NDArray[net.params.length];
        for (int b = 0; b < batches; b++) {
            int start = b * batchSize;
            int rows = Math.min(batchSize, m - start);
            float[] xs = new float[members * rows * in];
            float[] ys = new float[members * rows * t];
            for (int e = 0; e < members; e++) {
                for (int j = 0; j < rows; j++) {
                    int row = data.bootstrap[e][start + j];
                    System.arraycopy(data.inputs, row * in, xs, (e * rows + j) * in, in);
                    System.arraycopy(data.targets, row * t, ys, (e * rows + j) * t, t);
                }
            }
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = Arrays64.create(sub, xs, new Shape(members, rows, in));
                NDArray y = Arrays64.create(sub, ys, new Shape(members, rows, t));
                // Constants live in the minibatch manager for the whole step (see DESIGN.md: DJL scalar pitfall).
                NDArray boundCoef = sub.create((float) settings.logvarBoundCoef());
                NDArray loss;
                NDArray nll;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDList out = net.forward(x);
                    NDArray mean = out.get(0);
                    NDArray logvar = out.get(1);
                    // Gaussian NLL per member (up to constants): squared error over the variance, plus log-variance.
                    NDArray weightedError = mean.sub(y).square().mul(logvar.neg().exp()).reshape(members, -1).mean(new int[] {1});
                    NDArray logvarTerm = logvar.reshape(members, -1).mean(new int[] {1});
                    nll = weightedError.add(logvarTerm);
                    // Keeps the learnable bounds tight: penalise a high ceiling and a low floor.
                    NDArray bounds = net.maxLogvar().sum().sub(net.minLogvar().sum());
                    bounds.attach(sub);
                    loss = nll.sum().add(bounds.mul(boundCoef));
                    gc.backward(loss);
                }
                float[] values = NDArrays.stack(new NDList(loss.stopGradient(), nll.stopGradient().mean())).toFloatArray();
                if (!Float.isFinite(values[0])) {
                    throw new DynamicsFitException("dynamics fit stopped: the training loss is not finite: epoch="
                            + epoch + ", batch=" + (b + 1) + "/" + batches + ", loss=" + values[0]
                            + " (check the dataset for extreme or non-finite values, or lower learning-rate)");
                }
                for (int i = 0; i < grads.length; i++) {
                    grads[i] = net.params[i].getGradient();
                    grads[i].attach(sub);
                }
                adam.step(net.params, grads, lr, 1f);
                nllSum += values[1];
            }
        }
        return nllSum / batches;
    }

    /** Each member's mean squared error of its mean prediction over the validation split (every target value). */
    private double[] validate(int epoch) {
        int members = settings.members();
        int[] rowsAll = data.validationRows;
        int in = data.inputSize;
        int t = data.targetSize;
        double[] sums = new double[members];
        for (int start = 0; start < rowsAll.length; start += VALIDATION_CHUNK) {
            int rows = Math.min(VALIDATION_CHUNK, rowsAll.length - start);
            float[] xs = new float[rows * in];
            float[] ys = new float[rows * t];
            for (int j = 0; j < rows; j++) {
                int row = rowsAll[start + j];
                System.arraycopy(data.inputs, row * in, xs, j * in, in);
                System.arraycopy(data.targets, row * t, ys, j * t, t);
            }
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = Arrays64.create(sub, xs, new Shape(1, rows, in));
                NDArray y = Arrays64.create(sub, ys, new Shape(1, rows, t));
                NDArray mean = net.forward(x).get(0);
                float[] s = mean.sub(y).square().reshape(members, -1).sum(new int[] {1}).toFloatArray();
                for (int e = 0; e < members; e++) {
                    sums[e] += s[e];
                }
            }
        }
        double[] mse = new double[members];
        for (int e = 0; e < members; e++) {
            mse[e] = sums[e] / ((double) rowsAll.length * t);
            if (!Double.isFinite(mse[e])) {
                throw new DynamicsFitException("dynamics fit stopped: a validation error is not finite: epoch=" + epoch
                        + ", member=" + e + ", validationMse=" + mse[e]);
            }
        }
        return mse;
    }

    private void keepMember(float[][] current, float[][] kept, int member) {
        for (int l = 0; l < net.layers(); l++) {
            int w = net.sizes[l] * net.sizes[l + 1];
            System.arraycopy(current[2 * l], member * w, kept[2 * l], member * w, w);
            int o = net.sizes[l + 1];
            System.arraycopy(current[2 * l + 1], member * o, kept[2 * l + 1], member * o, o);
        }
    }

    /** The best {@code elites} members by validation MSE, best first (ties by index). */
    private int[] elites(double[] mse) {
        return IntStream.range(0, mse.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(e -> mse[e]).thenComparingInt(e -> e))
                .limit(settings.elites()).mapToInt(Integer::intValue).toArray();
    }

    private DynamicsEnsembleParameters parameters(float[][] values, double[] best) {
        int layers = net.layers();
        float[][] w = new float[layers][];
        float[][] b = new float[layers][];
        for (int l = 0; l < layers; l++) {
            w[l] = values[2 * l];
            b[l] = values[2 * l + 1];
        }
        int obs = data.targetSize - 1;
        return new DynamicsEnsembleParameters(obs, data.inputSize - obs, settings.hiddenSizes(), settings.members(),
                elites(best), data.inputMean, data.inputStd, values[2 * layers], values[2 * layers + 1], w, b, best);
    }

    /**
     * Runs the fitted network (every member) on {@code rows} raw inputs, normalised as in training: for checks
     * of the pure-Java model against this one.
     */
    public Prediction predict(float[] observations, float[] actions, int rows) {
        if (net == null) {
            throw new IllegalStateException("predict needs a fitted ensemble: call fit first");
        }
        int obs = data.targetSize - 1;
        int act = data.inputSize - obs;
        float[] xs = new float[rows * data.inputSize];
        for (int j = 0; j < rows; j++) {
            for (int k = 0; k < obs; k++) {
                xs[j * data.inputSize + k] = data.normalise(observations[j * obs + k], k);
            }
            for (int k = 0; k < act; k++) {
                xs[j * data.inputSize + obs + k] = data.normalise(actions[j * act + k], obs + k);
            }
        }
        try (NDManager sub = manager.newSubManager()) {
            NDList out = net.forward(Arrays64.create(sub, xs, new Shape(1, rows, data.inputSize)));
            return new Prediction(settings.members(), rows, data.targetSize, out.get(0).toFloatArray(),
                    out.get(1).toFloatArray());
        }
    }

    /**
     * Outputs of every member for a set of inputs.
     *
     * @param mean   {@code [member][row][target]} means, flattened
     * @param logvar soft-clamped log-variances in the same layout
     */
    public record Prediction(int members, int rows, int targets, float[] mean, float[] logvar) {
        public Prediction {
            if (mean.length != members * rows * targets || logvar.length != mean.length) {
                throw new IllegalArgumentException("prediction arrays have the wrong length: mean=" + mean.length
                        + ", logvar=" + logvar.length + ", expected=" + members * rows * targets);
            }
        }
    }

    @Override
    public void close() {
        if (net != null) {
            net.close();
        }
        manager.close();
    }
}
