package io.courier.app.loadtool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Runs many asynchronous operations (connects, subscribes, disconnects) with at most
 * {@code concurrency} of them unfinished at a time: a broker is asked to accept thousands of
 * connections at a sustained pace, not all at once, and a failure stops the launching early
 * instead of piling up thousands of timeouts.
 */
final class Throttle {

    private final int concurrency;
    private final Semaphore permits;
    private final LongAdder done = new LongAdder();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    Throttle(int concurrency) {
        this.concurrency = concurrency;
        this.permits = new Semaphore(concurrency);
    }

    /**
     * Starts {@code operation.apply(i)} for i in [0, count), then waits for all of them. Returns
     * how many succeeded; throws the first failure (after letting the started ones finish) or a
     * timeout when {@code timeoutSeconds} pass without any operation finishing.
     */
    int run(int count, IntFunction<CompletableFuture<?>> operation, long timeoutSeconds) throws Exception {
        for (int i = 0; i < count && firstFailure.get() == null; i++) {
            if (!permits.tryAcquire(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new java.util.concurrent.TimeoutException("no operation finished within " + timeoutSeconds + " s");
            }
            CompletableFuture<?> f;
            try {
                f = operation.apply(i);
            } catch (RuntimeException e) {
                permits.release();
                throw e;
            }
            f.whenComplete((v, e) -> {
                if (e == null) {
                    done.increment();
                } else {
                    firstFailure.compareAndSet(null, e);
                }
                permits.release();
            });
        }
        if (!permits.tryAcquire(concurrency, timeoutSeconds, TimeUnit.SECONDS)) {
            throw new java.util.concurrent.TimeoutException("operations still unfinished after " + timeoutSeconds + " s");
        }
        permits.release(concurrency);
        Throwable failure = firstFailure.get();
        if (failure != null) {
            throw new IllegalStateException(failure.getMessage(), failure);
        }
        return (int) done.sum();
    }

    /** Operations finished successfully so far (for progress lines). */
    long done() {
        return done.sum();
    }
}
