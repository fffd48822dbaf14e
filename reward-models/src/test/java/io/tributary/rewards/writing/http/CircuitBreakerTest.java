package io.tributary.rewards.writing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The breaker's state machine on a manual clock. */
class CircuitBreakerTest {
    private final AtomicLong now = new AtomicLong();
    private final CircuitBreaker breaker = new CircuitBreaker(2, Duration.ofSeconds(10), now::get);

    private void fail() {
        breaker.acquire();
        breaker.onFailure();
    }

    @Test
    void halfOpenAdmitsOneProbeAndOthersFailFast() {
        fail();
        fail();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        breaker.acquire();
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
        JudgeCircuitOpenException e = assertThrows(JudgeCircuitOpenException.class, breaker::acquire);
        assertEquals(Duration.ZERO, e.retryIn());
        breaker.onSuccess();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        assertEquals(0, breaker.consecutiveFailures());
        breaker.acquire();
    }

    @Test
    void aNeutralProbeLetsTheNextCallerProbeAtOnce() {
        fail();
        fail();
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        breaker.acquire();
        breaker.onNeutral();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        breaker.acquire();
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
    }

    @Test
    void aFailedProbeReopensForAWholeCoolDown() {
        fail();
        fail();
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        fail();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertEquals(Duration.ofSeconds(1), assertThrows(JudgeCircuitOpenException.class, breaker::acquire).retryIn());
        assertEquals(2, breaker.timesOpened());
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CircuitBreaker(0, Duration.ofSeconds(1), now::get));
        assertThrows(IllegalArgumentException.class, () -> new CircuitBreaker(1, Duration.ZERO, now::get));
    }
}
