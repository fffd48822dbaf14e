package io.tributary.simulator.envs;

import io.tributary.simulator.StepResult;

/**
 * Allocation-free validation of the observation buffers the built-in environments read and write (a
 * {@link StepResult}'s slot, a state given to {@code resetTo}), so a size mismatch is rejected with the
 * same key=value message everywhere. Only the failure paths allocate. The twin of {@link ActionChecks}.
 */
public final class StateChecks {
    private StateChecks() {
    }

    /** Fails unless {@code out} has room for exactly {@code expected} observation floats. */
    public static void requireObservationSlot(StepResult out, int expected) {
        if (out.observation.length != expected) {
            throw new IllegalArgumentException("StepResult observation size mismatch: length="
                    + out.observation.length + ", expected=" + expected);
        }
    }

    /** Fails unless {@code observation}, given to environment {@code env}, holds exactly {@code expected} floats. */
    public static void requireObservationLength(String env, float[] observation, int expected) {
        if (observation.length != expected) {
            throw new IllegalArgumentException("observation length mismatch: env=" + env + ", length="
                    + observation.length + ", expected=" + expected);
        }
    }
}
