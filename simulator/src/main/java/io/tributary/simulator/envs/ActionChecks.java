package io.tributary.simulator.envs;

/**
 * Allocation-free validation of flattened actions, shared by the built-in environments so a bad action
 * is rejected with the same key=value message everywhere. Only the failure paths allocate.
 */
public final class ActionChecks {
    private ActionChecks() {
    }

    /** Fails unless {@code action} holds exactly {@code expected} floats. */
    public static void requireLength(float[] action, int expected) {
        if (action.length != expected) {
            throw new IllegalArgumentException("action length mismatch: length=" + action.length
                    + ", expected=" + expected);
        }
    }

    /**
     * The index held by a {@link io.tributary.simulator.Space.Discrete} action of {@code actionCount}
     * choices; NaN, fractional and out-of-range values are rejected rather than rounded, because a
     * silently rounded action would train on a transition the policy did not choose.
     */
    public static int discreteIndex(float[] action, int actionCount) {
        requireLength(action, 1);
        float a = action[0];
        if (Float.isNaN(a)) {
            throw new IllegalArgumentException("action must not be NaN: action=NaN, actionCount=" + actionCount);
        }
        if (a != Math.rint(a)) {
            throw new IllegalArgumentException("action must be a whole number: action=" + a
                    + ", actionCount=" + actionCount);
        }
        if (a < 0 || a >= actionCount) {
            throw new IllegalArgumentException("action out of range: action=" + format(a)
                    + ", actionCount=" + actionCount);
        }
        return (int) a;
    }

    /** Fails if any element of a box action is NaN (infinities are left to the environment's clipping). */
    public static void requireNoNaN(float[] action) {
        for (int i = 0; i < action.length; i++) {
            if (Float.isNaN(action[i])) {
                throw new IllegalArgumentException("action must not be NaN: index=" + i + ", action=NaN");
            }
        }
    }

    private static String format(float a) {
        if (Float.isInfinite(a) || Math.abs(a) >= 1e15f) {
            return Float.toString(a);
        }
        return Long.toString((long) a);
    }
}
