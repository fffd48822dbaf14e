package io.tributary.actors;

import io.tributary.learner.PolicySnapshot;
import io.tributary.simulator.Environment;
import io.tributary.simulator.SimulatorSettings;
import io.tributary.simulator.StepResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a controller (a policy's deterministic actions, or a scripted controller): a fresh environment
 * per episode, seeds {@code seedBase .. seedBase + episodes - 1}, which training never uses.
 *
 * <p>Besides returns and episode lengths it aggregates the environment's step signals (its
 * {@code infoKeys()}, the values of {@code StepResult.info} after each step): per episode the mean, the
 * root mean square and the largest magnitude of each signal, then the mean of each over episodes. A signal
 * whose name ends with {@value #FLAG_SUFFIX}, or whose every evaluated value is 0 or 1, is an event flag:
 * for it the evaluator also counts the steps where it is non-zero (events per episode, averaged).
 */
public final class Evaluator {
    /** Name suffix that marks an info value as an event flag (non-zero = the event happened this step). */
    public static final String FLAG_SUFFIX = "_flag";

    /**
     * Aggregates of one signal over the evaluated episodes; each figure is first computed per episode, then
     * averaged over episodes. {@code events} (non-zero steps per episode) is NaN unless {@code flag}.
     */
    public record SignalStats(String key, double mean, double rms, double maxAbs, boolean flag, double events) {
        /** Checks the key. */
        public SignalStats {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("signal key must be non-empty: key=" + key);
            }
        }

        /**
         * Flat summary keys: {@code eval_signal_<key>_mean}, {@code _rms}, {@code _max_abs}, and for flags
         * {@code _events}; characters other than letters, digits and '_' in the key become '_'.
         */
        public Map<String, Double> toSummaryKeys() {
            String p = "eval_signal_" + key.replaceAll("[^A-Za-z0-9_]", "_") + "_";
            Map<String, Double> out = new LinkedHashMap<>();
            out.put(p + "mean", mean);
            out.put(p + "rms", rms);
            out.put(p + "max_abs", maxAbs);
            if (flag) {
                out.put(p + "events", events);
            }
            return out;
        }
    }

    /**
     * Result of an evaluation; {@code controller} names what acted ({@code policy} or a registered name).
     * {@code returns} and {@code lengths} hold the episodes that completed with finite values only;
     * {@code failed} counts the episodes excluded because the environment or controller threw or produced a
     * non-finite observation or reward.
     */
    public record Result(String controller, double mean, double std, double[] returns, long firstSeed, int[] lengths,
                         List<SignalStats> signals, int failed, List<TerminalTrace> terminations) {
        /** A result without termination traces. */
        public Result(String controller, double mean, double std, double[] returns, long firstSeed, int[] lengths,
                      List<SignalStats> signals, int failed) {
            this(controller, mean, std, returns, firstSeed, lengths, signals, failed, List.of());
        }

        /** Checks that there is one length per return and copies the signals. */
        public Result {
            terminations = List.copyOf(terminations);
            if (returns.length != lengths.length) {
                throw new IllegalArgumentException("one length per episode: returns=" + returns.length
                        + ", lengths=" + lengths.length);
            }
            if (failed < 0) {
                throw new IllegalArgumentException("failed episodes must be >= 0: failed=" + failed);
            }
            signals = List.copyOf(signals);
        }

        /** Mean episode length in steps (NaN without episodes). */
        public double lengthMean() {
            double s = 0;
            for (int l : lengths) {
                s += l;
            }
            return lengths.length == 0 ? Double.NaN : s / lengths.length;
        }

        /** Every signal's flat summary keys, in info-key order. */
        public Map<String, Double> signalSummaryKeys() {
            Map<String, Double> out = new LinkedHashMap<>();
            for (SignalStats s : signals) {
                out.putAll(s.toSummaryKeys());
            }
            return out;
        }
    }

    /**
     * The last steps of an episode that terminated (ended before its step limit: a crash, a departure, a fall),
     * kept when an evaluation asks for them, so a failure can be read step by step instead of guessed from
     * aggregates.
     *
     * @param seed       the episode's seed
     * @param length     steps the episode ran
     * @param signalKeys the environment's {@code infoKeys()}
     * @param steps      the last steps, oldest first
     */
    public record TerminalTrace(long seed, int length, List<String> signalKeys, List<TraceStep> steps) {
        public TerminalTrace {
            signalKeys = List.copyOf(signalKeys);
            steps = List.copyOf(steps);
        }
    }

    /**
     * One traced step: its 1-based index in the episode, the action the controller chose (before any clipping
     * by the environment, e.g. a Gaussian policy's mean) and the step signals after it.
     */
    public record TraceStep(int step, float[] action, double[] signals) {
    }

    private Evaluator() {
    }

    /** Runs {@code episodes} deterministic episodes of {@code policy}. */
    public static Result evaluate(SimulatorSettings sim, PolicySnapshot policy, int episodes, long seedBase) {
        return evaluate(sim, new PolicyController(policy), "policy", episodes, seedBase);
    }

    /** Runs {@code episodes} episodes driven by {@code controller}, named {@code controllerName} in the result. */
    public static Result evaluate(SimulatorSettings sim, Controller controller, String controllerName, int episodes,
                                  long seedBase) {
        return evaluate(sim, controller, controllerName, episodes, seedBase, 0);
    }

    /**
     * As {@link #evaluate(SimulatorSettings, Controller, String, int, long)}, also keeping the last
     * {@code traceSteps} steps of every episode that terminated before its step limit ({@link Result#terminations});
     * 0 keeps none. The trace is a preallocated ring, so tracing allocates nothing per step.
     */
    public static Result evaluate(SimulatorSettings sim, Controller controller, String controllerName, int episodes,
                                  long seedBase, int traceSteps) {
        if (traceSteps < 0) {
            throw new IllegalArgumentException("trace steps must be >= 0: traceSteps=" + traceSteps);
        }
        List<TerminalTrace> terminations = new ArrayList<>();
        double[] returns = new double[episodes];
        int[] lengths = new int[episodes];
        List<String> keys = null;
        double[][] perEpisode = null; // [key * 4 + {mean, rms, maxAbs, nonZero}][episode]
        boolean[] zeroOne = null;
        int done = 0;
        int failed = 0;
        for (int ep = 0; ep < episodes; ep++) {
            long seed = seedBase + ep;
            // A faulty environment must not cost the run its summary: an episode that throws or yields a
            // non-finite value is excluded, counted, and reported on stderr with its seed and cause.
            try (Environment env = sim.createEnvironment()) {
                if (keys == null) {
                    keys = List.copyOf(env.infoKeys());
                    perEpisode = new double[keys.size() * 4][episodes];
                    zeroOne = new boolean[keys.size()];
                    java.util.Arrays.fill(zeroOne, true);
                }
                int k = keys.size();
                double[] sum = new double[k];
                double[] sumSq = new double[k];
                double[] maxAbs = new double[k];
                double[] nonZero = new double[k];
                boolean[] seenNonZeroOne = new boolean[k];
                float[] action = new float[env.actionSpace().flatSize()];
                float[][] ringActions = new float[traceSteps][action.length];
                double[][] ringSignals = new double[traceSteps][k];
                StepResult r = StepResult.forEnvironment(env);
                env.reset(seed, r);
                requireFinite(r.observation, "observation after reset", seed, 0);
                controller.reset(seed);
                double ret = 0;
                int t = 0;
                for (; t < env.maxEpisodeSteps() + 1 && !r.done(); t++) {
                    controller.act(r.observation, r.info, action);
                    env.step(action, r);
                    if (!Double.isFinite(r.reward)) {
                        throw new NonFiniteException("non-finite reward: seed=" + seed + ", step=" + t + ", reward=" + r.reward);
                    }
                    requireFinite(r.observation, "observation", seed, t);
                    ret += r.reward;
                    if (traceSteps > 0) {
                        System.arraycopy(action, 0, ringActions[t % traceSteps], 0, action.length);
                        System.arraycopy(r.info, 0, ringSignals[t % traceSteps], 0, k);
                    }
                    for (int i = 0; i < k; i++) {
                        double x = r.info[i];
                        sum[i] += x;
                        sumSq[i] += x * x;
                        maxAbs[i] = Math.max(maxAbs[i], Math.abs(x));
                        if (x != 0) {
                            nonZero[i]++;
                        }
                        if (x != 0 && x != 1) {
                            seenNonZeroOne[i] = true;
                        }
                    }
                }
                if (traceSteps > 0 && r.terminated) {
                    List<TraceStep> steps = new ArrayList<>();
                    for (int i = Math.max(0, t - traceSteps); i < t; i++) {
                        steps.add(new TraceStep(i + 1, ringActions[i % traceSteps].clone(), ringSignals[i % traceSteps].clone()));
                    }
                    terminations.add(new TerminalTrace(seed, t, keys, steps));
                }
                returns[done] = ret;
                lengths[done] = t;
                for (int i = 0; i < k; i++) {
                    perEpisode[i * 4][done] = t == 0 ? Double.NaN : sum[i] / t;
                    perEpisode[i * 4 + 1][done] = t == 0 ? Double.NaN : Math.sqrt(sumSq[i] / t);
                    perEpisode[i * 4 + 2][done] = t == 0 ? Double.NaN : maxAbs[i];
                    perEpisode[i * 4 + 3][done] = nonZero[i];
                    if (seenNonZeroOne[i]) {
                        zeroOne[i] = false;
                    }
                }
                done++;
            } catch (RuntimeException e) {
                failed++;
                System.err.println("[tributary] evaluation episode excluded: controller=" + controllerName + ", seed="
                        + seed + ", cause=" + e);
            }
        }
        returns = java.util.Arrays.copyOf(returns, done);
        lengths = java.util.Arrays.copyOf(lengths, done);
        if (perEpisode != null) {
            for (int i = 0; i < perEpisode.length; i++) {
                perEpisode[i] = java.util.Arrays.copyOf(perEpisode[i], done);
            }
        }
        List<SignalStats> signals = new ArrayList<>();
        if (keys != null) {
            for (int i = 0; i < keys.size(); i++) {
                boolean flag = keys.get(i).endsWith(FLAG_SUFFIX) || zeroOne[i];
                signals.add(new SignalStats(keys.get(i), mean(perEpisode[i * 4]), mean(perEpisode[i * 4 + 1]),
                        mean(perEpisode[i * 4 + 2]), flag, flag ? mean(perEpisode[i * 4 + 3]) : Double.NaN));
            }
        }
        double mean = mean(returns);
        double var = 0;
        for (double x : returns) {
            var += (x - mean) * (x - mean);
        }
        double std = done == 0 ? Double.NaN : Math.sqrt(var / done);
        return new Result(controllerName, mean, std, returns, seedBase, lengths, signals, failed, terminations);
    }

    private static void requireFinite(float[] observation, String what, long seed, int step) {
        for (int i = 0; i < observation.length; i++) {
            if (!Float.isFinite(observation[i])) {
                throw new NonFiniteException("non-finite " + what + ": seed=" + seed + ", step=" + step + ", index=" + i
                        + ", value=" + observation[i]);
            }
        }
    }

    /** An evaluation episode produced a value that is not finite. */
    private static final class NonFiniteException extends RuntimeException {
        NonFiniteException(String message) {
            super(message);
        }
    }

    private static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return xs.length == 0 ? Double.NaN : s / xs.length;
    }
}
