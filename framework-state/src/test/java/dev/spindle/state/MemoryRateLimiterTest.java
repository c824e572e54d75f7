package dev.spindle.state;

class MemoryRateLimiterTest extends RateLimiterContract {

    @Override
    protected RateLimiter limiter(Rate rate) {
        return RateLimiter.inMemory(rate, clock, 1000);
    }
}
