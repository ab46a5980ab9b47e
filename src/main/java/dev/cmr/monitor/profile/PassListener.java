package dev.cmr.monitor.profile;

/**
 * Told of every pass a profiled block keeps, when the block closes, on the thread that closed it (the model's),
 * after the pass is in the profile: a {@link PassTrace} (host clock, System.nanoTime) or {@link PassDurations}. It
 * runs inside the model's step, so it must be short; device spans are not in the pass yet (they are joined when the
 * results are read). Blocks that keep no pass (no-op, warmup steps) are not reported.
 */
@FunctionalInterface
public interface PassListener {
    /** @param block the block's name as the profile keys it ({@code unknown} for a null or blank name) */
    void passClosed(String block, ProfiledPass pass);
}
