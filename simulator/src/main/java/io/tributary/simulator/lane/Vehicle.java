package io.tributary.simulator.lane;

/**
 * The ego car's kinematic bicycle model (reference point: rear axle). Per step of {@code dt}: the steering
 * angle moves towards its command by at most {@link #STEER_RATE} rad/s, the speed towards its target by at
 * most {@link #ACCEL_MAX} (up) or {@link #DECEL_MAX} (down) m/s^2, then the pose advances with the new speed
 * and steering (semi-implicit Euler):
 * <pre>
 *   x' = x + v' cos(psi) dt,  y' = y + v' sin(psi) dt,  psi' = psi + v' / L tan(delta') dt
 * </pre>
 * The box is 4.5 x 1.8 m with the rear axle 0.9 m ahead of the rear bumper, so the front bumper is 3.6 m
 * ahead of the rear axle. Mutable and allocation-free.
 */
public final class Vehicle {
    /** Wheelbase, metres. */
    public static final double WHEELBASE = 2.7;
    /** Integration step, seconds. */
    public static final double DT = 0.05;
    /** Largest steering angle, radians. */
    public static final double STEER_MAX = 0.8;
    /** Largest steering rate, rad/s. */
    public static final double STEER_RATE = 1.0;
    /** Largest acceleration, m/s^2. */
    public static final double ACCEL_MAX = 2.0;
    /** Largest deceleration (braking), m/s^2. */
    public static final double DECEL_MAX = 4.0;
    /** Largest target speed, km/h. */
    public static final double SPEED_MAX_KMH = 20.0;
    /** Rear bumper to rear axle, metres. */
    public static final double REAR_OVERHANG = 0.9;
    /** Rear axle to box centre, metres. */
    public static final double CENTRE_AHEAD = Road.VEHICLE_LENGTH / 2 - REAR_OVERHANG;
    /** Rear axle to front-bumper centre, metres. */
    public static final double BUMPER_AHEAD = Road.VEHICLE_LENGTH - REAR_OVERHANG;

    /** Rear-axle position, metres. */
    public double x;
    /** Rear-axle position, metres. */
    public double y;
    /** Heading, radians. */
    public double heading;
    /** Speed, m/s (never negative). */
    public double speed;
    /** Front-wheel steering angle, radians. */
    public double steering;

    /** Sets the whole state. */
    public void set(double x, double y, double heading, double speed, double steering) {
        this.x = x;
        this.y = y;
        this.heading = heading;
        this.speed = speed;
        this.steering = steering;
    }

    /**
     * Advances one step of {@link #DT} towards {@code steerCommand} (radians, clipped to +-{@link #STEER_MAX})
     * and {@code speedCommand} (m/s, clipped to [0, 20 km/h]).
     */
    public void step(double steerCommand, double speedCommand) {
        double cmd = Math.max(-STEER_MAX, Math.min(STEER_MAX, steerCommand));
        double maxDelta = STEER_RATE * DT;
        steering += Math.max(-maxDelta, Math.min(maxDelta, cmd - steering));
        double target = Math.max(0, Math.min(SPEED_MAX_KMH / 3.6, speedCommand));
        speed += Math.max(-DECEL_MAX * DT, Math.min(ACCEL_MAX * DT, target - speed));
        x += speed * Math.cos(heading) * DT;
        y += speed * Math.sin(heading) * DT;
        heading += speed / WHEELBASE * Math.tan(steering) * DT;
    }

    /** Box centre x. */
    public double centreX() {
        return x + CENTRE_AHEAD * Math.cos(heading);
    }

    /** Box centre y. */
    public double centreY() {
        return y + CENTRE_AHEAD * Math.sin(heading);
    }
}
