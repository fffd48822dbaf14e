package io.tributary.actors.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One child process of a local cluster (broker or node) with its output: stdout and stderr merged and
 * appended to a log file by the child itself, followed and echoed line by line with a prefix
 * ({@code [node-1] ...}), the last lines kept for error messages, and a wait for a line that matches a
 * pattern (readiness). One follower thread per child, named for it.
 */
public final class ChildProcess {
    private static final int TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final Path log;
    private final long from;
    private final Deque<String> tail = new ArrayDeque<>();
    private final Thread reader;

    private ChildProcess(String name, Process process, Path log, long from, PrintStream echo) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.from = from;
        this.reader = new Thread(() -> follow(from, echo), "child-output-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code command}; its output is appended to {@code log} and, when {@code echo} is not null, echoed there. */
    public static ChildProcess start(String name, List<String> command, Path log, PrintStream echo) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            long from = Files.exists(log) ? Files.size(log) : 0;
            // The child writes its log file itself: reading its pipe raced with the JDK closing the pipe at
            // exit ("Stream closed") and lost the last lines, which are the ones that say why it stopped.
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ChildProcess(name, p, log, from, echo);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start child process: name=" + name + ", command=" + command.get(0)
                    + ", cause=" + e, e);
        }
    }

    /** Follows the log file from {@code from} until the child exited and every line was read. */
    private void follow(long from, PrintStream echo) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long pos = from;
            StringBuilder partial = new StringBuilder();
            byte[] buf = new byte[8192];
            while (true) {
                boolean exited = !process.isAlive();
                f.seek(pos);
                int n;
                while ((n = f.read(buf)) > 0) {
                    pos += n;
                    partial.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        line(partial.substring(0, nl), echo);
                        partial.delete(0, nl + 1);
                    }
                }
                if (exited) {
                    if (partial.length() > 0) {
                        line(partial.toString(), echo);
                    }
                    return;
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot follow child log: name=" + name + ", log=" + log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (tail) {
                tail.notifyAll();
            }
        }
    }

    private void line(String line, PrintStream echo) {
        synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > TAIL_LINES) {
                tail.removeFirst();
            }
            tail.notifyAll();
        }
        if (echo != null) {
            echo.println("[" + name + "] " + line);
        }
    }

    /**
     * Waits until a line of output matches {@code pattern} and returns the match; fails with the output's
     * tail when the child exits first or {@code timeoutMs} passes. Lines before this call count too
     * (this child's whole output is searched, not what an earlier process appended to the same log).
     */
    public Matcher awaitLine(Pattern pattern, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            Matcher m = search(pattern);
            if (m != null) {
                return m;
            }
            synchronized (tail) {
                if (!process.isAlive() && !reader.isAlive()) {
                    throw new IllegalStateException(name + " exited before printing the expected line: pattern=" + pattern
                            + ", exit=" + process.exitValue() + ", log=" + log + "\n" + tail());
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new IllegalStateException(name + " did not print the expected line in time: pattern=" + pattern
                            + ", timeoutMs=" + timeoutMs + ", log=" + log + "\n" + tail());
                }
                tail.wait(Math.min(left, 200));
            }
        }
    }

    /** True when this child's output so far has a line matching {@code pattern}. */
    public boolean printed(Pattern pattern) {
        return search(pattern) != null;
    }

    private Matcher search(Pattern pattern) {
        try {
            byte[] all = Files.readAllBytes(log);
            String mine = new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                    StandardCharsets.UTF_8);
            for (String line : mine.split("\n")) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m;
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /** The child's name (the echo prefix). */
    public String name() {
        return name;
    }

    /** The child's log file. */
    public Path log() {
        return log;
    }

    /** True while the child runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The OS process id. */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL, and waits for the process to be gone; returns its exit code (137). */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        int rc = process.waitFor();
        reader.join(5000);
        return rc;
    }

    /** SIGTERM, then SIGKILL when it has not exited within {@code graceMs}; returns the exit code. */
    public int stop(long graceMs) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
        int rc = process.waitFor();
        reader.join(5000);
        return rc;
    }

    /** Waits for the child to exit (and its output to be drained) and returns its exit code. */
    public int waitFor() throws InterruptedException {
        int rc = process.waitFor();
        reader.join(5000);
        return rc;
    }

    /** Waits up to {@code timeoutMs}; true when the child has exited. */
    public boolean waitFor(long timeoutMs) throws InterruptedException {
        return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Exit code; only valid once it exited. */
    public int exitValue() {
        return process.exitValue();
    }

    /** The last lines of output, for error messages. */
    public String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }
}
