package io.tributary.actors;

/**
 * An experiment registered by name ({@code META-INF/services/io.tributary.actors.Experiment}) and run with
 * {@code ./tributary experiment <name>}. It owns its files in the output folder: {@code <name>.md},
 * {@code <name>.json}, {@code <name>.svg} and any {@code <name>-*} or {@code <name>.*} file it writes through
 * {@link ExperimentContext#output}; the generic {@code --name} runner refuses to touch them.
 */
public interface Experiment {
    /** Registered name: letters, digits, '.', '_' or '-'; also the stem of its output files. */
    String name();

    /** One line saying what it measures, shown by {@code ./tributary experiment --list}. */
    String description();

    /** Runs the experiment and writes its files. */
    void run(ExperimentContext context);
}
