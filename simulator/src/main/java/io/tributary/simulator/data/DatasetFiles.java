package io.tributary.simulator.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tributary's offline dataset file: columnar, little-endian, with a header naming every field, its type
 * and shape, so a reader can check a file before trusting it and other tools can read it without our code.
 *
 * <pre>
 * magic     8 bytes  "TRIBDSET"
 * version   int32    1
 * env       int32 length + UTF-8 bytes   environment name
 * fields    int32    number of fields
 * per field: name (int32 length + UTF-8), dtype (uint8: 1 = float32, 2 = bool as uint8 0/1),
 *            rank (int32), dims (rank × int64)
 * data      each field's values, row-major, in header order, with no padding
 * </pre>
 *
 * Fields: {@code observations [n, obs]}, {@code actions [n, act]}, {@code rewards [n]},
 * {@code next_observations [n, obs]}, {@code terminals [n]}, {@code timeouts [n]} (the D4RL names). A reader
 * skips fields it does not know, so later versions may add columns. Every failure names the file and field.
 */
public final class DatasetFiles {
    /** First 8 bytes of every dataset file. */
    public static final String MAGIC = "TRIBDSET";
    /** Format version this class writes and reads. */
    public static final int VERSION = 1;
    /** File-name extension used by the CLI. */
    public static final String EXTENSION = ".tds";

    static final byte FLOAT32 = 1;
    static final byte BOOL8 = 2;
    private static final int MAX_NAME_BYTES = 1 << 16;
    private static final int CHUNK = 1 << 16;

    private DatasetFiles() {
    }

    private record Field(String name, byte dtype, long[] dims) {
        long count() {
            long c = 1;
            for (long d : dims) {
                c = Math.multiplyExact(c, d);
            }
            return c;
        }

        long bytes() {
            return Math.multiplyExact(count(), dtype == FLOAT32 ? 4L : 1L);
        }
    }

