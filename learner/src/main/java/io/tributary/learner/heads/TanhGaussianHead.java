package io.tributary.learner.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tributary.learner.PolicySpec;
import java.util.SplittableRandom;

/**
 * Tanh-squashed Gaussian with a state-dependent log sigma (SAC's policy head). The network writes
 * {@code 2 * actionSize} floats per row: the means {@code mu[0..a)} then the raw log sigmas
 * {@code s[0..a)}; {@code logStd = clip(s, -5, 2)}. A sample is {@code u = mu + exp(logStd) * z},
 * {@code action = c + h * tanh(u)} with {@code c = (high + low) / 2}, {@code h = (high - low) / 2}
 * (deterministic: {@code u = mu}). Its log-probability is the Gaussian one of {@code u} minus the log of
 * the change of variables, per dimension {@code log h + log(1 - tanh(u)^2)}, the latter in the stable
 * form {@code 2 (log 2 - u - softplus(-2u))}. Log-probabilities of given actions invert the squash with
 * {@code atanh}, the argument clamped to {@code +-(1 - 1e-6)}. The entropy has no closed form.
 */
public final class TanhGaussianHead implements ActionHead {
    /** The one instance. */
    public static final TanhGaussianHead INSTANCE = new TanhGaussianHead();
    /** Lower clip of the log standard deviation. */
    public static final float LOG_STD_MIN = -5f;
    /** Upper clip of the log standard deviation. */
    public static final float LOG_STD_MAX = 2f;
    /** atanh arguments are clamped to +-(1 - this). */
    public static final float ATANH_EPSILON = 1e-6f;

    private static final double LOG_2 = Math.log(2.0);

    private TanhGaussianHead() {
    }

    @Override
    public PolicySpec.Head kind() {
        return PolicySpec.Head.TANH_GAUSSIAN;
    }

    @Override
    public int outputWidth(int actionSize) {
        return 2 * actionSize;
    }

    @Override
    public int tailParameters(int actionSize) {
        return 0;
    }

    @Override
    public int actionFloats(int actionSize) {
        return actionSize;
    }

    private static double clipLogStd(float s) {
        return s < LOG_STD_MIN ? LOG_STD_MIN : (s > LOG_STD_MAX ? LOG_STD_MAX : s);
    }

    /** {@code log(1 - tanh(u)^2)} without cancellation. */
    static double log1mTanhSq(double u) {
        double x = -2.0 * u;
        double softplus = Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
        return 2.0 * (LOG_2 - u - softplus);
    }

    @Override
    public double act(float[] out, int o, float[] tail, int tailOff, PolicySpec spec, SplittableRandom rng,
                      boolean deterministic, float[] actions, int actOff) {
        int a = spec.actionSize();
        float[] low = spec.actionLow();
        float[] high = spec.actionHigh();
        double lp = 0;
        for (int j = 0; j < a; j++) {
            double logStd = clipLogStd(out[o + a + j]);
            double z = deterministic ? 0.0 : rng.nextGaussian();
            double u = out[o + j] + Math.exp(logStd) * z;
            double h = 0.5 * ((double) high[j] - low[j]);
            double c = 0.5 * ((double) high[j] + low[j]);
            actions[actOff + j] = (float) (c + h * Math.tanh(u));
            lp += -0.5 * z * z - logStd - GaussianHead.HALF_LOG_2PI - Math.log(h) - log1mTanhSq(u);
        }
        return lp;
    }

    @Override
    public double logProb(float[] out, int o, float[] tail, int tailOff, PolicySpec spec, float[] actions, int actOff) {
        int a = spec.actionSize();
        float[] low = spec.actionLow();
        float[] high = spec.actionHigh();
        double lp = 0;
        for (int j = 0; j < a; j++) {
            double logStd = clipLogStd(out[o + a + j]);
            double h = 0.5 * ((double) high[j] - low[j]);
            double c = 0.5 * ((double) high[j] + low[j]);
            double y = Math.max(-1.0 + ATANH_EPSILON, Math.min(1.0 - ATANH_EPSILON, (actions[actOff + j] - c) / h));
            double u = 0.5 * (Math.log1p(y) - Math.log1p(-y));
            double z = (u - out[o + j]) / Math.exp(logStd);
            lp += -0.5 * z * z - logStd - GaussianHead.HALF_LOG_2PI - Math.log(h) - log1mTanhSq(u);
        }
        return lp;
    }

