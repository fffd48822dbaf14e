package io.tributary.learner;

import java.util.SplittableRandom;

/**
 * Pure-Java, allocation-free batched forward pass of a published policy: what rollout workers run to
 * choose actions. It rebuilds the network from a {@link PolicySnapshot} and never touches DJL.
 *
 * <h2>Observation normalisation</h2>
 * Each observation element is normalised with the snapshot's statistics as
 * {@code clip((x - mean[i]) / std[i], -10, 10)} with {@code std[i] = (float) sqrt(var[i] + 1e-8)}
 * (see {@link #normalize}); the learner uses the same code, so both sides see identical inputs. With
 * normalisation switched off the learner publishes {@code mean = 0, var = 1}, which leaves only the clip.
 *
 * <h2>Flat parameter layout</h2>
 * The policy is an MLP over the normalised observation with widths
 * {@code [observationSize, hiddenSizes..., actionSize]}, tanh after every hidden layer and no activation
 * on the output. {@link PolicySnapshot#parameters()} holds, in this order:
 * <ol>
 *   <li>for each layer {@code l = 0 .. hiddenSizes.length} (input to output), with
 *       {@code in = width[l]}, {@code out = width[l + 1]}:
 *       the weight matrix {@code W[in][out]} row-major (element {@code (i, j)} at {@code off + i * out + j}),
 *       then the bias {@code b[out]}; the layer computes {@code y = x W + b};</li>
 *   <li>for a {@link PolicySpec.Head#GAUSSIAN GAUSSIAN} head only: {@code logStd[actionSize]}, the
 *       state-independent log standard deviation of each action dimension.</li>
 * </ol>
 * The output layer gives logits (categorical) or action means (Gaussian). {@link #parameterCount} gives
 * the total length and {@link MlpLayout} the offsets.
 *
 * <h2>Actions</h2>
 * Categorical: one float per sample holding the action index; sampled from {@code softmax(logits)}, or
 * the arg-max when deterministic. Gaussian: {@code actionSize} floats per sample, {@code mean + std * z}
 * with {@code z ~ N(0, 1)}, or the mean when deterministic. Gaussian samples are <em>not</em> clipped
 * and their log-probability is that of the unclipped sample (as SB3 and CleanRL do); the environment
 * clips to {@link PolicySpec#actionLow()}/{@link PolicySpec#actionHigh()}. Chunks must carry the
 * unclipped actions so the learner's probability ratios are right.
 *
 * <p>Not thread-safe: one instance per thread (they are cheap; the parameters are copied once).
 */
public final class PolicyInference {
    /** Normalised observations are clipped to [-OBS_CLIP, OBS_CLIP]. */
    public static final float OBS_CLIP = 10f;
    /** Added to the variance before the square root. */
    public static final double VAR_EPSILON = 1e-8;

    private static final double HALF_LOG_2PI = 0.5 * Math.log(2.0 * Math.PI);

    private final PolicySpec spec;
    private final long version;
    private final MlpLayout layout;
    private final float[] params;
    private final int logStdOffset;
    private final float[] mean;
    private final float[] std;
    private final int maxBatch;
    /** activations[k] holds maxBatch rows of layer k's output (k = 0: the normalised input). */
    private final float[][] activations;

