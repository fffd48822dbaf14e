package io.tributary.simulator.envs;

import io.tributary.config.ProviderRegistry;
import io.tributary.simulator.Environment;
import io.tributary.simulator.Environments;
import io.tributary.simulator.Space;
import io.tributary.simulator.StateResettable;
import io.tributary.simulator.StepResult;
import io.tributary.simulator.data.OfflineDataset;
import io.tributary.simulator.data.OfflineDatasets;
import io.tributary.simulator.model.EnvironmentDynamics;
import io.tributary.simulator.model.TransitionModel;
import io.tributary.simulator.model.TransitionModelLoader;
import io.tributary.simulator.random.SplitMix64;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Model-based rollouts as an environment ({@code ModelRollouts-v0}), so the ordinary rollout workers run
 * them unchanged: each episode starts at an observation drawn (seeded) from an offline dataset, steps a
 * {@link TransitionModel} (the true simulator, or a frozen learned model loaded from its file) and is
 * truncated after k steps. The worker's per-step depth (1..k) then marks the states reached only at the
 * last step, the edge-of-reach states.
 *
 * <p>Options ({@code tributary.simulator.env.options}):
 * <ul>
 *   <li>{@code dataset} (required): a Tributary dataset file ({@code .tds}) or a D4RL/Minari HDF5 file
 *       ({@code .hdf5}/{@code .h5}, which then needs {@code dynamics-env} to name the environment);</li>
 *   <li>{@code dynamics} (required): {@code true} for the true dynamics of {@code dynamics-env} (which must
 *       be {@link StateResettable}), or the path of a model file;</li>
 *   <li>{@code dynamics-env}: the environment whose observation and action spaces this one has (and whose
 *       true dynamics {@code dynamics = true} uses); default: the dataset's environment;</li>
 *   <li>{@code dynamics-format}: the {@link TransitionModelLoader} format of a model file; default
 *       {@code dynamics-ensemble};</li>
 *   <li>{@code rollout-length}: k, the steps after which a rollout is truncated; default 10.</li>
 * </ul>
 * A rollout that reaches a terminal state (as the model says) ends there, terminated.
 */
public final class ModelRolloutsEnv implements Environment, StateResettable {
    /** Registered name. */
    public static final String NAME = "ModelRollouts-v0";
    /** Option: dataset file of start states. */
    public static final String DATASET = "dataset";
    /** Option: {@code true} or a model file. */
    public static final String DYNAMICS = "dynamics";
    /** Option: environment whose spaces (and true dynamics) are used. */
    public static final String DYNAMICS_ENV = "dynamics-env";
    /** Option: model file format. */
    public static final String DYNAMICS_FORMAT = "dynamics-format";
    /** Option: rollout length k. */
    public static final String ROLLOUT_LENGTH = "rollout-length";
    /** Default model file format (the learned dynamics ensemble). */
    public static final String DEFAULT_FORMAT = "dynamics-ensemble";
    /** Default rollout length. */
    public static final int DEFAULT_ROLLOUT_LENGTH = 10;

    private static final Set<String> OPTION_KEYS = Set.of(DATASET, DYNAMICS, DYNAMICS_ENV, DYNAMICS_FORMAT,
            ROLLOUT_LENGTH);
    private static final ProviderRegistry<TransitionModelLoader> LOADERS = new ProviderRegistry<>(
            TransitionModelLoader.class, TransitionModelLoader::format, "transition model loader",
            ModelRolloutsEnv.class.getClassLoader()).withNameKey("format");
    /** One in-memory copy per dataset file (keyed by path, size and mtime): every rollout slot shares it. */
    private static final Map<String, OfflineDataset> DATASETS = new ConcurrentHashMap<>();

    private final OfflineDataset dataset;
    private final TransitionModel model;
    private final Space observationSpace;
    private final Space actionSpace;
    private final int rolloutLength;
    private final int observationSize;
    private final int actionSize;
    private final SplitMix64 random = new SplitMix64(0L);
    private float[] state;
    private float[] next;
    private int steps;
    private boolean started;
    private boolean done;

    /**
     * Rollouts of {@code model} from the observations of {@code dataset}, in the spaces of the named
     * environment, truncated after {@code rolloutLength} steps. This instance owns {@code model}.
     */
    public ModelRolloutsEnv(OfflineDataset dataset, TransitionModel model, Space observationSpace, Space actionSpace,
                            int rolloutLength) {
        if (rolloutLength < 1) {
            throw new IllegalArgumentException("rollout length must be >= 1: rolloutLength=" + rolloutLength);
        }
        if (dataset.size() == 0) {
            throw new IllegalArgumentException("dataset has no transitions to start rollouts from: env="
                    + dataset.environment());
        }
        this.observationSize = observationSpace.flatSize();
        this.actionSize = actionSpace.flatSize();
        if (dataset.observationSize() != observationSize || model.observationSize() != observationSize
                || model.actionSize() != actionSize || dataset.actionSize() != actionSize) {
            throw new IllegalArgumentException("dataset, model and environment disagree on sizes: dataset observation="
                    + dataset.observationSize() + ", action=" + dataset.actionSize() + "; model observation="
                    + model.observationSize() + ", action=" + model.actionSize() + "; environment observation="
                    + observationSize + ", action=" + actionSize);
        }
        this.dataset = dataset;
        this.model = model;
        this.observationSpace = observationSpace;
        this.actionSpace = actionSpace;
        this.rolloutLength = rolloutLength;
        this.state = new float[observationSize];
        this.next = new float[observationSize];
    }

