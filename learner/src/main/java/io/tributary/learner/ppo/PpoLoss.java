package io.tributary.learner.ppo;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.tributary.learner.heads.ActionHead;

/**
 * The measured terms of one PPO minibatch step.
 *
 * @param loss            total: {@code policyLoss - entropyCoef * entropy + valueCoef * valueLoss
 *                        + boundLossCoef * boundLoss}
 * @param policyLoss      clipped surrogate loss, {@code -mean(w min(r A, clip(r, 1 - eps, 1 + eps) A))}; with
 *                        {@code dual-clip} c, {@code max(min(...), c A)} where {@code A < 0}; w is the sample's
 *                        behaviour weight ({@link PpoBatch#weights}, 1 for samples the policy drew itself)
 * @param valueLoss       {@code 0.5 * mean((V - R)^2)}, or its clipped form
 * @param entropy         mean policy entropy
 * @param boundLoss       the action-bound loss before its weight ({@link ActionHead.Distribution#meanBoundExcess});
 *                        0 when {@code bound-loss-coef} is 0
 * @param approxKl        {@code mean((r - 1) - log r)} (Schulman's k3 estimator), weighted by w
 * @param clipFraction    fraction of samples with {@code |r - 1| > eps}, weighted by w
 * @param gradNormSquared squared global L2 norm of the gradient of both networks (before clipping)
 * @param stoppedByKl     true when the step was not applied because approxKl exceeded 1.5 x target-kl
 */
