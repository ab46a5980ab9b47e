package dev.cmr.model.hooks;

/** Returned by registration; {@link #remove()} (or close) unregisters the hook. Idempotent. */
public final class HookHandle implements AutoCloseable {
    private final Runnable removal;
    private volatile boolean removed;

    HookHandle(Runnable removal) {
        this.removal = removal;
    }

    public void remove() {
        if (!removed) {
            removed = true;
            removal.run();
        }
    }

    @Override
    public void close() {
        remove();
    }
}
