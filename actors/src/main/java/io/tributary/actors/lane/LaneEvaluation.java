package io.tributary.actors.lane;

import io.tributary.actors.Controller;
import io.tributary.simulator.Environment;
import io.tributary.simulator.SimulatorSettings;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.lane.LaneKeepingEnv;
import io.tributary.simulator.lane.LaneSignals;
import java.util.ArrayList;
import java.util.List;

/**
 * Lane-keeping evaluation of one controller on a block of test seeds, episode by episode, with the figures
 * the lane-keeping experiment reports: each episode's lateral RMSE over the whole episode
 * ({@code sqrt(mean d^2)} to the ego-lane centre, from the {@code lateral_offset_m} step signal), whether it
 * ended in a collision or a lane departure, whether it completed (reached the step limit), and its mean speed.
 * One episode's path can be recorded for a top-down plot.
 */
public final class LaneEvaluation {
    /** One evaluated episode. */
    public record Episode(long seed, int steps, double rmseM, boolean collision, boolean departure, boolean completed,
                          double meanSpeedKmh) {
    }

    /** The ego's path of one episode: centre positions, world frame (x, y) and road frame (arc length s, lateral d). */
    public record Path(long seed, double[] x, double[] y, double[] d, boolean collision, boolean departure) {
    }

    /**
     * An evaluation's episodes and aggregates.
     *
     * @param episodes every episode, in seed order
     */
    public record Result(List<Episode> episodes) {
        public Result {
            episodes = List.copyOf(episodes);
        }

        /** Mean over episodes of the per-episode RMSE, metres. */
        public double rmseMean() {
            return mean(episodes.stream().mapToDouble(Episode::rmseM).toArray());
        }

        /** Standard deviation over episodes of the per-episode RMSE, metres. */
        public double rmseStd() {
            double[] xs = episodes.stream().mapToDouble(Episode::rmseM).toArray();
            double m = mean(xs);
            double v = 0;
            for (double x : xs) {
                v += (x - m) * (x - m);
            }
            return xs.length == 0 ? Double.NaN : Math.sqrt(v / xs.length);
        }

        /** Episodes that ended in a collision. */
        public int collisions() {
            return (int) episodes.stream().filter(Episode::collision).count();
        }

        /** Episodes that ended in a lane departure. */
        public int departures() {
            return (int) episodes.stream().filter(Episode::departure).count();
        }

        /** Episodes that reached the step limit. */
        public int completed() {
            return (int) episodes.stream().filter(Episode::completed).count();
        }

        /** Mean over episodes of the per-episode mean speed, km/h. */
        public double meanSpeedKmh() {
            return mean(episodes.stream().mapToDouble(Episode::meanSpeedKmh).toArray());
        }

        /**
         * A score to minimise when choosing among controllers: episodes that crashed or departed first
         * (each worth more than any RMSE), then the mean RMSE.
         */
        public double gridScore() {
            return 10.0 * (collisions() + departures() + (episodes.size() - completed())) + rmseMean();
        }
    }

    private LaneEvaluation() {
    }

    /** Runs {@code episodes} episodes on seeds {@code seedBase ..} driven by {@code controller}. */
    public static Result evaluate(SimulatorSettings sim, Controller controller, long seedBase, int episodes) {
        List<Episode> out = new ArrayList<>(episodes);
        for (int e = 0; e < episodes; e++) {
            out.add(run(sim, controller, seedBase + e, null));
        }
        return new Result(out);
    }

    /** Records the path of the episode on {@code seed} driven by {@code controller}. */
    public static Path path(SimulatorSettings sim, Controller controller, long seed) {
        List<double[]> points = new ArrayList<>();
        Episode ep = run(sim, controller, seed, points);
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        double[] d = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
            d[i] = points.get(i)[2];
        }
        return new Path(seed, x, y, d, ep.collision(), ep.departure());
    }

    private static Episode run(SimulatorSettings sim, Controller controller, long seed, List<double[]> path) {
        try (Environment env = sim.createEnvironment()) {
            if (!(env instanceof LaneKeepingEnv lane)) {
                throw new IllegalArgumentException("lane-keeping evaluation needs " + LaneKeepingEnv.NAME + ": env=" + env.name());
            }
            List<String> keys = env.infoKeys();
            int iD = keys.indexOf(LaneSignals.LATERAL_OFFSET_M);
            int iV = keys.indexOf(LaneSignals.SPEED_KMH);
            int iC = keys.indexOf(LaneSignals.COLLISION);
            int iX = keys.indexOf(LaneSignals.DEPARTURE);
            StepResult r = StepResult.forEnvironment(env);
            float[] action = new float[env.actionSpace().flatSize()];
            env.reset(seed, r);
            controller.reset(seed);
            double sumSq = 0;
            double sumV = 0;
            int t = 0;
            boolean collision = false;
            boolean departure = false;
            if (path != null) {
                path.add(new double[] {lane.ego().centreX(), lane.ego().centreY(), r.info[iD]});
            }
            while (!r.done()) {
                controller.act(r.observation, r.info, action);
                env.step(action, r);
                double d = r.info[iD];
                sumSq += d * d;
                sumV += r.info[iV];
                collision |= r.info[iC] != 0;
                departure |= r.info[iX] != 0;
                t++;
                if (path != null) {
                    path.add(new double[] {lane.ego().centreX(), lane.ego().centreY(), d});
                }
            }
            boolean completed = r.truncated && !r.terminated;
            return new Episode(seed, t, Math.sqrt(sumSq / Math.max(1, t)), collision, departure, completed, sumV / Math.max(1, t));
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
