package io.tributary.simulator.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Kinematic bicycle transitions against values worked out by hand. */
class VehicleTest {
    private final Vehicle car = new Vehicle();

    @Test
    void straightAtConstantSpeedAdvancesSpeedTimesDt() {
        car.set(0, 0, 0, 5, 0);
        car.step(0, 5);
        assertEquals(0.25, car.x, 1e-12);
        assertEquals(0.0, car.y, 1e-12);
        assertEquals(0.0, car.heading, 1e-12);
        assertEquals(5.0, car.speed, 1e-12);
    }

    @Test
    void steeringIsRateLimitedAndTurnsTheHeading() {
        car.set(0, 0, 0, 5, 0);
        car.step(0.8, 5);
        // 1 rad/s * 0.05 s = 0.05 rad; heading += 5 / 2.7 * tan(0.05) * 0.05 = 1.851852 * 0.0500417 * 0.05.
        assertEquals(0.05, car.steering, 1e-12);
        assertEquals(0.0046335, car.heading, 1e-7);
        // The position used the heading before the update (0): straight ahead.
        assertEquals(0.25, car.x, 1e-12);
        assertEquals(0.0, car.y, 1e-12);
        car.step(0.8, 5);
        assertEquals(0.10, car.steering, 1e-12);
        assertEquals(0.25 + 0.25 * Math.cos(0.0046335), car.x, 1e-6);
        assertEquals(0.25 * Math.sin(0.0046335), car.y, 1e-8);
    }

    @Test
    void steeringCommandIsClippedToLock() {
        car.set(0, 0, 0, 0, 0.78);
        car.step(5.0, 0);
        assertEquals(0.8, car.steering, 1e-12);
        car.step(-5.0, 0);
        assertEquals(0.75, car.steering, 1e-12);
    }

    @Test
    void accelerationAndBrakingAreLimited() {
        car.set(0, 0, 0, 0, 0);
        car.step(0, 5);
        // +2 m/s^2 * 0.05 s.
        assertEquals(0.1, car.speed, 1e-12);
        assertEquals(0.005, car.x, 1e-12);
        car.set(0, 0, 0, 5, 0);
        car.step(0, 0);
        // -4 m/s^2 * 0.05 s.
        assertEquals(4.8, car.speed, 1e-12);
        car.set(0, 0, 0, 0.1, 0);
        car.step(0, -3);
        assertEquals(0.0, car.speed, 1e-12, "never reverses");
        car.set(0, 0, 0, 5.5, 0);
        car.step(0, 100);
        assertEquals(20 / 3.6, car.speed, 1e-12, "target capped at 20 km/h");
    }

    @Test
    void headingTurnsAtSpeedOverWheelbaseTimesTanSteering() {
        car.set(0, 0, Math.PI / 2, 4, 0.3);
        car.step(0.3, 4);
        assertEquals(Math.PI / 2 + 4 / 2.7 * Math.tan(0.3) * 0.05, car.heading, 1e-12);
        assertEquals(0.0, car.x, 1e-12);
        assertEquals(0.2, car.y, 1e-12);
        // Box centre 1.35 m ahead of the rear axle, front bumper 3.6 m.
        car.set(1, 2, 0, 0, 0);
        assertEquals(2.35, car.centreX(), 1e-12);
        assertEquals(3.6, Vehicle.BUMPER_AHEAD, 1e-12);
    }
}
