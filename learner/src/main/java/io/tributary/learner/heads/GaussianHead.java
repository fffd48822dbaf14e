package io.tributary.learner.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tributary.learner.PolicySpec;
import java.util.SplittableRandom;

/**
 * Independent Gaussians over {@code actionSize} dimensions with a learned, state-independent
 * {@code logStd[actionSize]} (the head's tail parameters) for the spread. Samples are {@code mean + std * z},
 * <em>not</em> clipped, and their log-probability is that of the unclipped sample (as SB3 and CleanRL do); the
 * environment clips to the action bounds.
 *
 * <p>Two forms, one per {@link PolicySpec.Head}: {@link #INSTANCE} ({@code GAUSSIAN}) takes the network output as
 * the mean; {@link #BOUNDED} ({@code BOUNDED_GAUSSIAN}) squashes it into the action bounds first,
 * {@code mean = mid + half * tanh(out)} with {@code mid = (high + low) / 2} and {@code half = (high - low) / 2}.
 * Only the mean is squashed, the samples are not (unlike {@link TanhGaussianHead}), so the entropy keeps its
 * closed form and PPO's loss is unchanged. Why it exists: with an unbounded mean and clipped actions PPO can push
 * the mean far past a bound (every sample then clips to the bound, so nothing pulls it back), and the
 * deterministic policy becomes bang-bang; a squashed mean never leaves the bounds.
 */
public final class GaussianHead implements ActionHead {
    /** The network output is the mean ({@code GAUSSIAN}). */
    public static final GaussianHead INSTANCE = new GaussianHead(false);
    /** The mean is the network output squashed into the action bounds ({@code BOUNDED_GAUSSIAN}). */
    public static final GaussianHead BOUNDED = new GaussianHead(true);

    /**
     * Widening of the action bounds, as a fraction of the half-range, beyond which {@link Distribution#meanBoundExcess}
     * counts a mean as out of bounds: 0.1 makes {@code [-1, 1]} into {@code [-1.1, 1.1]} (the soft bound of rl_games'
     * bounds loss), so a mean may sit just past a bound, where most samples act at the bound, without a penalty.
     */
    public static final double BOUND_MARGIN = 0.1;

    static final double HALF_LOG_2PI = 0.5 * Math.log(2.0 * Math.PI);
    static final float LOG_2PI = (float) Math.log(2.0 * Math.PI);

    private final boolean boundedMean;

    private GaussianHead(boolean boundedMean) {
        this.boundedMean = boundedMean;
    }

    @Override
    public PolicySpec.Head kind() {
        return boundedMean ? PolicySpec.Head.BOUNDED_GAUSSIAN : PolicySpec.Head.GAUSSIAN;
    }

    /** The mean of dimension {@code j} from its network output {@code u}. */
    private double mean(double u, PolicySpec spec, int j) {
        if (!boundedMean) {
            return u;
        }
        double lo = spec.actionLow()[j];
        double hi = spec.actionHigh()[j];
        return 0.5 * (hi + lo) + 0.5 * (hi - lo) * Math.tanh(u);
    }

    @Override
    public int outputWidth(int actionSize) {
        return actionSize;
    }

    @Override
    public int tailParameters(int actionSize) {
        return actionSize;
    }

    @Override
    public int actionFloats(int actionSize) {
        return actionSize;
    }

    @Override
    public double act(float[] out, int o, float[] tail, int tailOff, PolicySpec spec, SplittableRandom rng,
                      boolean deterministic, float[] actions, int actOff) {
        double lp = 0;
        for (int j = 0; j < spec.actionSize(); j++) {
            double logStd = tail[tailOff + j];
            double z = deterministic ? 0.0 : rng.nextGaussian();
            actions[actOff + j] = (float) (mean(out[o + j], spec, j) + Math.exp(logStd) * z);
            lp += -0.5 * z * z - logStd - HALF_LOG_2PI;
        }
        return lp;
    }

    @Override
    public double logProb(float[] out, int o, float[] tail, int tailOff, PolicySpec spec, float[] actions, int actOff) {
        double lp = 0;
        for (int j = 0; j < spec.actionSize(); j++) {
            double logStd = tail[tailOff + j];
            double z = (actions[actOff + j] - mean(out[o + j], spec, j)) / Math.exp(logStd);
            lp += -0.5 * z * z - logStd - HALF_LOG_2PI;
        }
        return lp;
    }

    @Override
    public void checkAction(float[] actions, int actOff, int actionSize) {
        // every finite vector is a possible sample; finiteness is checked where chunks are accepted
    }

    @Override
    public Distribution distribution(NDManager sub, NDArray out, NDArray logStd, PolicySpec spec) {
        int a = spec.actionSize();
        NDArray mean = boundedMean ? squash(sub, out, spec) : out;
        // logStd lives in the learner's long-lived manager: ops with it as receiver land there, so attach them to sub.
        NDArray logStdSum = inScope(logStd.sum(), sub);
        NDArray invStd = inScope(logStd.neg(), sub).exp();
        return new Distribution() {
            @Override
            public NDArray logProb(NDArray actions) {
                NDArray z = actions.sub(mean).mul(invStd);
                return z.square().sum(new int[] {1}).mul(sub.create(0.5f)).add(logStdSum)
                        .add(sub.create(0.5f * LOG_2PI * a)).neg();
            }

            @Override
            public NDArray meanEntropy() {
                return logStdSum.add(sub.create(a * (0.5f + 0.5f * LOG_2PI)));
            }

            @Override
            public NDArray meanBoundExcess() {
                float[] softLow = new float[a];
                float[] softHigh = new float[a];
                for (int j = 0; j < a; j++) {
                    double margin = BOUND_MARGIN * 0.5 * (spec.actionHigh()[j] - spec.actionLow()[j]);
                    softLow[j] = (float) (spec.actionLow()[j] - margin);
                    softHigh[j] = (float) (spec.actionHigh()[j] + margin);
                }
                NDArray zero = sub.create(0f);
                NDArray above = mean.sub(sub.create(softHigh)).maximum(zero);
                NDArray below = sub.create(softLow).sub(mean).maximum(zero);
                return above.square().add(below.square()).sum(new int[] {1}).mean();
            }
        };
    }

    /** {@code mid + half * tanh(out)} per action dimension, broadcast over the rows of {@code out}. */
    private static NDArray squash(NDManager sub, NDArray out, PolicySpec spec) {
        int a = spec.actionSize();
        float[] mid = new float[a];
        float[] half = new float[a];
        for (int j = 0; j < a; j++) {
            mid[j] = 0.5f * (spec.actionHigh()[j] + spec.actionLow()[j]);
            half[j] = 0.5f * (spec.actionHigh()[j] - spec.actionLow()[j]);
        }
        return out.tanh().mul(sub.create(half)).add(sub.create(mid));
    }

    static NDArray inScope(NDArray a, NDManager sub) {
        a.attach(sub);
        return a;
    }
}
