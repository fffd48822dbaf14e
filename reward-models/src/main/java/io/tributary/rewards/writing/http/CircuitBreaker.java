package io.tributary.rewards.writing.http;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A consecutive-failure circuit breaker for one remote dependency. CLOSED lets every call through;
 * {@code threshold} failures in a row open it; OPEN fails fast until the cool-down has passed, then lets
 * exactly one probe through (HALF_OPEN) while other callers still fail fast; the probe's success closes
 * it, its failure opens it for another cool-down. Thread-safe.
 */
public final class CircuitBreaker {
    /** The breaker's state, observable for metrics and tests. */
    public enum State {
        /** Calls go through; failures are counted. */
        CLOSED,
        /** Calls fail fast until the cool-down has passed. */
        OPEN,
        /** One probe call is in flight; others fail fast. */
        HALF_OPEN
    }

    private final int threshold;
    private final long coolDownNanos;
    private final LongSupplier nanoClock;

    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAtNanos;
    private long timesOpened;

    /**
     * @param threshold consecutive failures that open the breaker, >= 1
     * @param coolDown  time an open breaker waits before a probe, > 0
     * @param nanoClock monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass a manual one)
     */
    public CircuitBreaker(int threshold, Duration coolDown, LongSupplier nanoClock) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be >= 1: threshold=" + threshold);
        }
        if (coolDown.isNegative() || coolDown.isZero()) {
            throw new IllegalArgumentException("coolDown must be > 0: coolDown=" + coolDown);
        }
        this.threshold = threshold;
        this.coolDownNanos = coolDown.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * Asks to make a call. Returns normally when it may go ahead (the caller must then report
     * {@link #onSuccess()} or {@link #onFailure()}); an OPEN breaker past its cool-down turns HALF_OPEN and
     * admits this caller as the probe.
     *
     * @throws JudgeCircuitOpenException when the call must not be made
     */
    public synchronized void acquire() {
        switch (state) {
            case CLOSED -> {
            }
            case OPEN -> {
                long waited = nanoClock.getAsLong() - openedAtNanos;
                if (waited < coolDownNanos) {
                    throw new JudgeCircuitOpenException(consecutiveFailures, Duration.ofNanos(coolDownNanos - waited));
                }
                state = State.HALF_OPEN;
            }
            case HALF_OPEN -> throw new JudgeCircuitOpenException(consecutiveFailures, Duration.ZERO);
            default -> throw new IllegalStateException("unknown state: " + state);
        }
    }

    /** The admitted call succeeded: the breaker closes and the failure count restarts. */
    public synchronized void onSuccess() {
        state = State.CLOSED;
        consecutiveFailures = 0;
    }

    /** The admitted call failed: a failed probe, or the threshold-th failure in a row, opens the breaker. */
    public synchronized void onFailure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= threshold) {
            if (state != State.OPEN) {
                timesOpened++;
            }
            state = State.OPEN;
            openedAtNanos = nanoClock.getAsLong();
        }
    }

    /**
     * The admitted call ended in a way that says nothing about the dependency's health: a HALF_OPEN
     * breaker goes back to OPEN without restarting its cool-down, so the next caller past it probes again.
     */
    public synchronized void onNeutral() {
        if (state == State.HALF_OPEN) {
            state = State.OPEN;
            openedAtNanos = nanoClock.getAsLong() - coolDownNanos;
        }
    }

    /** The current state; an OPEN breaker reports OPEN until a caller arrives after the cool-down. */
    public synchronized State state() {
        return state;
    }

    /** Failures since the last success. */
    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** How many times the breaker has gone from CLOSED or HALF_OPEN to OPEN. */
    public synchronized long timesOpened() {
        return timesOpened;
    }
}
