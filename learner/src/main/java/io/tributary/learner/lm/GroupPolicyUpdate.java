package io.tributary.learner.lm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.tributary.learner.nn.Adam;
import io.tributary.learner.nn.Arrays64;
import io.tributary.simulator.random.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One policy update of the language model on a batch of groups (BRPO and GRPO: one class, two reward
 * modes, the same code otherwise):
 * <ol>
 *   <li>advantages per response are given from outside ({@link ResponseGroup#advantages()}, computed by the
 *       reward-models module's {@code BrpoRewards} / {@code GrpoRewards}): BRPO's R ∈ {+1, −1, 0} with no
 *       normalisation (checked here: any other value is refused), GRPO's group-normalised reward; every token
 *       of a response carries its response's advantage;</li>
 *   <li>groups flagged {@link ResponseGroup#filtered()} (BRPO's skew filter) are counted and reported but
 *       contribute no rows, hence no gradient;</li>
 *   <li>epochs × shuffled minibatches of responses: new per-token log-probs teacher-forced at the sampling
 *       temperature, ratio = exp(logp_new − logp_old), clipped surrogate min(ρA, clip(ρ, 1 ± ε)A), its mean
 *       over all response tokens of the minibatch (token-level, so long responses weigh by their tokens);</li>
 *   <li>optionally + kl-coef × the k3 estimate exp(ref − new) − (ref − new) − 1 of KL to the frozen
 *       reference (pre-trained) policy, token-level mean (its value and gradient are 0 at the reference);</li>
 *   <li>global gradient-norm clip, Adam.</li>
 * </ol>
 * If any minibatch's loss or gradient norm is not finite (a NaN reward from a judge, overflowing logits),
 * the whole update is abandoned: weights and Adam state are put back and the result says why, as PPO does.
 *
 * <p>Memory: every minibatch runs in its own sub-manager; constants (clip bounds, 1, the KL weight) are
 * created there and live through the backward pass (the DJL scalar pitfall in DESIGN.md).
 */
public final class GroupPolicyUpdate implements AutoCloseable {
    private final GruLanguageModel policy;
    private final GruLanguageModel reference;
    private final GroupUpdateSettings settings;
    private final LmOptimizer optimizer;
    private final SplitMix64 rng;
    private int updatesSkipped;

    /**
     * @param policy    the trainable policy
     * @param reference the frozen pre-trained policy for the KL term; may be null only when kl-coef is 0
     * @param settings  the {@code tributary.learner.group} settings
     * @param seed      minibatch shuffling seed
     */
    public GroupPolicyUpdate(GruLanguageModel policy, GruLanguageModel reference, GroupUpdateSettings settings,
                             long seed) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.settings = Objects.requireNonNull(settings, "settings");
        if (settings.klCoef() > 0 && reference == null) {
            throw new IllegalArgumentException("a KL term needs a reference policy: klCoef=" + settings.klCoef());
        }
        if (reference != null && !reference.spec().equals(policy.spec())) {
            throw new IllegalArgumentException("reference and policy must have the same spec: policy=" + policy.spec()
                    + ", reference=" + reference.spec());
        }
        this.reference = reference;
        this.optimizer = new LmOptimizer(policy);
        this.rng = new SplitMix64(seed);
    }

    /** Updates abandoned so far because a loss or gradient norm was not finite. */
    public int updatesSkipped() {
        return updatesSkipped;
    }

    /** The reward mode the advantages are checked against. */
    public GroupUpdateSettings.RewardMode mode() {
        return settings.rewardMode();
    }

    /** State of the minibatch-shuffling generator (for checkpoints). */
    public long rngState() {
        return rng.state();
    }

    /** Restores the minibatch-shuffling generator from {@link #rngState()}. */
    public void setRngState(long state) {
        rng.setState(state);
    }

    /** The optimiser (for checkpointing its state with {@link Adam#write}). */
    public Adam adam() {
        return optimizer.adam();
    }

    /**
     * Checks a group's advantages against the reward mode: under BRPO each must be −1, 0 or +1 (a NaN passes,
     * for the update to catch and report); GRPO's normalised rewards may be any value.
     */
    public static void checkAdvantages(GroupUpdateSettings.RewardMode mode, double[] advantages) {
        if (mode != GroupUpdateSettings.RewardMode.BRPO) {
            return;
        }
        for (int i = 0; i < advantages.length; i++) {
            double r = advantages[i];
            if (!(Double.isNaN(r) || r == -1 || r == 0 || r == 1)) {
                throw new IllegalArgumentException("a BRPO advantage must be -1, 0 or +1: index=" + i + ", advantage=" + r);
            }
        }
    }

    /** One update on {@code groups}; see the class comment. */
    public GroupUpdateResult update(List<ResponseGroup> groups) {
        long start = System.nanoTime();
        // 1. rows of the groups that train
        List<int[]> prompts = new ArrayList<>();
        List<int[]> responses = new ArrayList<>();
        List<float[]> oldLogp = new ArrayList<>();
        List<Float> adv = new ArrayList<>();
        int used = 0;
        int filtered = 0;
        long tokens = 0;
        for (ResponseGroup g : groups) {
            if (g.filtered()) {
                filtered++;
                continue;
            }
            used++;
            double[] a = g.advantages();
            checkAdvantages(settings.rewardMode(), a);
            int[] prompt = g.prompt();
            for (int i = 0; i < g.size(); i++) {
                prompts.add(prompt);
                responses.add(g.responses().get(i));
                oldLogp.add(g.oldLogProbs().get(i));
                adv.add((float) a[i]);
                tokens += g.responses().get(i).length;
            }
        }
        int n = responses.size();
        if (n == 0) {
            return new GroupUpdateResult(false, "", 0, 0, 0, 0, 0, 0, used, filtered, 0, millis(start));
        }

        // 2. what an abandoned update puts back
        Adam.State adamBackup = optimizer.adam().backup();
        NDArray[] paramBackup = policy.backup();
        long rngBackup = rng.state();

        // 3. epochs over shuffled minibatches of responses
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        int mb = settings.minibatchSize();
        double lossSum = 0;
        double surrSum = 0;
        double klSum = 0;
        double clippedSum = 0;
        double normSum = 0;
        long tokenSum = 0;
        int steps = 0;
        String skipReason = null;
        outer:
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            rng.shuffle(perm, n);
            for (int from = 0; from < n; from += mb) {
                int to = Math.min(n, from + mb);
                List<int[]> p = new ArrayList<>(to - from);
                List<int[]> r = new ArrayList<>(to - from);
                List<float[]> o = new ArrayList<>(to - from);
                float[] a = new float[to - from];
                for (int k = from; k < to; k++) {
                    p.add(prompts.get(perm[k]));
                    r.add(responses.get(perm[k]));
                    o.add(oldLogp.get(perm[k]));
                    a[k - from] = adv.get(perm[k]);
                }
                MinibatchTerms t;
                try (NDManager m = policy.manager().newSubManager()) {
                    t = minibatchStep(m, p, r, o, a);
                }
                if (!Double.isFinite(t.loss) || !Double.isFinite(t.gradNorm)) {
                    skipReason = "non-finite " + (!Double.isFinite(t.loss) ? "loss" : "gradient norm") + ": loss="
                            + t.loss + ", gradNorm=" + t.gradNorm + ", epoch=" + epoch + ", minibatchStart=" + from;
                    break outer;
                }
                steps++;
                lossSum += t.loss * t.tokens;
                surrSum += t.surrogate * t.tokens;
                klSum += t.kl * t.tokens;
                clippedSum += t.clipped;
                normSum += t.gradNorm;
                tokenSum += t.tokens;
            }
        }
        if (skipReason != null) {
            policy.restore(paramBackup);
            optimizer.adam().restore(adamBackup);
            rng.setState(rngBackup);
            updatesSkipped++;
            return new GroupUpdateResult(true, skipReason, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    tokens, used, filtered, 0, millis(start));
        }
        for (NDArray b : paramBackup) {
            b.close();
        }
        adamBackup.close();
        return new GroupUpdateResult(false, "", lossSum / tokenSum, surrSum / tokenSum, klSum / tokenSum,
                clippedSum / tokenSum, normSum / steps, tokens, used, filtered, steps, millis(start));
    }

    /** Loss terms of one minibatch (token-level means) and its gradient norm; a step is taken when finite. */
    private record MinibatchTerms(double loss, double surrogate, double kl, double clipped, double gradNorm,
                                  long tokens) {
    }

    private MinibatchTerms minibatchStep(NDManager m, List<int[]> prompts, List<int[]> responses, List<float[]> old,
                                         float[] adv) {
        int b = responses.size();
        int t = 0;
        for (int[] r : responses) {
            t = Math.max(t, r.length);
        }
        float[] oldFlat = new float[b * t];
        float[] maskFlat = new float[b * t];
        long tokens = 0;
        for (int i = 0; i < b; i++) {
            System.arraycopy(old.get(i), 0, oldFlat, i * t, old.get(i).length);
            java.util.Arrays.fill(maskFlat, i * t, i * t + responses.get(i).length, 1f);
            tokens += responses.get(i).length;
        }
        float temperature = (float) settings.temperature();
        NDArray oldLp = Arrays64.create(m, oldFlat, new Shape(b, t));
        NDArray mask = Arrays64.create(m, maskFlat, new Shape(b, t));
        NDArray advantage = Arrays64.create(m, adv, new Shape(b, 1));
        NDArray count = m.create((float) tokens);
        NDArray lo = m.create((float) (1 - settings.clip()));
        NDArray hi = m.create((float) (1 + settings.clip()));
        NDArray one = m.create(1f);
        NDArray klCoef = m.create((float) settings.klCoef());
        boolean withKl = settings.klCoef() > 0;
        NDArray refLp = withKl ? reference.responseLogProbs(m, prompts, responses, temperature) : null;

        NDArray loss;
        NDArray surrogate;
        NDArray kl = null;
        NDArray ratio;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logp = policy.responseLogProbs(m, prompts, responses, temperature);
            ratio = logp.sub(oldLp).exp();
            NDArray unclipped = ratio.mul(advantage);
            NDArray clipped = ratio.maximum(lo).minimum(hi).mul(advantage);
            surrogate = unclipped.minimum(clipped).mul(mask).sum().div(count).neg();
            loss = surrogate;
            if (withKl) {
                NDArray d = refLp.sub(logp);
                kl = d.exp().sub(d).sub(one).mul(mask).sum().div(count);
                loss = loss.add(kl.mul(klCoef));
            }
            gc.backward(loss);
        }
        double lossValue = loss.getFloat();
        double gradNorm = optimizer.step(m, (float) settings.learningRate(), settings.maxGradNorm());
        float[] rho = ratio.toFloatArray();
        double clippedCount = 0;
        for (int i = 0; i < rho.length; i++) {
            if (maskFlat[i] > 0 && Math.abs(rho[i] - 1.0) > settings.clip()) {
                clippedCount++;
            }
        }
        return new MinibatchTerms(lossValue, surrogate.getFloat(), kl == null ? 0 : kl.getFloat(), clippedCount,
                gradNorm, tokens);
    }

    private static double millis(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