    /**
     * @param snapshot policy to run
     * @param maxBatch most observations one call may pass
     */
    public PolicyInference(PolicySnapshot snapshot, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1: maxBatch=" + maxBatch);
        }
        this.spec = snapshot.spec();
        this.version = snapshot.version();
        this.layout = layoutOf(spec);
        int expected = parameterCount(spec);
        if (snapshot.parameters().length != expected) {
            throw new IllegalArgumentException("parameter count mismatch: parameters.length=" + snapshot.parameters().length
                    + ", expected=" + expected + ", layout=" + layout + ", head=" + spec.head());
        }
        this.params = snapshot.parameters().clone();
        this.logStdOffset = layout.parameterCount();
        this.mean = snapshot.observationMean().clone();
        this.std = normalizerStd(snapshot.observationVar());
        this.maxBatch = maxBatch;
        this.activations = new float[layout.layers() + 1][];
        for (int k = 0; k <= layout.layers(); k++) {
            activations[k] = new float[maxBatch * layout.size(k)];
        }
    }

    /** The MLP part of a policy's layout (without the Gaussian log-std tail). */
    public static MlpLayout layoutOf(PolicySpec spec) {
        return new MlpLayout(spec.observationSize(), spec.hiddenSizes(), spec.actionSize());
    }

    /** Length of the flat parameter vector for {@code spec}. */
    public static int parameterCount(PolicySpec spec) {
        return layoutOf(spec).parameterCount() + (spec.head() == PolicySpec.Head.GAUSSIAN ? spec.actionSize() : 0);
    }

    /** The per-element divisor used by {@link #normalize}: {@code (float) sqrt(var + 1e-8)}. */
    public static float[] normalizerStd(float[] var) {
        float[] s = new float[var.length];
        for (int i = 0; i < var.length; i++) {
            s[i] = (float) Math.sqrt(var[i] + VAR_EPSILON);
        }
        return s;
    }

    /**
     * Normalises {@code rows} observations of {@code mean.length} floats from {@code src[srcOff..]} into
     * {@code dst[dstOff..]}: {@code clip((x - mean) / std, -10, 10)}, {@code std} from {@link #normalizerStd}.
     */
    public static void normalize(float[] src, int srcOff, float[] dst, int dstOff, int rows, float[] mean, float[] std) {
        int size = mean.length;
        for (int r = 0; r < rows; r++) {
            int s = srcOff + r * size;
            int d = dstOff + r * size;
            for (int i = 0; i < size; i++) {
                float v = (src[s + i] - mean[i]) / std[i];
                dst[d + i] = v > OBS_CLIP ? OBS_CLIP : (v < -OBS_CLIP ? -OBS_CLIP : v);
            }
        }
    }

    /** The architecture this instance runs. */
    public PolicySpec spec() {
        return spec;
    }

    /** Version of the snapshot this instance was built from. */
    public long version() {
        return version;
    }

    /** Most observations one call may pass. */
    public int maxBatch() {
        return maxBatch;
    }

    /**
     * Chooses actions for {@code n} observations.
     *
     * @param obsBatch      {@code n * observationSize} raw observations
     * @param n             number of observations, at most {@link #maxBatch()}
     * @param actionsOut    receives {@code n * spec.actionFloats()} actions
     * @param logProbsOut   receives {@code n} log-probabilities of the chosen actions
     * @param rng           randomness for sampling (unused when deterministic)
     * @param deterministic arg-max / mean instead of sampling
     */
    public void act(float[] obsBatch, int n, float[] actionsOut, float[] logProbsOut, SplittableRandom rng,
                    boolean deterministic) {
        float[] out = forwardInternal(obsBatch, n);
        int a = spec.actionSize();
        if (spec.head() == PolicySpec.Head.CATEGORICAL) {
            for (int s = 0; s < n; s++) {
                int o = s * a;
                float max = out[o];
                int argmax = 0;
                for (int j = 1; j < a; j++) {
                    if (out[o + j] > max) {
                        max = out[o + j];
                        argmax = j;
                    }
                }
                double sum = 0;
                for (int j = 0; j < a; j++) {
                    sum += Math.exp(out[o + j] - max);
                }
                double logZ = max + Math.log(sum);
                int choice = argmax;
                if (!deterministic) {
                    double u = rng.nextDouble() * sum;
                    double acc = 0;
                    choice = a - 1;
                    for (int j = 0; j < a; j++) {
                        acc += Math.exp(out[o + j] - max);
                        if (u < acc) {
                            choice = j;
                            break;
                        }
                    }
                }
                actionsOut[s] = choice;
                logProbsOut[s] = (float) (out[o + choice] - logZ);
            }
        } else {
            for (int s = 0; s < n; s++) {
                int o = s * a;
                double lp = 0;
                for (int j = 0; j < a; j++) {
                    double logStd = params[logStdOffset + j];
                    double z = deterministic ? 0.0 : rng.nextGaussian();
                    actionsOut[o + j] = (float) (out[o + j] + Math.exp(logStd) * z);
                    lp += -0.5 * z * z - logStd - HALF_LOG_2PI;
                }
                logProbsOut[s] = (float) lp;
            }
        }
    }

    /**
     * Log-probabilities of given actions (for checks and for re-scoring stored actions).
     *
     * @param obsBatch    {@code n * observationSize} raw observations
     * @param n           number of observations
     * @param actions     {@code n * spec.actionFloats()} actions (indices for categorical heads)
     * @param logProbsOut receives {@code n} log-probabilities
     */
    public void logProbs(float[] obsBatch, int n, float[] actions, float[] logProbsOut) {
        float[] out = forwardInternal(obsBatch, n);
        int a = spec.actionSize();
        for (int s = 0; s < n; s++) {
            int o = s * a;
            if (spec.head() == PolicySpec.Head.CATEGORICAL) {
                int choice = (int) actions[s];
                if (choice < 0 || choice >= a || choice != actions[s]) {
                    throw new IllegalArgumentException("actionIndex out of range: actionIndex=" + actions[s] + ", actionCount=" + a);
                }
                float max = out[o];
                for (int j = 1; j < a; j++) {
                    max = Math.max(max, out[o + j]);
                }
                double sum = 0;
                for (int j = 0; j < a; j++) {
                    sum += Math.exp(out[o + j] - max);
                }
                logProbsOut[s] = (float) (out[o + choice] - max - Math.log(sum));
            } else {
                double lp = 0;
                for (int j = 0; j < a; j++) {
                    double logStd = params[logStdOffset + j];
                    double z = (actions[o + j] - out[o + j]) / Math.exp(logStd);
                    lp += -0.5 * z * z - logStd - HALF_LOG_2PI;
                }
                logProbsOut[s] = (float) lp;
            }
        }
    }

    /**
     * Raw network outputs (logits or Gaussian means) for {@code n} raw observations.
     *
     * @param out receives {@code n * actionSize} floats
     */
    public void forward(float[] obsBatch, int n, float[] out) {
        float[] y = forwardInternal(obsBatch, n);
        System.arraycopy(y, 0, out, 0, n * spec.actionSize());
    }

    /** Gaussian log standard deviation of dimension {@code i}; categorical heads have none. */
    public float logStd(int i) {
        if (spec.head() != PolicySpec.Head.GAUSSIAN) {
            throw new IllegalStateException("categorical heads have no logStd");
        }
        return params[logStdOffset + i];
    }

    private float[] forwardInternal(float[] obsBatch, int n) {
        if (n < 0 || n > maxBatch) {
            throw new IllegalArgumentException("batch size out of range: n=" + n + ", maxBatch=" + maxBatch);
        }
        normalize(obsBatch, 0, activations[0], 0, n, mean, std);
        int layers = layout.layers();
        for (int l = 0; l < layers; l++) {
            float[] x = activations[l];
            float[] y = activations[l + 1];
            int in = layout.size(l);
            int out = layout.size(l + 1);
            int w = layout.weightOffset(l);
            int b = layout.biasOffset(l);
            boolean hidden = l < layers - 1;
            for (int s = 0; s < n; s++) {
                int xo = s * in;
                int yo = s * out;
                System.arraycopy(params, b, y, yo, out);
                for (int i = 0; i < in; i++) {
                    float xi = x[xo + i];
                    int row = w + i * out;
                    for (int j = 0; j < out; j++) {
                        y[yo + j] += xi * params[row + j];
                    }
                }
                if (hidden) {
                    for (int j = 0; j < out; j++) {
                        y[yo + j] = (float) Math.tanh(y[yo + j]);
                    }
                }
            }
        }
        return activations[layers];
    }
}
