package io.tributary.examples.reinforce;

import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Holds the pieces of episodes until each is complete. A worker cuts an episode into chunks (and flushes a
 * partial one at its quota); chunks are spread over partitions, so they arrive in any order. Pieces are
 * kept by episode (worker incarnation, env slot, episode id) and chunk index; an episode is complete once
 * the piece whose last step ended it and every piece before it are in.
 */
final class EpisodeBuffer {
    /** One chunk's share of an episode: the scored rewards it is trained on, and the env rewards' sum. */
    record Piece(int steps, float[] obs, float[] actions, float[] rewards, double envReward, boolean last) { }

    private final Map<String, TreeMap<Integer, Piece>> open = new LinkedHashMap<>();
    /** Policy version at which each held episode last received a piece. */
    private final Map<String, Long> lastSeen = new HashMap<>();

    /** Adds a scored chunk, received while the learner is at {@code version}. */
    void add(ScoredChunk scored, long version) {
        TrajectoryChunk c = scored.chunk();
        int n = c.steps();
        double envReward = 0;
        for (float r : c.rewards()) {
            envReward += r;
        }
        String episode = c.id().workerIncarnation() + "/" + c.envIndex() + "/" + c.episodeId();
        open.computeIfAbsent(episode, k -> new TreeMap<>()).put(c.chunkIndex(), new Piece(n, c.observations(), c.actions(),
                scored.rewards(), envReward, c.terminated()[n - 1] || c.truncated()[n - 1]));
        lastSeen.put(episode, version);
    }

    /** Removes and returns the complete episodes (each one's pieces in order), in the order they began arriving. */
    List<List<Piece>> takeComplete() {
        List<List<Piece>> complete = new ArrayList<>();
        for (var it = open.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().lastEntry().getValue().last() && e.getValue().lastKey() == e.getValue().size() - 1) {
                complete.add(new ArrayList<>(e.getValue().values()));
                lastSeen.remove(e.getKey());
                it.remove();
            }
        }
        return complete;
    }

    /** Adds {@code delta} to every open episode's last-seen version (the learner skipped versions at a resume). */
    void shiftVersions(long delta) {
        lastSeen.replaceAll((k, v) -> v + delta);
    }

    /**
     * Gives up the episodes that got no piece since before {@code version}: they will not complete (a piece
     * was dropped as stale, or their worker stopped). Returns the steps given up.
     */
    int abandonOlderThan(long version) {
        int steps = 0;
        for (var it = open.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (lastSeen.get(e.getKey()) < version) {
                steps += e.getValue().values().stream().mapToInt(Piece::steps).sum();
                lastSeen.remove(e.getKey());
                it.remove();
            }
        }
        return steps;
    }

    /** Steps held in unfinished episodes. */
    int openSteps() {
        return open.values().stream().flatMap(e -> e.values().stream()).mapToInt(Piece::steps).sum();
    }

    /** Writes the held pieces (a checkpoint must keep them: the learner actor counted their chunks as trained). */
    void write(DataOutputStream out) throws IOException {
        out.writeInt(open.size());
        for (Map.Entry<String, TreeMap<Integer, Piece>> e : open.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(lastSeen.get(e.getKey()));
            out.writeInt(e.getValue().size());
            for (Map.Entry<Integer, Piece> p : e.getValue().entrySet()) {
                out.writeInt(p.getKey());
                out.writeInt(p.getValue().steps());
                out.writeBoolean(p.getValue().last());
                out.writeDouble(p.getValue().envReward());
                ReinforceCheckpoint.writeFloats(out, p.getValue().obs());
                ReinforceCheckpoint.writeFloats(out, p.getValue().actions());
                ReinforceCheckpoint.writeFloats(out, p.getValue().rewards());
            }
        }
    }

    /** Replaces the held pieces with what {@link #write} wrote. */
    void read(DataInputStream in) throws IOException {
        open.clear();
        lastSeen.clear();
        for (int e = in.readInt(); e > 0; e--) {
            String episode = in.readUTF();
            lastSeen.put(episode, in.readLong());
            TreeMap<Integer, Piece> pieces = new TreeMap<>();
            open.put(episode, pieces);
            for (int p = in.readInt(); p > 0; p--) {
                int index = in.readInt();
                int steps = in.readInt();
                boolean last = in.readBoolean();
                double envReward = in.readDouble();
                pieces.put(index, new Piece(steps, ReinforceCheckpoint.readFloats(in), ReinforceCheckpoint.readFloats(in),
                        ReinforceCheckpoint.readFloats(in), envReward, last));
            }
        }
    }
}
