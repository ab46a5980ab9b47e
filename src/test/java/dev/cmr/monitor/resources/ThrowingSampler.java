package dev.cmr.monitor.resources;

/** A test sampler that breaks the never-throw contract on every poll. */
public final class ThrowingSampler implements ResourceSampler {
    @Override
    public String name() {
        return "broken";
    }

    @Override
    public ResourceSample sample(long nowNanos) {
        throw new IllegalStateException("sensor fell off");
    }

    @Override
    public String lastError() {
        return null;
    }

    @Override
    public void close() {
    }
}
