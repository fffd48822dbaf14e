package io.tributary.learner.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.tributary.learner.PolicySpec;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Softmax over {@code actionSize} logits. The action is one float holding the index, sampled by inverse
 * CDF from one uniform draw, or the arg-max when deterministic. The DJL form reads actions one-hot.
 */
public final class CategoricalHead implements ActionHead {
    /** The one instance. */
    public static final CategoricalHead INSTANCE = new CategoricalHead();

    private CategoricalHead() {
    }

    @Override
    public PolicySpec.Head kind() {
        return PolicySpec.Head.CATEGORICAL;
    }

    @Override
    public int outputWidth(int actionSize) {
        return actionSize;
    }

    @Override
    public int tailParameters(int actionSize) {
        return 0;
    }

    @Override
    public int actionFloats(int actionSize) {
        return 1;
    }

    @Override
    public double act(float[] out, int o, float[] tail, int tailOff, PolicySpec spec, SplittableRandom rng,
                      boolean deterministic, float[] actions, int actOff) {
        int a = spec.actionSize();
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
        actions[actOff] = choice;
        return out[o + choice] - logZ;
    }

    @Override
    public double logProb(float[] out, int o, float[] tail, int tailOff, PolicySpec spec, float[] actions, int actOff) {
        int a = spec.actionSize();
        checkAction(actions, actOff, a);
        int choice = (int) actions[actOff];
        float max = out[o];
        for (int j = 1; j < a; j++) {
            max = Math.max(max, out[o + j]);
        }
        double sum = 0;
        for (int j = 0; j < a; j++) {
            sum += Math.exp(out[o + j] - max);
        }
        return out[o + choice] - max - Math.log(sum);
    }

    @Override
    public void checkAction(float[] actions, int actOff, int actionSize) {
        float x = actions[actOff];
        if (!(x >= 0 && x < actionSize && x == (int) x)) {
            throw new IllegalArgumentException("actionIndex out of range: actionIndex=" + x + ", actionCount=" + actionSize);
        }
    }

    @Override
    public int stagedActionWidth(int actionSize) {
        return actionSize;
    }

    @Override
    public void stageAction(float[] actions, int actOff, int actionSize, ByteBuffer dst) {
        int choice = (int) actions[actOff];
        for (int j = 0; j < actionSize; j++) {
            dst.putFloat(j == choice ? 1f : 0f);
        }
    }

    @Override
    public Distribution distribution(NDManager sub, NDArray out, NDArray tail, PolicySpec spec) {
        NDArray logp = out.logSoftmax(1);
        return new Distribution() {
            @Override
            public NDArray logProb(NDArray oneHot) {
                return logp.mul(oneHot).sum(new int[] {1});
            }

            @Override
            public NDArray meanEntropy() {
                return logp.exp().mul(logp).sum(new int[] {1}).mean().neg();
            }
        };
    }
}
