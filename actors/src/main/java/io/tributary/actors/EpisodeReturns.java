package io.tributary.actors;

import io.tributary.rewards.ScoredChunk;
import io.tributary.simulator.rollout.TrajectoryChunk;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Episode returns of a scored topic: chunks are gathered by episode (worker incarnation, env instance,
 * episode id) and an episode counts once its chunks 0..k are all present and chunk k ends it (terminated
 * or truncated); episodes cut off at the end of a run are left out. A chunk transform may send copies of
 * a chunk under the same episode and index (the lane-keeping mirror): an episode whose every index holds
 * the same number c of chunks, c of them at k ending it, counts as c episodes. The sums run in a fixed
 * order (episodes by key, chunks by index then id, steps in order), so two topics holding the same rewards
 * give the same mean to the last bit, whatever order their records were read in. A chunk id seen twice
 * is counted, not summed.
 */
public final class EpisodeReturns {
    /** What one scored topic pays per episode. */
    public record Stats(long chunks, long duplicateChunks, long completeEpisodes, long incompleteEpisodes, double meanReturn,
                 long malformed) {
    }

    /** Rewards of one chunk of an episode, summed in step order, and whether the chunk ends the episode. */
    private record Part(double sum, boolean last) {
    }

    private final Map<String, TreeMap<Integer, TreeMap<String, Part>>> episodes = new TreeMap<>();
    private final Set<String> ids = new HashSet<>();
    private long chunks;
    private long duplicates;

    /** Adds one scored chunk. */
    void add(ScoredChunk s) {
        TrajectoryChunk c = s.chunk();
        if (!ids.add(c.id().key())) {
            duplicates++;
            return;
        }
        chunks++;
        double sum = 0;
        for (float r : s.rewards()) {
            sum += r;
        }
        int n = c.steps();
        boolean last = n > 0 && (c.terminated()[n - 1] || c.truncated()[n - 1]);
        String key = c.id().workerIncarnation() + "/" + c.envIndex() + "/" + c.episodeId();
        episodes.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(c.chunkIndex(), k -> new TreeMap<>())
                .put(c.id().key(), new Part(sum, last));
    }

    /** The statistics of everything added; {@code malformed} is the reader's count of undecodable records. */
    Stats stats(long malformed) {
        long complete = 0;
        long incomplete = 0;
        double total = 0;
        for (TreeMap<Integer, TreeMap<String, Part>> parts : episodes.values()) {
            int copies = parts.lastEntry().getValue().size();
            long ends = parts.lastEntry().getValue().values().stream().filter(Part::last).count();
            boolean whole = parts.lastKey() == parts.size() - 1 && ends == copies
                    && parts.values().stream().allMatch(p -> p.size() == copies);
            if (!whole) {
                incomplete++;
                continue;
            }
            for (TreeMap<String, Part> index : parts.values()) {
                for (Part p : index.values()) {
                    total += p.sum();
                }
            }
            complete += copies;
        }
        return new Stats(chunks, duplicates, complete, incomplete,
                complete == 0 ? Double.NaN : total / complete, malformed);
    }
}
