package io.tributary.learner.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.tributary.learner.heads.ActionHead;
import io.tributary.learner.nn.Arrays64;
import java.nio.ByteBuffer;

/**
 * One minibatch as DJL arrays in the minibatch's sub-manager, advantages already normalised (per
 * minibatch, unbiased std as CleanRL).
 *
 * @param size        samples
 * @param obs         normalised observations {@code (size, observationSize)}
 * @param actions     actions in the head's staged form {@code (size, stagedActionWidth)}
 * @param oldLogp     log-probabilities at collection time {@code (size)}
 * @param advantages  normalised advantages {@code (size)}
 * @param returns     GAE returns {@code (size)}
 * @param oldValues   critic values at collection time {@code (size)}
 * @param weights     per-sample behaviour weights {@code (size)} ({@link PpoBatch#weights}), or null: all 1
 */
record Minibatch(int size, NDArray obs, NDArray actions, NDArray oldLogp, NDArray advantages, NDArray returns,
                 NDArray oldValues, NDArray weights) {

    /**
     * Reusable staging memory (64-byte aligned, native order: DJL wraps it without copying, and aligned
     * inputs keep updates bit-for-bit reproducible).
     */
    static final class Stager {
        private final int obsSize;
        private final int actionSize;
        private final int actionFloats;
        private final ActionHead head;
        private final ByteBuffer obs;
        private final ByteBuffer actions;
        private final ByteBuffer oldLogp;
        private final ByteBuffer advantages;
        private final ByteBuffer returns;
        private final ByteBuffer oldValues;
        private final ByteBuffer weights;

        /** Room for {@code rows} samples. */
        Stager(int rows, int obsSize, ActionHead head, int actionSize) {
            this.obsSize = obsSize;
            this.actionSize = actionSize;
            this.actionFloats = head.actionFloats(actionSize);
            this.head = head;
            this.obs = Arrays64.allocate(rows * obsSize);
            this.actions = Arrays64.allocate(rows * head.stagedActionWidth(actionSize));
            this.oldLogp = Arrays64.allocate(rows);
            this.advantages = Arrays64.allocate(rows);
            this.returns = Arrays64.allocate(rows);
            this.oldValues = Arrays64.allocate(rows);
            this.weights = Arrays64.allocate(rows);
        }

        /** Samples {@code perm[from..to)} of {@code batch} as arrays in {@code sub}. */
        Minibatch stage(NDManager sub, PpoBatch batch, int[] perm, int from, int to) {
            int b = to - from;
            obs.clear();
            actions.clear();
            oldLogp.clear();
            advantages.clear();
            returns.clear();
            oldValues.clear();
            weights.clear();
            double advMean = 0;
            for (int i = from; i < to; i++) {
                advMean += batch.advantages[perm[i]];
            }
            advMean /= b;
            double advVar = 0;
            for (int i = from; i < to; i++) {
                double d = batch.advantages[perm[i]] - advMean;
                advVar += d * d;
            }
            double advStd = Math.sqrt(advVar / (b - 1));
            for (int i = from; i < to; i++) {
                int idx = perm[i];
                for (int j = 0; j < obsSize; j++) {
                    obs.putFloat(batch.obs[idx * obsSize + j]);
                }
                head.stageAction(batch.actions, idx * actionFloats, actionSize, actions);
                oldLogp.putFloat(batch.oldLogp[idx]);
                advantages.putFloat((float) ((batch.advantages[idx] - advMean) / (advStd + 1e-8)));
                returns.putFloat(batch.returns[idx]);
                oldValues.putFloat(batch.values[idx]);
                if (batch.weights != null) {
                    weights.putFloat(batch.weights[idx]);
                }
            }
            return new Minibatch(b, upload(sub, obs, new Shape(b, obsSize)),
                    upload(sub, actions, new Shape(b, head.stagedActionWidth(actionSize))),
                    upload(sub, oldLogp, new Shape(b)), upload(sub, advantages, new Shape(b)),
                    upload(sub, returns, new Shape(b)), upload(sub, oldValues, new Shape(b)),
                    batch.weights == null ? null : upload(sub, weights, new Shape(b)));
        }

        private static NDArray upload(NDManager sub, ByteBuffer stage, Shape shape) {
            stage.flip();
            return sub.create(stage, shape, DataType.FLOAT32);
        }
    }
}