    /** Writes {@code data} to {@code file} (through a temporary file, so a reader never sees half a file). */
    public static void write(OfflineDataset data, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // A sibling with the default permissions (createTempFile would make it owner-only).
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime());
        try {
            long n = data.size();
            List<Field> fields = List.of(
                    new Field("observations", FLOAT32, new long[] {n, data.observationSize()}),
                    new Field("actions", FLOAT32, new long[] {n, data.actionSize()}),
                    new Field("rewards", FLOAT32, new long[] {n}),
                    new Field("next_observations", FLOAT32, new long[] {n, data.observationSize()}),
                    new Field("terminals", BOOL8, new long[] {n}),
                    new Field("timeouts", BOOL8, new long[] {n}));
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), CHUNK)) {
                ByteBuffer head = ByteBuffer.allocate(1024 + 4 * data.environment().length()).order(ByteOrder.LITTLE_ENDIAN);
                head.put(MAGIC.getBytes(StandardCharsets.US_ASCII));
                head.putInt(VERSION);
                putString(head, data.environment());
                head.putInt(fields.size());
                for (Field f : fields) {
                    putString(head, f.name());
                    head.put(f.dtype());
                    head.putInt(f.dims().length);
                    for (long d : f.dims()) {
                        head.putLong(d);
                    }
                }
                out.write(head.array(), 0, head.position());
                writeFloats(out, data.observations());
                writeFloats(out, data.actions());
                writeFloats(out, data.rewards());
                writeFloats(out, data.nextObservations());
                writeBools(out, data.terminals());
                writeBools(out, data.timeouts());
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a dataset file.
     *
     * @throws IOException naming the file (and the field, where one is at fault) if the file is not a dataset
     *                     file, has another version, lacks a field, has inconsistent shapes or is truncated
     */
    public static OfflineDataset read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            byte[] magic = in.readNBytes(8);
            if (!Arrays.equals(magic, MAGIC.getBytes(StandardCharsets.US_ASCII))) {
                throw new IOException("not a Tributary dataset file: file=" + file + ", magic="
                        + new String(magic, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "?")
                        + ", expected=" + MAGIC);
            }
            int version = readInt(in, file, "header");
            if (version != VERSION) {
                throw new IOException("unsupported dataset file version: file=" + file + ", version=" + version
                        + ", supported=" + VERSION);
            }
            String env = readString(in, file, "environment");
            int count = readInt(in, file, "header");
            if (count < 0 || count > 1024) {
                throw new IOException("bad field count in dataset header: file=" + file + ", fields=" + count);
            }
            Map<String, Field> fields = new LinkedHashMap<>();
            for (int k = 0; k < count; k++) {
                String name = readString(in, file, "field name");
                byte[] dtype = readExactly(in, 1, file, name, "header");
                int rank = readInt(in, file, name);
                if (rank < 1 || rank > 8) {
                    throw new IOException("bad rank in dataset header: file=" + file + ", field=" + name + ", rank=" + rank);
                }
                long[] dims = new long[rank];
                for (int r = 0; r < rank; r++) {
                    dims[r] = readLong(in, file, name);
                    if (dims[r] < 0) {
                        throw new IOException("negative dimension in dataset header: file=" + file + ", field=" + name
                                + ", dims=" + Arrays.toString(dims));
                    }
                }
                if (dtype[0] != FLOAT32 && dtype[0] != BOOL8) {
                    throw new IOException("unknown dtype in dataset header: file=" + file + ", field=" + name
                            + ", dtype=" + dtype[0]);
                }
                if (fields.put(name, new Field(name, dtype[0], dims)) != null) {
                    throw new IOException("duplicate field in dataset header: file=" + file + ", field=" + name);
                }
            }
            Field obs = require(fields, "observations", FLOAT32, 2, file);
            long n = obs.dims()[0];
            int obsSize = toInt(obs.dims()[1], file, "observations");
            Field act = require(fields, "actions", FLOAT32, 2, file);
            int actSize = toInt(act.dims()[1], file, "actions");
            expectShape(act, new long[] {n, actSize}, file);
            expectShape(require(fields, "rewards", FLOAT32, 1, file), new long[] {n}, file);
            expectShape(require(fields, "next_observations", FLOAT32, 2, file), new long[] {n, obsSize}, file);
            expectShape(require(fields, "terminals", BOOL8, 1, file), new long[] {n}, file);
            expectShape(require(fields, "timeouts", BOOL8, 1, file), new long[] {n}, file);
            Map<String, Object> values = new LinkedHashMap<>();
            for (Field f : fields.values()) {
                toInt(f.count(), file, f.name());
                if (!List.of("observations", "actions", "rewards", "next_observations", "terminals", "timeouts")
                        .contains(f.name())) {
                    skip(in, f.bytes(), file, f.name());
                } else if (f.dtype() == FLOAT32) {
                    values.put(f.name(), readFloats(in, (int) f.count(), file, f.name()));
                } else {
                    values.put(f.name(), readBools(in, (int) f.count(), file, f.name()));
                }
            }
            if (in.read() != -1) {
                throw new IOException("dataset file has bytes after its last field: file=" + file);
            }
            try {
                return new OfflineDataset(env, obsSize, actSize, (float[]) values.get("observations"),
                        (float[]) values.get("actions"), (float[]) values.get("rewards"),
                        (float[]) values.get("next_observations"), (boolean[]) values.get("terminals"),
                        (boolean[]) values.get("timeouts"));
            } catch (IllegalArgumentException e) {
                throw new IOException("inconsistent dataset file: file=" + file + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Writes {@code data} as CSV with a header row: {@code obs_0.., act_0.., reward, next_obs_0.., terminal,
     * timeout}; floats in Java's shortest round-trip form, flags as 0/1.
     */
    public static void exportCsv(OfflineDataset data, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        int o = data.observationSize();
        int a = data.actionSize();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            List<String> header = new ArrayList<>();
            for (int k = 0; k < o; k++) {
                header.add("obs_" + k);
            }
            for (int k = 0; k < a; k++) {
                header.add("act_" + k);
            }
            header.add("reward");
            for (int k = 0; k < o; k++) {
                header.add("next_obs_" + k);
            }
            header.add("terminal");
            header.add("timeout");
            w.write(String.join(",", header));
            w.write('\n');
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < data.size(); i++) {
                sb.setLength(0);
                for (int k = 0; k < o; k++) {
                    sb.append(data.observations()[i * o + k]).append(',');
                }
                for (int k = 0; k < a; k++) {
                    sb.append(data.actions()[i * a + k]).append(',');
                }
                sb.append(data.rewards()[i]).append(',');
                for (int k = 0; k < o; k++) {
                    sb.append(data.nextObservations()[i * o + k]).append(',');
                }
                sb.append(data.terminals()[i] ? '1' : '0').append(',').append(data.timeouts()[i] ? '1' : '0');
                sb.append('\n');
                w.append(sb);
            }
        }
    }

    private static Field require(Map<String, Field> fields, String name, byte dtype, int rank, Path file)
            throws IOException {
        Field f = fields.get(name);
        if (f == null) {
            throw new IOException("dataset file lacks a field: file=" + file + ", field=" + name + ", present="
                    + fields.keySet());
        }
        if (f.dtype() != dtype || f.dims().length != rank) {
            throw new IOException("dataset field has the wrong type or rank: file=" + file + ", field=" + name
                    + ", dtype=" + f.dtype() + ", rank=" + f.dims().length + ", expected dtype=" + dtype
                    + ", rank=" + rank);
        }
        return f;
    }

    private static void expectShape(Field f, long[] dims, Path file) throws IOException {
        if (!Arrays.equals(f.dims(), dims)) {
            throw new IOException("dataset field has the wrong shape: file=" + file + ", field=" + f.name()
                    + ", shape=" + Arrays.toString(f.dims()) + ", expected=" + Arrays.toString(dims));
        }
    }

    private static int toInt(long v, Path file, String field) throws IOException {
        if (v > Integer.MAX_VALUE - 8) {
            throw new IOException("dataset field too large for one array: file=" + file + ", field=" + field
                    + ", values=" + v);
        }
        return (int) v;
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putInt(bytes.length);
        b.put(bytes);
    }

    private static byte[] readExactly(InputStream in, int n, Path file, String field, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IOException("dataset file truncated: file=" + file + ", field=" + field + ", part=" + what
                    + ", expected=" + n + " bytes, found=" + b.length);
        }
        return b;
    }

    private static int readInt(InputStream in, Path file, String field) throws IOException {
        return ByteBuffer.wrap(readExactly(in, 4, file, field, "header")).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static long readLong(InputStream in, Path file, String field) throws IOException {
        return ByteBuffer.wrap(readExactly(in, 8, file, field, "header")).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static String readString(InputStream in, Path file, String field) throws IOException {
        int n = readInt(in, file, field);
        if (n < 0 || n > MAX_NAME_BYTES) {
            throw new IOException("bad string length in dataset header: file=" + file + ", field=" + field
                    + ", length=" + n);
        }
        return new String(readExactly(in, n, file, field, "header"), StandardCharsets.UTF_8);
    }

    private static void writeFloats(OutputStream out, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; ) {
            b.clear();
            int m = Math.min(values.length - i, CHUNK / 4);
            b.asFloatBuffer().put(values, i, m);
            out.write(b.array(), 0, m * 4);
            i += m;
        }
    }

    private static void writeBools(OutputStream out, boolean[] values) throws IOException {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) (values[i] ? 1 : 0);
        }
        out.write(b);
    }

    private static float[] readFloats(InputStream in, int count, Path file, String field) throws IOException {
        float[] out = new float[count];
        byte[] chunk = new byte[CHUNK];
        for (int i = 0; i < count; ) {
            int m = Math.min(count - i, CHUNK / 4);
            int got = in.readNBytes(chunk, 0, m * 4);
            if (got != m * 4) {
                throw new IOException("dataset file truncated: file=" + file + ", field=" + field + ", expected="
                        + (4L * count) + " bytes, found=" + (4L * i + got));
            }
            ByteBuffer.wrap(chunk, 0, m * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, i, m);
            i += m;
        }
        return out;
    }

    private static boolean[] readBools(InputStream in, int count, Path file, String field) throws IOException {
        byte[] b = in.readNBytes(count);
        if (b.length != count) {
            throw new IOException("dataset file truncated: file=" + file + ", field=" + field + ", expected="
                    + count + " bytes, found=" + b.length);
        }
        boolean[] out = new boolean[count];
        for (int i = 0; i < count; i++) {
            if (b[i] != 0 && b[i] != 1) {
                throw new IOException("bool field holds a value other than 0 or 1: file=" + file + ", field=" + field
                        + ", index=" + i + ", value=" + b[i]);
            }
            out[i] = b[i] == 1;
        }
        return out;
    }

    private static void skip(InputStream in, long bytes, Path file, String field) throws IOException {
        long left = bytes;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() == -1) {
                    throw new IOException("dataset file truncated: file=" + file + ", field=" + field + ", expected="
                            + bytes + " bytes, found=" + (bytes - left));
                }
                s = 1;
            }
            left -= s;
        }
    }
}
