package io.tributary.streams.kafka;

import io.tributary.streams.port.StreamsException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits on Kafka client futures with a bound, turning failures into exceptions that name the action. */
public final class FutureSupport {
    private FutureSupport() {
    }

    /** The future's value; a failure or a wait over {@code timeoutMs} throws {@link StreamsException} naming {@code what}. */
    public static <T> T getOrThrow(Future<T> f, String what, long timeoutMs) {
        try {
            return f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamsException("interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            throw new StreamsException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new StreamsException(what + " did not complete within " + timeoutMs + " ms", e);
        }
    }

    /** The value of a future that is already done. */
    public static <T> T getOrThrow(Future<T> f, String what) {
        return getOrThrow(f, what, 0);
    }
}