record PpoLoss(float loss, float policyLoss, float valueLoss, float entropy, float boundLoss, float approxKl,
               float clipFraction, float gradNormSquared, boolean stoppedByKl) {

    /**
     * With behaviour weights, log-ratios are capped here (exp stays finite in float) so a weight-0 sample cannot turn
     * the objective or the KL into 0 * inf = NaN; a sample past it is 5e34 times likelier than when drawn.
     */
    static final float WEIGHTED_LOG_RATIO_CAP = 80f;

    /** Global gradient norm. */
    float gradNorm() {
        return (float) Math.sqrt(gradNormSquared);
    }

    /** True when the loss and the gradient norm are finite (else the update is rolled back). */
    boolean finite() {
        return Float.isFinite(loss) && Float.isFinite(gradNorm());
    }

    /** The same terms, marked as stopped by the KL limit. */
    PpoLoss stopped() {
        return new PpoLoss(loss, policyLoss, valueLoss, entropy, boundLoss, approxKl, clipFraction, gradNormSquared,
                true);
    }

    /**
     * Builds the loss graph for one minibatch, backpropagates it, and measures it. Gradients are left on the
     * parameters. Constants are arrays owned by {@code sub}, never {@code Number} arguments: DJL's PyTorch
     * engine turns a Number into a scalar tensor over a Java direct buffer and closes it right after the op,
     * but autograd keeps that tensor for backward (mul, clamp), so backward could read freed memory.
     *
     * @param injectNaN test hook: multiply the loss by NaN
     * @param grads     receives each parameter's gradient (owned by {@code sub})
     */
    static PpoLoss backward(NDManager sub, ActorCritic net, Minibatch m, PpoSettings ppo, boolean injectNaN,
                            NDArray[] grads) {
        float clip = (float) ppo.clip();
        NDArray lo = sub.create(1f - clip);
        NDArray hi = sub.create(1f + clip);
        NDArray half = sub.create(0.5f);
        NDArray entCoef = sub.create((float) ppo.entropyCoef());
        NDArray vfCoef = sub.create((float) ppo.valueCoef());
        NDArray loss;
        NDArray policyLoss;
        NDArray valueLoss;
        NDArray entropy;
        NDArray boundLoss;
        NDArray approxKl;
        NDArray clipFraction;
        ActionHead head = net.spec.head().impl();
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            // policy term: clipped surrogate of the probability ratio
            NDArray out = net.actorOutputs(m.obs(), net.params);
            ActionHead.Distribution dist = head.distribution(sub, out, net.actorTail(net.params), net.spec);
            NDArray rawLogRatio = dist.logProb(m.actions()).sub(m.oldLogp());
            NDArray logRatio = rawLogRatio;
            if (ppo.dualClip() > 0) {
                // Every sample whose ratio passes the dual clip c gets no gradient anyway (below), so capping the log
                // ratio there changes nothing but keeps exp finite: an overflowing ratio would make its zero
                // gradient 0 * inf = NaN and skip the whole update.
                logRatio = logRatio.minimum(sub.create((float) Math.log(ppo.dualClip() + 1.0)));
            } else if (m.weights() != null) {
                // A weight-0 sample deep in the tail can reach a ratio past float range after one step; its objective
                // is multiplied by 0 below, and 0 * inf would be NaN.
                logRatio = logRatio.minimum(sub.create(WEIGHTED_LOG_RATIO_CAP));
            }
            NDArray ratio = logRatio.exp();
            NDArray surr1 = ratio.mul(m.advantages());
            NDArray surr2 = ratio.maximum(lo).minimum(hi).mul(m.advantages());
            NDArray objective = surr1.minimum(surr2);
            if (ppo.dualClip() > 0) {
                // Dual clip (Ye et al. 2020): with a negative advantage the objective is at least c * A, so one
                // sample whose ratio exploded (an out-of-distribution state after a few steps) cannot take over the
                // minibatch's gradient; with a positive advantage the ordinary clip already bounds it.
                NDArray floor = m.advantages().mul(sub.create((float) ppo.dualClip()));
                objective = NDArrays.where(m.advantages().lt(sub.create(0f)), objective.maximum(floor), objective);
            }
            if (m.weights() != null) {
                // Samples another policy drew (a mirrored copy) count by their truncated importance weight, so one
                // lying in the policy's tail neither steers the update nor, below, trips the KL stop.
                objective = objective.mul(m.weights());
            }
            policyLoss = objective.mean().neg();
            entropy = dist.meanEntropy();

            // value term: squared error, optionally clipped around the value at collection time
            NDArray v = net.criticValues(m.obs(), net.params).reshape(m.size());
            NDArray err = v.sub(m.returns()).square();
            if (ppo.valueClip() > 0) {
                NDArray vcLo = sub.create((float) -ppo.valueClip());
                NDArray vcHi = sub.create((float) ppo.valueClip());
                NDArray vClipped = m.oldValues().add(v.sub(m.oldValues()).maximum(vcLo).minimum(vcHi));
                valueLoss = err.maximum(vClipped.sub(m.returns()).square()).mean().mul(half);
            } else {
                valueLoss = err.mean().mul(half);
            }

            loss = policyLoss.sub(entropy.mul(entCoef)).add(valueLoss.mul(vfCoef));
            if (ppo.boundLossCoef() > 0) {
                // Clipped actions give a mean past a bound no gradient back from the surrogate (every sample acts at
                // the bound), so without this term it can drift far out and make the deterministic action bang-bang.
                boundLoss = dist.meanBoundExcess();
                loss = loss.add(boundLoss.mul(sub.create((float) ppo.boundLossCoef())));
            } else {
                boundLoss = sub.create(0f);
            }
            if (injectNaN) {
                loss = loss.mul(sub.create(Float.NaN));
            }
            gc.backward(loss);
            // Measured on the uncapped ratio, so the dual clip never hides how far the policy moved.
            NDArray logRatioNoGrad = rawLogRatio.stopGradient();
            if (m.weights() != null) {
                logRatioNoGrad = logRatioNoGrad.minimum(sub.create(WEIGHTED_LOG_RATIO_CAP));
            }
            NDArray ratioNoGrad = logRatioNoGrad.exp();
            NDArray k3 = ratioNoGrad.sub(1f).sub(logRatioNoGrad);
            NDArray clipped = ratioNoGrad.sub(1f).abs().gt(clip).toType(DataType.FLOAT32, false);
            if (m.weights() == null) {
                approxKl = k3.mean();
                clipFraction = clipped.mean();
            } else {
                // Weighted means: a weight-0 sample in the tail would otherwise dominate k3 after one step.
                NDArray w = m.weights();
                NDArray wSum = w.sum().add(1e-8f);
                approxKl = k3.mul(w).sum().div(wSum);
                clipFraction = clipped.mul(w).sum().div(wSum);
            }
        }
        NDArray sq = null;
        for (int i = 0; i < net.params.length; i++) {
            grads[i] = net.params[i].getGradient();
            grads[i].attach(sub);
            NDArray g2 = grads[i].square().sum();
            sq = sq == null ? g2 : sq.add(g2);
        }
        float[] s = NDArrays.stack(new NDList(loss.stopGradient(), policyLoss.stopGradient(), valueLoss.stopGradient(),
                entropy.stopGradient(), boundLoss.stopGradient(), approxKl, clipFraction, sq)).toFloatArray();
        return new PpoLoss(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], false);
    }

    /** Running means of the measured terms over the minibatch steps of one update. */
    static final class Averages {
        private double loss;
        private double policyLoss;
        private double valueLoss;
        private double entropy;
        private double boundLoss;
        private double approxKl;
        private double clipFraction;
        private double gradNorm;
        private int count;

        void add(PpoLoss l) {
            loss += l.loss();
            policyLoss += l.policyLoss();
            valueLoss += l.valueLoss();
            entropy += l.entropy();
            boundLoss += l.boundLoss();
            approxKl += l.approxKl();
            clipFraction += l.clipFraction();
            gradNorm += l.gradNorm();
            count++;
        }

        /** Minibatch steps measured. */
        int count() {
            return count;
        }

        /** Writes the means under their report names. */
        void putInto(java.util.Map<String, Double> stats) {
            double d = Math.max(1, count);
            stats.put("loss", loss / d);
            stats.put("policy_loss", policyLoss / d);
            stats.put("value_loss", valueLoss / d);
            stats.put("entropy", entropy / d);
            stats.put("bound_loss", boundLoss / d);
            stats.put("approx_kl", approxKl / d);
            stats.put("clip_fraction", clipFraction / d);
            stats.put("grad_norm", gradNorm / d);
        }
    }
}
