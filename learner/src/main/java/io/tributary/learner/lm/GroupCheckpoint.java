package io.tributary.learner.lm;

import io.tributary.learner.PolicySpec;
import io.tributary.learner.nn.Adam;
import io.tributary.learner.nn.Checkpoints;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The {@link GroupLearner}'s checkpoint file: a big-endian body (magic, format, algorithm, the sequence spec,
 * counters, the shuffling RNG state, the checksum of the pre-trained weights it started from, the policy's flat
 * weights, Adam's step and moments, and the groups accepted since the last update) followed by the CRC-32 of the
 * body as a long. The KL reference is not stored: it is the {@code init-from} file, and the checksum makes a
 * resume from another pre-trained model fail instead of silently changing the reference.
 */
final class GroupCheckpoint {
    /** Name of the checkpoint file in a save directory. */
    static final String FILE = "group-learner.bin";
    static final int MAGIC = 0x5447524c; // "TGRL"
    static final int FORMAT_VERSION = 1;
    private static final int MAX_GROUP = 1 << 16;
    private static final int MAX_TOKENS = 1 << 24;

    private GroupCheckpoint() {
    }

    /** Counters and RNG state. */
    record Counters(long version, long updatesRun, long updatesApplied, long updatesSkipped, long groupsTrained,
                    long groupsFiltered, long responsesTrained, long tokensTrained, long snapshotCreatedAtMicros,
                    long rngState, long initChecksum) {
    }

    /** One accepted group not yet trained: the update's input and the raw rewards (for the statistics). */
    record Pending(ResponseGroup group, double[] rawRewards) {
    }

    /** Everything read back, checked, and not yet applied. */
    record Restored(Counters counters, float[] policy, Adam.Staged adam, List<Pending> pending) {
    }

    static void write(Path dir, String algorithm, PolicySpec spec, Counters c, float[] policy, Adam adam,
                      List<Pending> pending) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(policy.length * 12 + 64 * 1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(algorithm);
            Checkpoints.writeSpec(out, spec);
            out.writeLong(c.version());
            out.writeLong(c.updatesRun());
            out.writeLong(c.updatesApplied());
            out.writeLong(c.updatesSkipped());
            out.writeLong(c.groupsTrained());
            out.writeLong(c.groupsFiltered());
            out.writeLong(c.responsesTrained());
            out.writeLong(c.tokensTrained());
            out.writeLong(c.snapshotCreatedAtMicros());
            out.writeLong(c.rngState());
            out.writeLong(c.initChecksum());
            Checkpoints.writeFloats(out, policy);
            adam.write(out);
            out.writeInt(pending.size());
            for (Pending p : pending) {
                ResponseGroup g = p.group();
                Checkpoints.writeInts(out, g.prompt());
                out.writeInt(g.size());
                for (int i = 0; i < g.size(); i++) {
                    Checkpoints.writeInts(out, g.responses().get(i));
                    Checkpoints.writeFloats(out, g.oldLogProbs().get(i));
                    out.writeDouble(g.advantages()[i]);
                    out.writeDouble(p.rawRewards()[i]);
                }
                out.writeBoolean(g.filtered());
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        }
        Files.write(dir.resolve(FILE), bytes.toByteArray());
    }

    /** Reads and checks the file against the learner's algorithm and spec; changes nothing. */
    static Restored read(Path dir, String algorithm, PolicySpec spec, Adam adam) throws IOException {
        Path file = dir.resolve(FILE);
        byte[] all = Files.readAllBytes(file);
        expect(all.length > 8, "checkpoint too short: file=" + file + ", bytes=" + all.length);
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        expect(stored == crc.getValue(), "checkpoint CRC mismatch: file=" + file + ", stored=" + stored + ", computed="
                + crc.getValue());
        ByteArrayInputStream body = new ByteArrayInputStream(all, 0, all.length - 8);
        DataInputStream in = new DataInputStream(body);
        expect(in.readInt() == MAGIC, "not a group learner checkpoint: file=" + file);
        int format = in.readInt();
        expect(format == FORMAT_VERSION, "unsupported checkpoint format: format=" + format + ", supported=" + FORMAT_VERSION);
        String alg = in.readUTF();
        expect(alg.equals(algorithm), "checkpoint algorithm mismatch: stored=" + alg + ", expected=" + algorithm);
        PolicySpec storedSpec = Checkpoints.readSpec(in);
        expect(storedSpec.equals(spec), "checkpoint architecture mismatch: stored=" + storedSpec + ", expected=" + spec);
        Counters c = new Counters(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
        float[] policy = Checkpoints.readFloats(in, Math.toIntExact(GruLanguageModel.parameterCount(spec)), "policy");
        Adam.Staged staged = adam.readStaged(in);
        int count = in.readInt();
        expect(count >= 0 && count <= MAX_GROUP, "checkpoint pending group count out of range: count=" + count);
        List<Pending> pending = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int[] prompt = Checkpoints.readInts(in, MAX_TOKENS, "pending.prompt");
            int g = in.readInt();
            expect(g >= 1 && g <= MAX_GROUP, "checkpoint group size out of range: G=" + g);
            List<int[]> responses = new ArrayList<>(g);
            List<float[]> logps = new ArrayList<>(g);
            double[] advantages = new double[g];
            double[] raw = new double[g];
            for (int i = 0; i < g; i++) {
                int[] r = Checkpoints.readInts(in, MAX_TOKENS, "pending.response");
                responses.add(r);
                logps.add(Checkpoints.readFloats(in, r.length, "pending.logProbs"));
                advantages[i] = in.readDouble();
                raw[i] = in.readDouble();
            }
            boolean filtered = in.readBoolean();
            try {
                pending.add(new Pending(new ResponseGroup(prompt, responses, logps, advantages, filtered), raw));
            } catch (IllegalArgumentException e) {
                throw new IOException("bad pending group in checkpoint: " + e.getMessage(), e);
            }
        }
        expect(body.available() == 0, "trailing bytes in checkpoint: bytes=" + body.available());
        return new Restored(c, policy, staged, pending);
    }

    /** CRC-32 of a weight vector (the pre-trained model's identity in a checkpoint). */
    static long checksum(float[] weights) {
        ByteBuffer b = ByteBuffer.allocate(weights.length * 4);
        b.asFloatBuffer().put(weights);
        CRC32 crc = new CRC32();
        crc.update(b.array());
        return crc.getValue();
    }

    private static void expect(boolean ok, String message) throws IOException {
        if (!ok) {
            throw new IOException(message);
        }
    }
}
