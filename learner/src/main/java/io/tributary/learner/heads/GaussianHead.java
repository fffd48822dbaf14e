package io.tributary.learner.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tributary.learner.PolicySpec;
import java.util.SplittableRandom;

/**
 * Independent Gaussians over {@code actionSize} dimensions: the network outputs the means, and a learned,
 * state-independent {@code logStd[actionSize]} (the head's tail parameters) gives the spread. Samples are
 * {@code mean + std * z}, <em>not</em> clipped, and their log-probability is that of the unclipped sample
 * (as SB3 and CleanRL do); the environment clips to the action bounds.
 */
public final class GaussianHead implements ActionHead {
    /** The one instance. */
    public static final GaussianHead INSTANCE = new GaussianHead();

    static final double HALF_LOG_2PI = 0.5 * Math.log(2.0 * Math.PI);
    static final float LOG_2PI = (float) Math.log(2.0 * Math.PI);

    private GaussianHead() {
    }

    @Override
    public PolicySpec.Head kind() {
        return PolicySpec.Head.GAUSSIAN;
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
            actions[actOff + j] = (float) (out[o + j] + Math.exp(logStd) * z);
            lp += -0.5 * z * z - logStd - HALF_LOG_2PI;
        }
        return lp;
    }

    @Override
    public double logProb(float[] out, int o, float[] tail, int tailOff, PolicySpec spec, float[] actions, int actOff) {
        double lp = 0;
        for (int j = 0; j < spec.actionSize(); j++) {
            double logStd = tail[tailOff + j];
            double z = (actions[actOff + j] - out[o + j]) / Math.exp(logStd);
            lp += -0.5 * z * z - logStd - HALF_LOG_2PI;
        }
        return lp;
    }

    @Override
    public void checkAction(float[] actions, int actOff, int actionSize) {
        // every finite vector is a possible sample; finiteness is checked where chunks are accepted
    }

    @Override
    public Distribution distribution(NDManager sub, NDArray mean, NDArray logStd, PolicySpec spec) {
        int a = spec.actionSize();
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
        };
    }

    static NDArray inScope(NDArray a, NDManager sub) {
        a.attach(sub);
        return a;
    }
}
