package io.tributary.simulator.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the public offline-RL benchmark files (HDF5, via the pure-Java jhdf) into an {@link OfflineDataset},
 * so users can train on them.
 *
 * <p>Two layouts are understood:
 * <ul>
 *   <li><b>D4RL</b>: root datasets {@code observations [N, d]}, {@code actions [N, a]}, {@code rewards [N]},
 *       {@code terminals [N]}, optional {@code timeouts [N]} (absent: all false) and optional
 *       {@code next_observations [N, d]}. When {@code next_observations} is absent it is derived the way
 *       D4RL's own {@code qlearning_dataset} does it: the next observation of row i is row i + 1, and rows
 *       whose successor is not in the file (timeouts, and the last row) are dropped, so the result may be
 *       shorter than N and has no timeouts. A terminal row keeps row i + 1 as its next observation, which is
 *       never bootstrapped from.</li>
 *   <li><b>Minari</b>: groups {@code episode_<k>} each holding {@code observations [T+1, d]},
 *       {@code actions [T, a]}, {@code rewards [T]}, {@code terminations [T]}, {@code truncations [T]}; the
 *       next observations are rows 1..T. Episodes are read in increasing k. Dictionary observations (groups)
 *       are not supported and are refused.</li>
 * </ul>
 * Numbers of any HDF5 integer or float type are converted to float; flags may be HDF5 booleans (h5py's
 * enum), integers or floats (non-zero is true). Every failure names the file and the dataset.
 */
public final class Hdf5Datasets {
    private Hdf5Datasets() {
    }

