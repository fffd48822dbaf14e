package io.tributary.learner.sac;

import io.tributary.learner.PolicySpec;
import io.tributary.learner.nn.Adam;
import io.tributary.learner.nn.Checkpoints;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The SAC learner's checkpoint file, in the conventions of the PPO one: a big-endian
 * {@code DataOutputStream} body (magic, format, algorithm, the whole {@link PolicySpec}, the ensemble
 * size, counters, RNG state, log alpha, actor, critic and target flat vectors, the three optimisers,
 * probe states, the replay buffer) followed by the CRC-32 of the body as a long. The body is streamed
 * (the replay buffer may hold millions of transitions), the CRC computed on the way.
 */
final class SacCheckpoint {
    /** Name of the checkpoint file in a save directory. */
    static final String FILE = "sac-learner.bin";
    static final int MAGIC = 0x54534143; // "TSAC"
    static final int FORMAT_VERSION = 1;

    private SacCheckpoint() {
    }

    /** Counters and RNG state. */
    record Counters(long version, long gradientSteps, long updatesApplied, long updatesSkipped, long envStepsReceived,
                    long pendingEnvSteps, long divergedAtUpdate, long snapshotCreatedAtMicros, long rngState) {
    }

    /** Everything read back and checked, not yet applied. */
    record Restored(Counters counters, float logAlpha, float[] actor, float[] critic, float[] target,
                    Adam.Staged adamActor, Adam.Staged adamCritic, Adam.Staged adamAlpha, float[] probeStates,
                    int probeCount, ReplayBuffer buffer) {
    }

    static void write(Path file, SacLearner l) throws IOException {
        CRC32 crc = new CRC32();
        try (OutputStream raw = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(l.algorithm());
            Checkpoints.writeSpec(out, l.spec());
            out.writeInt(l.critics().members());
            out.writeLong(l.version);
            out.writeLong(l.gradientSteps);
            out.writeLong(l.updatesApplied);
            out.writeLong(l.updatesSkipped);
            out.writeLong(l.envStepsReceived);
            out.writeLong(l.pendingEnvSteps);
            out.writeLong(l.divergedAtUpdate);
            out.writeLong(l.snapshotCreatedAtMicros);
            out.writeLong(l.rng.state());
            out.writeFloat(l.logAlpha.getFloat());
            Checkpoints.writeFloats(out, l.actorFlat());
            Checkpoints.writeFloats(out, l.critics().flatten(l.critic));
            Checkpoints.writeFloats(out, l.critics().flatten(l.target));
            l.adamActor.write(out);
            l.adamCritic.write(out);
            l.adamAlpha.write(out);
            out.writeInt(l.probeCount);
            Checkpoints.writeFloats(out, l.probeStates);
            l.buffer.write(out);
            out.flush();
            // the CRC of everything above, written through the raw stream so it does not checksum itself
            DataOutputStream tail = new DataOutputStream(raw);
            tail.writeLong(crc.getValue());
            tail.flush();
        }
    }

    /** Reads and checks the file against the learner's algorithm, spec and sizes; changes nothing. */
    static Restored read(Path file, SacLearner l) throws IOException {
        long length = Files.size(file);
        expect(length > 8, "checkpoint too short: file=" + file + ", bytes=" + length);
        CRC32 crc = new CRC32();
        Restored r;
        try (InputStream raw = Files.newInputStream(file)) {
            BoundedInput bounded = new BoundedInput(raw, length - 8);
            DataInputStream in = new DataInputStream(new BufferedInputStream(new CheckedInputStream(bounded, crc), 1 << 16));
            expect(in.readInt() == MAGIC, "not a SAC learner checkpoint: file=" + file);
            int format = in.readInt();
            expect(format == FORMAT_VERSION, "unsupported checkpoint format: format=" + format + ", supported="
                    + FORMAT_VERSION);
            String alg = in.readUTF();
            expect(alg.equals(l.algorithm()), "checkpoint algorithm mismatch: stored=" + alg + ", expected=" + l.algorithm());
            PolicySpec stored = Checkpoints.readSpec(in);
            expect(stored.equals(l.spec()), "checkpoint architecture mismatch: stored=" + stored + ", expected=" + l.spec());
            int members = in.readInt();
            expect(members == l.critics().members(), "checkpoint critic count mismatch: stored=" + members + ", expected="
                    + l.critics().members());
            Counters c = new Counters(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                    in.readLong(), in.readLong(), in.readLong(), in.readLong());
            float logAlpha = in.readFloat();
            float[] actor = Checkpoints.readFloats(in, l.actorLayout().parameterCount(), "actor");
            float[] critic = Checkpoints.readFloats(in, l.critics().parameterCount(), "critic");
            float[] target = Checkpoints.readFloats(in, l.critics().parameterCount(), "target");
            Adam.Staged aa = l.adamActor.readStaged(in);
            Adam.Staged ac = l.adamCritic.readStaged(in);
            Adam.Staged al = l.adamAlpha.readStaged(in);
            int probeCount = in.readInt();
            float[] probes = Checkpoints.readFloats(in, l.probeStates.length, "probeStates");
            expect(probeCount >= 0 && probeCount * l.spec().observationSize() <= probes.length,
                    "checkpoint probe count out of range: probeCount=" + probeCount);
            ReplayBuffer buffer = ReplayBuffer.read(in, l.settings().bufferCapacity(), l.spec().observationSize(),
                    l.spec().actionSize());
            expect(in.read() == -1, "trailing bytes in checkpoint: file=" + file);
            r = new Restored(c, logAlpha, actor, critic, target, aa, ac, al, probes, probeCount, buffer);
            long stored32 = new DataInputStream(raw).readLong();
            expect(stored32 == crc.getValue(), "checkpoint CRC mismatch: file=" + file + ", stored=" + stored32
                    + ", computed=" + crc.getValue());
        } catch (java.io.EOFException e) {
            throw new IOException("checkpoint truncated: file=" + file, e);
        }
        return r;
    }

    private static void expect(boolean ok, String message) throws IOException {
        if (!ok) {
            throw new IOException(message);
        }
    }

    /** Reads at most {@code limit} bytes of {@code in}, leaving the rest (the CRC) unread. */
    private static final class BoundedInput extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInput(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
