package io.tributary.actors.local;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child {@code tributary} JVM (broker or cluster node): this JVM's java binary, its
 * options without debug agents and heap sizes, the flags every Tributary JVM needs (Agrona's export, DJL
 * offline with one intra-op thread, quiet Kafka logs), the given heap, this class path and the CLI main.
 */
public final class ChildJvm {
    private static final String EXPORTS = "--add-exports";
    private static final String MISC = "java.base/jdk.internal.misc=ALL-UNNAMED";

    private ChildJvm() {
    }

    /** {@code java <flags> -Xmx<heap> -cp <this class path> io.tributary.actors.cli.Main <args...>}. */
    public static List<String> command(String heap, List<String> args) {
        if (heap == null || !heap.matches("[0-9]+[mMgG]")) {
            throw new IllegalArgumentException("heap must look like 3g or 512m: heap=" + heap);
        }
        return build(heap, args);
    }

    /** As {@link #command(String, List)}, keeping this JVM's own heap options (experiment arms run this way). */
    public static List<String> commandWithInheritedHeap(List<String> args) {
        return build(null, args);
    }

    private static List<String> build(String heap, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        List<String> inherited = ManagementFactory.getRuntimeMXBean().getInputArguments();
        boolean hasExports = false;
        for (int i = 0; i < inherited.size(); i++) {
            String a = inherited.get(i);
            if (a.startsWith("-agentlib") || a.startsWith("-javaagent") || a.startsWith("-Xrunjdwp")
                    || (heap != null && (a.startsWith("-Xmx") || a.startsWith("-Xms")))) {
                continue;
            }
            if (a.equals(MISC) || a.equals(EXPORTS + "=" + MISC)) {
                hasExports = true;
            }
            cmd.add(a);
        }
        if (!hasExports) {
            cmd.add(EXPORTS);
            cmd.add(MISC);
        }
        addProperty(cmd, inherited, "ai.djl.offline", "true");
        addProperty(cmd, inherited, "ai.djl.pytorch.num_threads", "1");
        addProperty(cmd, inherited, "org.slf4j.simpleLogger.defaultLogLevel", "warn");
        addProperty(cmd, inherited, "org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        addProperty(cmd, inherited, "org.slf4j.simpleLogger.log.kafka", "error");
        if (heap != null) {
            cmd.add("-Xms256m");
            cmd.add("-Xmx" + heap);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.tributary.actors.cli.Main");
        cmd.addAll(args);
        return cmd;
    }

    private static void addProperty(List<String> cmd, List<String> inherited, String key, String value) {
        if (inherited.stream().noneMatch(a -> a.startsWith("-D" + key + "="))) {
            cmd.add("-D" + key + "=" + value);
        }
    }
}