    /** Reads {@code file}, labelling the data with {@code environment} (HDF5 files do not name ours). */
    public static OfflineDataset read(Path file, String environment) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such HDF5 file: file=" + file);
        }
        try (HdfFile h5 = new HdfFile(file)) {
            Map<String, Node> children = h5.getChildren();
            if (children.containsKey("observations")) {
                return readD4rl(h5, file, environment);
            }
            TreeMap<Integer, Group> episodes = new TreeMap<>();
            for (Map.Entry<String, Node> e : children.entrySet()) {
                if (e.getKey().startsWith("episode_") && e.getValue() instanceof Group g) {
                    try {
                        episodes.put(Integer.parseInt(e.getKey().substring("episode_".length())), g);
                    } catch (NumberFormatException ex) {
                        throw new IOException("Minari episode group with a non-numeric index: file=" + file
                                + ", group=" + e.getKey(), ex);
                    }
                }
            }
            if (episodes.isEmpty()) {
                throw new IOException("neither a D4RL file (no root dataset 'observations') nor a Minari file (no"
                        + " 'episode_<k>' groups): file=" + file + ", root=" + children.keySet());
            }
            return readMinari(episodes, file, environment);
        } catch (RuntimeException e) {
            // jhdf reports malformed files with unchecked exceptions; surface them as I/O errors naming the file.
            throw new IOException("cannot read HDF5 file: file=" + file + ": " + e, e);
        }
    }

    private static OfflineDataset readD4rl(Group root, Path file, String environment) throws IOException {
        Matrix obs = matrix(root, "observations", file);
        Matrix act = matrix(root, "actions", file);
        float[] rewards = vector(root, "rewards", file);
        boolean[] terminals = flags(root, "terminals", file);
        boolean[] timeouts = root.getChildren().containsKey("timeouts") ? flags(root, "timeouts", file)
                : new boolean[obs.rows];
        int n = obs.rows;
        checkRows(file, "actions", act.rows, n);
        checkRows(file, "rewards", rewards.length, n);
        checkRows(file, "terminals", terminals.length, n);
        checkRows(file, "timeouts", timeouts.length, n);
        if (root.getChildren().containsKey("next_observations")) {
            Matrix next = matrix(root, "next_observations", file);
            checkRows(file, "next_observations", next.rows, n);
            if (next.cols != obs.cols) {
                throw new IOException("next_observations width differs from observations: file=" + file
                        + ", next_observations=" + next.cols + ", observations=" + obs.cols);
            }
            return new OfflineDataset(environment, obs.cols, act.cols, obs.values, act.values, rewards, next.values,
                    terminals, timeouts);
        }
        OfflineDatasetBuilder b = new OfflineDatasetBuilder(environment, obs.cols, act.cols);
        float[] o = new float[obs.cols];
        float[] o2 = new float[obs.cols];
        float[] a = new float[act.cols];
        for (int i = 0; i + 1 < n; i++) {
            if (timeouts[i]) {
                continue;
            }
            System.arraycopy(obs.values, i * obs.cols, o, 0, obs.cols);
            System.arraycopy(obs.values, (i + 1) * obs.cols, o2, 0, obs.cols);
            System.arraycopy(act.values, i * act.cols, a, 0, act.cols);
            b.add(o, a, rewards[i], o2, terminals[i], false);
        }
        return b.build();
    }

    private static OfflineDataset readMinari(TreeMap<Integer, Group> episodes, Path file, String environment)
            throws IOException {
        OfflineDatasetBuilder b = null;
        for (Group ep : episodes.values()) {
            String where = ep.getName();
            Node obsNode = ep.getChild("observations");
            if (obsNode instanceof Group) {
                throw new IOException("dictionary observations are not supported: file=" + file + ", dataset="
                        + where + "/observations");
            }
            Matrix obs = matrix(ep, "observations", file);
            Matrix act = matrix(ep, "actions", file);
            float[] rewards = vector(ep, "rewards", file);
            boolean[] term = flags(ep, "terminations", file);
            boolean[] trunc = flags(ep, "truncations", file);
            int t = act.rows;
            checkRows(file, where + "/observations", obs.rows, t + 1);
            checkRows(file, where + "/rewards", rewards.length, t);
            checkRows(file, where + "/terminations", term.length, t);
            checkRows(file, where + "/truncations", trunc.length, t);
            if (b == null) {
                b = new OfflineDatasetBuilder(environment, obs.cols, act.cols);
            }
            float[] o = new float[obs.cols];
            float[] o2 = new float[obs.cols];
            float[] a = new float[act.cols];
            for (int i = 0; i < t; i++) {
                System.arraycopy(obs.values, i * obs.cols, o, 0, obs.cols);
                System.arraycopy(obs.values, (i + 1) * obs.cols, o2, 0, obs.cols);
                System.arraycopy(act.values, i * act.cols, a, 0, act.cols);
                b.add(o, a, rewards[i], o2, term[i], trunc[i]);
            }
        }
        return b.build();
    }

    private record Matrix(int rows, int cols, float[] values) {
    }

    private static Dataset dataset(Group g, String name, Path file) throws IOException {
        Node node = g.getChild(name);
        String path = g.getPath() + name;
        if (node == null) {
            throw new IOException("HDF5 file lacks a dataset: file=" + file + ", dataset=" + path + ", present="
                    + g.getChildren().keySet());
        }
        if (!(node instanceof Dataset d)) {
            throw new IOException("HDF5 node is not a dataset: file=" + file + ", dataset=" + path);
        }
        return d;
    }

    private static Matrix matrix(Group g, String name, Path file) throws IOException {
        Dataset d = dataset(g, name, file);
        int[] dims = d.getDimensions();
        if (dims.length == 1) {
            return new Matrix(dims[0], 1, toFloats(d, file));
        }
        if (dims.length != 2) {
            throw new IOException("HDF5 dataset must be [rows, width]: file=" + file + ", dataset=" + d.getPath()
                    + ", shape=" + java.util.Arrays.toString(dims));
        }
        return new Matrix(dims[0], dims[1], toFloats(d, file));
    }

    private static float[] vector(Group g, String name, Path file) throws IOException {
        Dataset d = dataset(g, name, file);
        int[] dims = d.getDimensions();
        if (!(dims.length == 1 || (dims.length == 2 && dims[1] == 1))) {
            throw new IOException("HDF5 dataset must be one value per row: file=" + file + ", dataset=" + d.getPath()
                    + ", shape=" + java.util.Arrays.toString(dims));
        }
        return toFloats(d, file);
    }

    private static boolean[] flags(Group g, String name, Path file) throws IOException {
        Dataset d = dataset(g, name, file);
        Object flat = d.getDataFlat();
        int n = Array.getLength(flat);
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            Object v = Array.get(flat, i);
            if (v instanceof Boolean b) {
                out[i] = b;
            } else if (v instanceof Number num) {
                out[i] = num.doubleValue() != 0.0;
            } else if (v instanceof String s && (s.equalsIgnoreCase("TRUE") || s.equalsIgnoreCase("FALSE"))) {
                out[i] = s.equalsIgnoreCase("TRUE"); // h5py stores bool as an enum {FALSE, TRUE}
            } else {
                throw new IOException("HDF5 flag dataset holds values that are not booleans or numbers: file=" + file
                        + ", dataset=" + d.getPath() + ", type=" + d.getJavaType() + ", value=" + v);
            }
        }
        return out;
    }

    private static float[] toFloats(Dataset d, Path file) throws IOException {
        Object flat = d.getDataFlat();
        if (flat instanceof float[] f) {
            return f;
        }
        if (flat instanceof double[] a) {
            float[] out = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = (float) a[i];
            }
            return out;
        }
        if (flat != null && flat.getClass().isArray()) {
            int n = Array.getLength(flat);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                Object v = Array.get(flat, i);
                if (!(v instanceof Number num)) {
                    throw new IOException("HDF5 dataset is not numeric: file=" + file + ", dataset=" + d.getPath()
                            + ", type=" + d.getJavaType());
                }
                out[i] = num.floatValue();
            }
            return out;
        }
        throw new IOException("HDF5 dataset is not numeric: file=" + file + ", dataset=" + d.getPath() + ", type="
                + d.getJavaType());
    }

    private static void checkRows(Path file, String dataset, int rows, int expected) throws IOException {
        if (rows != expected) {
            throw new IOException("HDF5 dataset has the wrong number of rows: file=" + file + ", dataset=" + dataset
                    + ", rows=" + rows + ", expected=" + expected);
        }
    }
}
