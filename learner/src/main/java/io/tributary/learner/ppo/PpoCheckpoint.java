package io.tributary.learner.ppo;

import io.tributary.learner.PolicySpec;
import io.tributary.learner.RunningMeanStd;
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
 * The PPO learner's checkpoint file: a big-endian {@code DataOutputStream} body (magic, format, algorithm,
 * the whole {@link PolicySpec}, counters, RNG state, observation statistics, reward-scaling state, actor
 * and critic flat vectors, Adam step and moments) followed by the CRC-32 of the body as a long. Format 2
 * stores the spec (format 1, which stored only an MLP's sizes, is refused with a clear message). Format 3 adds,
 * after the observation statistics, the fields normalised with pooled statistics
 * ({@code pooled-normalization-fields}): the stored per-element statistics only mean the trained policy's inputs
 * together with that list, so a restore under another list is refused instead of feeding the policy differently
 * scaled inputs. Format 2 files read as having none.
 */
final class PpoCheckpoint {
    /** Name of the checkpoint file in a save directory. */
    static final String FILE = "ppo-learner.bin";
    static final int MAGIC = 0x54505031; // "TPP1"
    static final int FORMAT_VERSION = 3;

    private PpoCheckpoint() {
    }

    /** Counters and RNG state. */
    record Counters(long version, long envStepsTrained, long updatesApplied, long updatesSkipped,
                    long snapshotCreatedAtMicros, long rngState) {
    }

    /** Everything read back, checked, and not yet applied. */
    record Restored(Counters counters, RunningMeanStd obsRms, RewardScaler.Pending rewardScaling, float[] actor,
                    float[] critic, Adam.Staged adam) {
    }

    static void write(Path dir, String algorithm, PolicySpec spec, Counters c, RunningMeanStd obsRms,
                      List<String> pooledNormalizationFields, RewardScaler rewards, float[] actor, float[] critic,
                      Adam adam) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(algorithm);
            Checkpoints.writeSpec(out, spec);
            out.writeLong(c.version());
            out.writeLong(c.envStepsTrained());
            out.writeLong(c.updatesApplied());
            out.writeLong(c.updatesSkipped());
            out.writeLong(c.snapshotCreatedAtMicros());
            out.writeLong(c.rngState());
            obsRms.write(out);
            out.writeInt(pooledNormalizationFields.size());
            for (String field : pooledNormalizationFields) {
                out.writeUTF(field);
            }
            rewards.write(out);
            Checkpoints.writeFloats(out, actor);
            Checkpoints.writeFloats(out, critic);
            adam.write(out);
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        }
        Files.write(dir.resolve(FILE), bytes.toByteArray());
    }

    /** Reads and checks the file against the learner's algorithm, spec and sizes; changes nothing. */
    static Restored read(Path dir, String algorithm, PolicySpec spec, List<String> pooledNormalizationFields,
                         int actorParams, int criticParams, Adam adam) throws IOException {
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
        expect(in.readInt() == MAGIC, "not a PPO learner checkpoint: file=" + file);
        int format = in.readInt();
        expect(format != 1, "unsupported checkpoint format: format=1, supported=" + FORMAT_VERSION
                + " (format 1 was written before checkpoints stored the policy architecture; start a new run)");
        expect(format == 2 || format == FORMAT_VERSION, "unsupported checkpoint format: format=" + format
                + ", supported=2, " + FORMAT_VERSION);
        String alg = in.readUTF();
        expect(alg.equals(algorithm), "checkpoint algorithm mismatch: stored=" + alg + ", expected=" + algorithm);
        PolicySpec storedSpec = Checkpoints.readSpec(in);
        expect(storedSpec.equals(spec), "checkpoint architecture mismatch: stored=" + storedSpec + ", expected=" + spec);
        Counters c = new Counters(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
        RunningMeanStd obsRms = new RunningMeanStd(spec.observationSize());
        obsRms.read(in);
        List<String> pooled = new ArrayList<>();
        if (format >= 3) {
            int n = in.readInt();
            expect(n >= 0 && n <= spec.fields().size(), "bad pooled field count in checkpoint: count=" + n);
            for (int i = 0; i < n; i++) {
                pooled.add(in.readUTF());
            }
        }
        expect(pooled.equals(pooledNormalizationFields), "checkpoint normalisation mismatch: file=" + file
                + " was trained with tributary.learner.ppo.pooled-normalization-fields=" + pooled
                + ", the configuration has " + pooledNormalizationFields
                + " (set it to the run's: the stored statistics and weights only fit together under that list)");
        RewardScaler.Pending rewards = RewardScaler.read(in, all.length);
        float[] actor = Checkpoints.readFloats(in, actorParams, "actor");
        float[] critic = Checkpoints.readFloats(in, criticParams, "critic");
        Adam.Staged optimiser = adam.readStaged(in);
        expect(body.available() == 0, "trailing bytes in checkpoint: bytes=" + body.available());
        return new Restored(c, obsRms, rewards, actor, critic, optimiser);
    }

    private static void expect(boolean ok, String message) throws IOException {
        if (!ok) {
            throw new IOException(message);
        }
    }
}
