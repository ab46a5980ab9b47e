package dev.cmr.monitor.device;

/**
 * Timestamps device work without blocking. {@link #mark(long, long)} enqueues a marker behind the work already
 * submitted to the caller's OpenCL command queue or CUDA stream and returns at once; the marker resolves when the
 * device reaches it, and {@link #drain(DeviceMarkBatch)} hands back resolved marks in batches, with their device
 * timestamps mapped onto the {@link System#nanoTime()} clock.
 *
 * <p>Contract:
 * <ol>
 *   <li>{@code mark} never blocks, never throws and never allocates. When the event pool is full, or the vendor
 *       call fails, the mark is dropped, counted ({@link #droppedMarks()}, {@link #failedMarks()}) and
 *       {@code false} is returned; the error text is kept in {@link #lastError()}.</li>
 *   <li>{@code drain} never blocks on the device and is called by one thread at a time (the collector).</li>
 *   <li>Implementations: {@code opencl}, {@code cuda}, {@code none} (drops nothing, resolves nothing).</li>
 * </ol>
 */
public interface DeviceTimeline extends AutoCloseable {
    /** {@code opencl}, {@code cuda} or {@code none}. */
    String backend();

    /**
     * Enqueues a marker on {@code queueHandle} (a {@code cl_command_queue} created with profiling enabled, or a
     * {@code cudaStream_t}; 0 is CUDA's default stream) carrying {@code tag}; see {@link LayerMarkTag}.
     */
    boolean mark(long queueHandle, long tag);

    /** Moves resolved marks into {@code into} (after clearing it); returns how many. */
    int drain(DeviceMarkBatch into);

    /** Marks dropped because the event pool was exhausted. */
    long droppedMarks();

    /** Marks lost to a vendor error (enqueue failed, event reported an error status). */
    long failedMarks();

    /** The most recent vendor error, with the call and the error code, or null. */
    String lastError();

    @Override
    void close();
}
