package io.tributary.actors;

import java.nio.file.Path;
import java.util.List;

/**
 * What a registered {@link Experiment} gets from the command line: its output folder, the training seeds
 * (the user's {@code --seeds}, or the experiment's own), the {@code --set} overrides every config it loads
 * receives, and the generic runner to run arms and write the standard report.
 */
public final class ExperimentContext {
    private final String name;
    private final Path outDir;
    private final List<Long> seedsOverride;
    private final List<String> overrides;

    /** A context for {@code name}; {@code seedsOverride} is null when the user gave no {@code --seeds}. */
    public ExperimentContext(String name, Path outDir, List<Long> seedsOverride, List<String> overrides) {
        if (name == null || !name.matches(Experiments.NAME_PATTERN)) {
            throw new IllegalArgumentException("experiment name must match " + Experiments.NAME_PATTERN + ": name=" + name);
        }
        if (seedsOverride != null && seedsOverride.isEmpty()) {
            throw new IllegalArgumentException("seeds override must not be empty: name=" + name);
        }
        this.name = name;
        this.outDir = outDir;
        this.seedsOverride = seedsOverride == null ? null : List.copyOf(seedsOverride);
        this.overrides = List.copyOf(overrides);
    }

    /** The experiment's name. */
    public String name() {
        return name;
    }

    /** Where its files go (normally {@code docs/results}). */
    public Path outDir() {
        return outDir;
    }

    /** The user's {@code --seeds} if given, else {@code defaults}. */
    public List<Long> seeds(List<Long> defaults) {
        return seedsOverride != null ? seedsOverride : List.copyOf(defaults);
    }

    /** The user's {@code --set} overrides, applied by {@link #config}. */
    public List<String> overrides() {
        return overrides;
    }

    /** Loads {@code file} with the experiment's own {@code extra} overrides, then the user's (which win). */
    public TributaryConfig config(Path file, String... extra) {
        TributaryConfig c = TributaryConfig.load(file, List.of(extra));
        return overrides.isEmpty() ? c : c.with(overrides);
    }

    /** Runs every arm with every seed, one after another; writes nothing. */
    public List<ExperimentRunner.RunRow> runArms(List<ExperimentRunner.Arm> arms, List<Long> seeds) {
        return ExperimentRunner.runArms(name, arms, seeds);
    }

    /** Writes the standard report ({@code <name>.md}, {@code .json}, {@code .svg}) marked as this experiment's. */
    public void writeReport(List<ExperimentRunner.RunRow> rows) {
        ExperimentRunner.writeReport(name, ExperimentRunner.mark(name, true), rows, outDir);
    }

    /**
     * The path of an extra file the experiment owns: {@code <outDir>/<name><suffix>}, where {@code suffix}
     * starts with '.' or '-' (e.g. {@code "-returns.svg"}).
     */
    public Path output(String suffix) {
        if (suffix == null || !suffix.matches("[.-][A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("output suffix must start with '.' or '-' and be a plain file name: "
                    + "suffix=" + suffix);
        }
        return outDir.resolve(name + suffix);
    }
}