    /** Builds from provider options (see the class comment). */
    public static ModelRolloutsEnv fromOptions(Map<String, String> options) {
        EnvOptions.requireKnownKeys(NAME, options, OPTION_KEYS);
        String datasetOption = required(options, DATASET);
        String dynamics = required(options, DYNAMICS);
        int k = EnvOptions.positiveInt(NAME, options, ROLLOUT_LENGTH, DEFAULT_ROLLOUT_LENGTH);
        String envName = options.get(DYNAMICS_ENV);
        OfflineDataset data = loadDataset(Path.of(datasetOption), envName);
        if (envName == null) {
            envName = data.environment();
        }
        Space obs;
        Space act;
        try (Environment inner = Environments.create(envName, Map.of())) {
            obs = inner.observationSpace();
            act = inner.actionSpace();
        }
        TransitionModel model;
        if (dynamics.trim().equalsIgnoreCase("true")) {
            model = EnvironmentDynamics.of(envName);
        } else {
            String format = options.getOrDefault(DYNAMICS_FORMAT, DEFAULT_FORMAT);
            TransitionModelLoader loader = LOADERS.get(format);
            Path file = Path.of(dynamics);
            try {
                model = loader.load(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load dynamics model: env=" + NAME + ", file=" + file
                        + ", format=" + format, e);
            }
        }
        return new ModelRolloutsEnv(data, model, obs, act, k);
    }

    private static String required(Map<String, String> options, String key) {
        String v = options.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("environment option is required: env=" + NAME + ", key=" + key);
        }
        return v.trim();
    }

    private static OfflineDataset loadDataset(Path file, String envName) {
        try {
            String key = file.toAbsolutePath().normalize() + "|" + Files.size(file) + "|"
                    + Files.getLastModifiedTime(file).toMillis() + "|" + envName;
            OfflineDataset cached = DATASETS.get(key);
            if (cached != null) {
                return cached;
            }
            if (OfflineDatasets.isHdf5(file) && envName == null) {
                throw new IllegalArgumentException("an HDF5 dataset does not name its environment: env=" + NAME
                        + ", dataset=" + file + " (set " + DYNAMICS_ENV + ")");
            }
            OfflineDataset d = OfflineDatasets.read(file, envName);
            DATASETS.put(key, d);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the start-state dataset: env=" + NAME + ", dataset=" + file, e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Space observationSpace() {
        return observationSpace;
    }

    @Override
    public Space actionSpace() {
        return actionSpace;
    }

    @Override
    public int maxEpisodeSteps() {
        return rolloutLength;
    }

    /** The dataset start states are drawn from. */
    public OfflineDataset dataset() {
        return dataset;
    }

    /** Starts a rollout at the observation of a dataset transition drawn uniformly with {@code seed}. */
    @Override
    public void reset(long seed, StepResult out) {
        checkResult(out);
        random.reseed(seed);
        int i = random.nextInt(dataset.size());
        System.arraycopy(dataset.observations(), i * observationSize, state, 0, observationSize);
        start(out);
    }

    /** Starts a rollout at {@code observation}. */
    @Override
    public void resetTo(float[] observation, long seed, StepResult out) {
        checkResult(out);
        StateChecks.requireObservationLength(NAME, observation, observationSize);
        random.reseed(seed);
        System.arraycopy(observation, 0, state, 0, observationSize);
        start(out);
    }

    private void start(StepResult out) {
        steps = 0;
        started = true;
        done = false;
        out.clear();
        System.arraycopy(state, 0, out.observation, 0, observationSize);
    }

    @Override
    public void step(float[] action, StepResult out) {
        if (!started) {
            throw new IllegalStateException("step before reset: env=" + NAME + " (call reset first)");
        }
        if (done) {
            throw new IllegalStateException("rollout is over: env=" + NAME + ", steps=" + steps
                    + " (call reset before stepping again)");
        }
        checkResult(out);
        ActionChecks.requireLength(action, actionSize);
        ActionChecks.requireNoNaN(action);
        double reward = model.step(state, action, random, next);
        boolean terminal = model.terminal(next);
        float[] t = state;
        state = next;
        next = t;
        steps++;
        out.clear();
        System.arraycopy(state, 0, out.observation, 0, observationSize);
        out.reward = (float) reward;
        out.terminated = terminal;
        out.truncated = !terminal && steps >= rolloutLength;
        done = out.done();
    }

    @Override
    public void close() {
        if (model instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the dynamics model: env=" + NAME, e);
            }
        }
    }

    private void checkResult(StepResult out) {
        StateChecks.requireObservationSlot(out, observationSize);
    }
}
