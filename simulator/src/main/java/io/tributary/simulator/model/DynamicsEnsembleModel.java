package io.tributary.simulator.model;

import io.tributary.simulator.random.SplitMix64;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A frozen learned dynamics ensemble as a {@link TransitionModel}: each step picks one elite uniformly at
 * random and samples the next observation {@code s + mu_ds + sigma_ds * eps} and the reward
 * {@code mu_r + sigma_r * eps} from its Gaussian (as MBPO and the Edge-of-Reach code sample). Pure Java
 * (the simulator has no DJL); its forward pass computes what the learner's DJL network computes, to float
 * rounding. One instance per thread: the scratch buffers are its own, and {@link #step} allocates nothing.
 */
public final class DynamicsEnsembleModel implements TransitionModel {
    private final DynamicsEnsembleParameters params;
    private final int obs;
    private final int act;
    private final int target;
    private final int[] elites;
    private final float[] mean;
    private final double[] invStd;
    private final float[] maxLogvar;
    private final float[] minLogvar;
    private final float[][] w;
    private final float[][] b;
    private final int[] sizes;
    private final double[] bufA;
    private final double[] bufB;
    private final double[] outMean;
    private final double[] outLogvar;

    /** A model over {@code params} (kept, not copied: the record's arrays are never written). */
    public DynamicsEnsembleModel(DynamicsEnsembleParameters params) {
        this.params = params;
        this.obs = params.observationSize();
        this.act = params.actionSize();
        this.target = params.targetSize();
        this.elites = params.elites();
        this.mean = params.inputMean();
        float[] std = params.inputStd();
        this.invStd = new double[std.length];
        for (int i = 0; i < std.length; i++) {
            invStd[i] = 1.0 / std[i];
        }
        this.maxLogvar = params.maxLogvar();
        this.minLogvar = params.minLogvar();
        int layers = params.layers();
        this.w = new float[layers][];
        this.b = new float[layers][];
        this.sizes = new int[layers + 1];
        int widest = 0;
        for (int l = 0; l <= layers; l++) {
            sizes[l] = params.layerSize(l);
            widest = Math.max(widest, sizes[l]);
        }
        for (int l = 0; l < layers; l++) {
            w[l] = params.weightsOf(l);
            b[l] = params.biasesOf(l);
        }
        this.bufA = new double[widest];
        this.bufB = new double[widest];
        this.outMean = new double[target];
        this.outLogvar = new double[target];
    }

    /** Reads a {@code dynamics-ensemble} file ({@link DynamicsEnsembleFile}). */
    public static DynamicsEnsembleModel load(Path file) throws IOException {
        return new DynamicsEnsembleModel(DynamicsEnsembleFile.read(file));
    }

    /** The parameters this model runs. */
    public DynamicsEnsembleParameters parameters() {
        return params;
    }

    @Override
    public int observationSize() {
        return obs;
    }

    @Override
    public int actionSize() {
        return act;
    }

    @Override
    public double step(float[] observation, float[] action, SplitMix64 random, float[] next) {
        int member = elites[random.nextInt(elites.length)];
        forward(member, observation, action);
        for (int i = 0; i < obs; i++) {
            double sigma = Math.exp(0.5 * outLogvar[i]);
            next[i] = (float) (observation[i] + outMean[i] + sigma * random.nextGaussian());
        }
        double sigmaR = Math.exp(0.5 * outLogvar[obs]);
        return outMean[obs] + sigmaR * random.nextGaussian();
    }

    /**
     * Member {@code member}'s Gaussian for (Δobservation, reward): writes {@code targetSize} means and
     * (soft-clamped) log-variances. Allocation-free; for tests and tools that need the distribution itself.
     */
    public void predict(int member, float[] observation, float[] action, double[] meanOut, double[] logvarOut) {
        if (member < 0 || member >= params.members()) {
            throw new IllegalArgumentException("member out of range: member=" + member + ", members=" + params.members());
        }
        forward(member, observation, action);
        System.arraycopy(outMean, 0, meanOut, 0, target);
        System.arraycopy(outLogvar, 0, logvarOut, 0, target);
    }

    private void forward(int member, float[] observation, float[] action) {
        if (observation.length < obs || action.length < act) {
            throw new IllegalArgumentException("input too short: observation.length=" + observation.length
                    + ", observationSize=" + obs + ", action.length=" + action.length + ", actionSize=" + act);
        }
        double[] x = bufA;
        double[] y = bufB;
        for (int i = 0; i < obs; i++) {
            x[i] = ((double) observation[i] - mean[i]) * invStd[i];
        }
        for (int i = 0; i < act; i++) {
            x[obs + i] = ((double) action[i] - mean[obs + i]) * invStd[obs + i];
        }
        int layers = w.length;
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            float[] wl = w[l];
            float[] bl = b[l];
            int wBase = member * in * out;
            int bBase = member * out;
            for (int o = 0; o < out; o++) {
                y[o] = bl[bBase + o];
            }
            for (int i = 0; i < in; i++) {
                double xi = x[i];
                int row = wBase + i * out;
                for (int o = 0; o < out; o++) {
                    y[o] += xi * wl[row + o];
                }
            }
            if (l < layers - 1) {
                for (int o = 0; o < out; o++) {
                    double v = y[o];
                    y[o] = v / (1.0 + Math.exp(-v)); // SiLU
                }
            }
            double[] t = x;
            x = y;
            y = t;
        }
        for (int k = 0; k < target; k++) {
            outMean[k] = x[k];
            double hi = maxLogvar[k];
            double lo = minLogvar[k];
            double lv = hi - softplus(hi - x[target + k]);
            outLogvar[k] = lo + softplus(lv - lo);
        }
    }

    /** log(1 + e^x) without overflow. */
    static double softplus(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
}
