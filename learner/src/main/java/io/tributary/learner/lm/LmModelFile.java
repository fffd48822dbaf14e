package io.tributary.learner.lm;

import ai.djl.ndarray.NDManager;
import io.tributary.learner.PolicySpec;
import io.tributary.learner.nn.Checkpoints;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * The pre-trained language-model file that {@code ./tributary pretrain-lm --out <file>} writes and
 * {@code tributary.learner.group.init-from} reads: magic {@code TLM1}, format 1, then
 * {@link GruLanguageModel#write} (the whole sequence spec, then the flat parameters), then the CRC-32 of all that
 * as a long. Weights only (no optimiser state): RL starts a fresh Adam from it.
 */
public final class LmModelFile {
    static final int MAGIC = 0x544c4d31; // "TLM1"
    static final int FORMAT = 1;

    private LmModelFile() {
    }

    /** Writes {@code model}'s spec and weights to {@code file} (parent folders created), atomically by rename. */
    public static void write(Path file, GruLanguageModel model) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4 * (int) Math.min(1 << 26,
                GruLanguageModel.parameterCount(model.spec())) + 1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            model.write(out);
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(file.getFileName() + ".tmp");
        Files.write(tmp, bytes.toByteArray());
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The spec stored in {@code file}, read without a native engine (start-up checks). */
    public static PolicySpec readSpec(Path file) throws IOException {
        return Checkpoints.readSpec(body(file));
    }

    /** A model holding {@code file}'s weights; {@code trainable = false} for a frozen reference. */
    public static GruLanguageModel read(NDManager parent, Path file, boolean trainable) throws IOException {
        DataInputStream in = body(file);
        GruLanguageModel model = GruLanguageModel.read(parent, in, trainable);
        if (in.available() != 0) {
            model.close();
            throw new IOException("trailing bytes in model file: file=" + file + ", bytes=" + in.available());
        }
        return model;
    }

    /** The checked body after magic and format. */
    private static DataInputStream body(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 16) {
            throw new IOException("model file too short: file=" + file + ", bytes=" + all.length);
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new IOException("model file CRC mismatch: file=" + file + ", stored=" + stored + ", computed="
                    + crc.getValue());
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 8));
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("not a language-model file (pretrain-lm writes them): file=" + file);
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("unsupported model file format: file=" + file + ", format=" + format + ", supported="
                    + FORMAT);
        }
        return in;
    }
}
