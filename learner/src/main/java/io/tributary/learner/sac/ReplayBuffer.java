package io.tributary.learner.sac;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A ring buffer of transitions {@code (s, a, r, s', done, depth)} in flat primitive arrays: once full,
 * the oldest transition is overwritten. {@code depth} is the rollout depth of the transition as the
 * chunk carried it (1..k for model rollouts, where {@code s'} is reached after {@code depth} steps; 0 when
 * the chunk carried none), which marks edge-of-reach transitions ({@code depth == k}). Saved whole in
 * the learner's checkpoint, so a resumed run re-reads only data after it.
 */
public final class ReplayBuffer {
    private final int capacity;
    private final int obsSize;
    private final int actSize;
    final float[] obs;
    final float[] act;
    final float[] rew;
    final float[] next;
    final boolean[] done;
    final int[] depth;
    private int size;
    private int head;
    private long added;

    /** An empty buffer for {@code capacity} transitions. */
    public ReplayBuffer(int capacity, int obsSize, int actSize) {
        if (capacity < 1 || obsSize < 1 || actSize < 1) {
            throw new IllegalArgumentException("bad replay buffer shape: capacity=" + capacity + ", obsSize=" + obsSize
                    + ", actSize=" + actSize);
        }
        this.capacity = capacity;
        this.obsSize = obsSize;
        this.actSize = actSize;
        this.obs = new float[Math.multiplyExact(capacity, obsSize)];
        this.act = new float[Math.multiplyExact(capacity, actSize)];
        this.rew = new float[capacity];
        this.next = new float[Math.multiplyExact(capacity, obsSize)];
        this.done = new boolean[capacity];
        this.depth = new int[capacity];
    }

    /** Transitions held. */
    public int size() {
        return size;
    }

    /** Transitions ever added (overwritten ones included). */
    public long added() {
        return added;
    }

    /** Most transitions held. */
    public int capacity() {
        return capacity;
    }

    /** Appends one transition, overwriting the oldest when full. */
    public void add(float[] o, int oOff, float[] a, int aOff, float r, float[] n, int nOff, boolean terminal, int d) {
        int i = head;
        System.arraycopy(o, oOff, obs, i * obsSize, obsSize);
        System.arraycopy(a, aOff, act, i * actSize, actSize);
        rew[i] = r;
        System.arraycopy(n, nOff, next, i * obsSize, obsSize);
        done[i] = terminal;
        depth[i] = d;
        head = (head + 1) % capacity;
        size = Math.min(size + 1, capacity);
        added++;
    }

    /** Storage slot of the {@code k}-th transition from the oldest held. */
    public int slot(int k) {
        int oldest = size < capacity ? 0 : head;
        return (oldest + k) % capacity;
    }

    /** Depth of the transition in storage slot {@code i}. */
    public int depthAt(int i) {
        return depth[i];
    }

    /** Writes size, head, counters and the held transitions (oldest first). */
    public void write(DataOutput out) throws IOException {
        out.writeInt(capacity);
        out.writeInt(obsSize);
        out.writeInt(actSize);
        out.writeInt(size);
        out.writeLong(added);
        for (int k = 0; k < size; k++) {
            int i = slot(k);
            for (int j = 0; j < obsSize; j++) {
                out.writeFloat(obs[i * obsSize + j]);
            }
            for (int j = 0; j < actSize; j++) {
                out.writeFloat(act[i * actSize + j]);
            }
            out.writeFloat(rew[i]);
            for (int j = 0; j < obsSize; j++) {
                out.writeFloat(next[i * obsSize + j]);
            }
            out.writeBoolean(done[i]);
            out.writeInt(depth[i]);
        }
    }

    /**
     * Reads what {@link #write} wrote into a new buffer, checking the shape against the learner's.
     *
     * @throws IOException naming the mismatch
     */
    public static ReplayBuffer read(DataInput in, int capacity, int obsSize, int actSize) throws IOException {
        int c = in.readInt();
        int o = in.readInt();
        int a = in.readInt();
        if (c != capacity || o != obsSize || a != actSize) {
            throw new IOException("replay buffer shape mismatch: stored capacity=" + c + ", obsSize=" + o + ", actSize=" + a
                    + "; expected capacity=" + capacity + ", obsSize=" + obsSize + ", actSize=" + actSize);
        }
        int n = in.readInt();
        long added = in.readLong();
        if (n < 0 || n > capacity || added < n) {
            throw new IOException("replay buffer counts out of range: size=" + n + ", capacity=" + capacity + ", added=" + added);
        }
        ReplayBuffer b = new ReplayBuffer(capacity, obsSize, actSize);
        float[] so = new float[obsSize];
        float[] sa = new float[actSize];
        float[] sn = new float[obsSize];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < obsSize; j++) {
                so[j] = in.readFloat();
            }
            for (int j = 0; j < actSize; j++) {
                sa[j] = in.readFloat();
            }
            float r = in.readFloat();
            for (int j = 0; j < obsSize; j++) {
                sn[j] = in.readFloat();
            }
            boolean d = in.readBoolean();
            int dep = in.readInt();
            b.add(so, 0, sa, 0, r, sn, 0, d, dep);
        }
        b.added = added;
        return b;
    }

}
