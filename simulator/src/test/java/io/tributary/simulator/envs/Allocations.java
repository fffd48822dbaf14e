package io.tributary.simulator.envs;

import java.lang.management.ManagementFactory;

/** Reads the current thread's allocated-bytes counter, to prove a step loop allocates nothing. */
final class Allocations {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {
    }

    static long currentThreadAllocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }
}
