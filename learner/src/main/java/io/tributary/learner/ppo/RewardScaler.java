package io.tributary.learner.ppo;

import io.tributary.learner.PolicyInference;
import io.tributary.learner.RunningMeanStd;
import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SB3 {@code VecNormalize} reward scaling: rewards are divided by the running std of the discounted
 * return, kept per environment stream (env name, worker incarnation, env index) and reset at episode
 * ends, then clipped to +-10. {@link #scale} works on copies; {@link #commit} makes them the state, so a
 * skipped update leaves the statistics untouched.
 */
final class RewardScaler {
    static final float REWARD_CLIP = 10f;

    private RunningMeanStd returnRms = new RunningMeanStd(1);
    private Map<String, Double> runningReturns = new HashMap<>();

    /** The state an update would leave behind. */
    record Pending(RunningMeanStd returnRms, Map<String, Double> runningReturns) {
    }

    /** Scales {@code rewards[0..n)} (the chunks' rewards, in order) in place; returns the new state. */
    Pending scale(List<ScoredChunk> chunks, float[] rewards, int n, double gamma) {
        Map<String, Double> returns = new HashMap<>(runningReturns);
        float[] discounted = new float[n];
        int pos = 0;
        for (ScoredChunk sc : chunks) {
            TrajectoryChunk ch = sc.chunk();
            String key = ch.envName() + "/" + ch.id().workerIncarnation() + "/" + ch.envIndex();
            double ret = returns.getOrDefault(key, 0.0);
            for (int t = 0; t < ch.steps(); t++) {
                ret = ret * gamma + sc.rewards()[t];
                discounted[pos + t] = (float) ret;
            }
            if (ch.endsEpisode()) {
                returns.remove(key);
            } else {
                returns.put(key, ret);
            }
            pos += ch.steps();
        }
        RunningMeanStd rms = returnRms.copy();
        rms.update(discounted, n);
        double scale = Math.sqrt(rms.var(0) + PolicyInference.VAR_EPSILON);
        for (int i = 0; i < n; i++) {
            double r = rewards[i] / scale;
            rewards[i] = (float) Math.max(-REWARD_CLIP, Math.min(REWARD_CLIP, r));
        }
        return new Pending(rms, returns);
    }

    /** Makes a pending state the current one (the update it came from was applied). */
    void commit(Pending pending) {
        returnRms = pending.returnRms();
        runningReturns = pending.runningReturns();
    }

    /** Writes the return statistics and the per-stream running returns (sorted by key). */
    void write(DataOutput out) throws IOException {
        returnRms.write(out);
        List<String> keys = new ArrayList<>(runningReturns.keySet());
        keys.sort(String::compareTo);
        out.writeInt(keys.size());
        for (String key : keys) {
            out.writeUTF(key);
            out.writeDouble(runningReturns.get(key));
        }
    }

    /** Reads what {@link #write} wrote, without changing this scaler. */
    static Pending read(DataInput in, int maxEntries) throws IOException {
        RunningMeanStd rms = new RunningMeanStd(1);
        rms.read(in);
        int entries = in.readInt();
        if (entries < 0 || entries > maxEntries) {
            throw new IOException("bad running-return count: count=" + entries);
        }
        Map<String, Double> returns = new HashMap<>();
        for (int i = 0; i < entries; i++) {
            String key = in.readUTF();
            returns.put(key, in.readDouble());
        }
        return new Pending(rms, returns);
    }
}