    @Override
    public void checkAction(float[] actions, int actOff, int actionSize) {
        // squashed actions inside the bounds; those on or past a bound are clamped by the atanh guard
    }

    @Override
    public TanhDistribution distribution(NDManager sub, NDArray out, NDArray tail, PolicySpec spec) {
        return new TanhDistribution(sub, out, spec);
    }

    /** The DJL form; besides log-probabilities of given actions it draws reparameterised samples (SAC). */
    public static final class TanhDistribution implements Distribution {
        private final NDManager sub;
        private final NDArray mean;
        private final NDArray logStd;
        private final NDArray center;
        private final NDArray halfRange;
        private final NDArray logHalfRangeSum;

        TanhDistribution(NDManager sub, NDArray out, PolicySpec spec) {
            int a = spec.actionSize();
            this.sub = sub;
            this.mean = out.get(new NDIndex(":, 0:{}", a));
            this.logStd = out.get(new NDIndex(":, {}:{}", a, 2 * a)).maximum(sub.create(LOG_STD_MIN))
                    .minimum(sub.create(LOG_STD_MAX));
            float[] c = new float[a];
            float[] h = new float[a];
            double logH = 0;
            for (int j = 0; j < a; j++) {
                double hj = 0.5 * ((double) spec.actionHigh()[j] - spec.actionLow()[j]);
                c[j] = (float) (0.5 * ((double) spec.actionHigh()[j] + spec.actionLow()[j]));
                h[j] = (float) hj;
                logH += Math.log(hj);
            }
            this.center = sub.create(c, new Shape(a));
            this.halfRange = sub.create(h, new Shape(a));
            this.logHalfRangeSum = sub.create((float) logH);
        }

        /** Per-row log-probability of pre-squash values {@code u} whose standardised noise is {@code z}. */
        private NDArray logProbOf(NDArray u, NDArray z) {
            NDArray two = sub.create(2f);
            NDArray x = u.mul(sub.create(-2f));
            NDArray softplus = x.maximum(sub.create(0f)).add(x.abs().neg().exp().add(sub.create(1f)).log());
            NDArray log1mTanhSq = sub.create((float) LOG_2).sub(u).sub(softplus).mul(two);
            NDArray perDim = z.square().mul(sub.create(0.5f)).add(logStd).add(sub.create((float) GaussianHead.HALF_LOG_2PI))
                    .add(log1mTanhSq);
            return perDim.sum(new int[] {1}).add(logHalfRangeSum).neg();
        }

        @Override
        public NDArray logProb(NDArray actions) {
            // The inverse squash runs in float64: near a bound 1 - |y| cancels, and float32 would lose the digits
            // the worker's double arithmetic keeps. It does not depend on the parameters, so no gradient is lost.
            NDArray one = sub.create(1.0);
            NDArray y = actions.toType(DataType.FLOAT64, false).sub(center.toType(DataType.FLOAT64, false))
                    .div(halfRange.toType(DataType.FLOAT64, false)).maximum(sub.create(-1.0 + ATANH_EPSILON))
                    .minimum(sub.create(1.0 - ATANH_EPSILON));
            NDArray u = one.add(y).log().sub(one.sub(y).log()).mul(sub.create(0.5)).toType(DataType.FLOAT32, false);
            NDArray z = u.sub(mean).mul(logStd.neg().exp());
            return logProbOf(u, z);
        }

        /**
         * A reparameterised sample from standard-normal {@code noise} of shape {@code (n, actionSize)}:
         * {@code [actions (n, actionSize), logProbs (n)]}, differentiable through the network outputs.
         */
        public NDList sample(NDArray noise) {
            NDArray u = mean.add(logStd.exp().mul(noise));
            NDArray action = u.tanh().mul(halfRange).add(center);
            return new NDList(action, logProbOf(u, noise));
        }

        @Override
        public NDArray meanEntropy() {
            throw new IllegalStateException("a tanh-squashed Gaussian has no closed-form entropy; estimate it from"
                    + " sample log-probabilities (as SAC does)");
        }
    }
}
