package dev.cmr.model;

import dev.cmr.model.hooks.HiddenStates;

/**
 * Called by a {@link Gpt2Backend}'s forward pass around each transformer block, on the calling thread. The CMR model
 * uses it to capture and reweave hidden states; a listener that throws aborts the pass (the CMR model isolates its
 * hooks before they get here).
 *
 * <p>On a device backend the hidden states live on the device: the backend copies them to the host (a blocking
 * read) only for layers where {@link #wantsHiddenStates(int)} is true, and copies them back if the listener changed
 * them. The defaults keep the CPU backend's behaviour: hidden states for every layer, no sync-wait timing.
 */
public interface BlockListener {
    BlockListener NONE = new BlockListener() {
    };

    default void beforeBlock(int layer) {
    }

    /**
     * After block {@code layer}: {@code hidden} is its output and may be modified. {@code attentionReceived} is,
     * per position of this pass, the attention it received, averaged over heads and over the queries that may
     * attend to it; it is null unless {@link #wantsAttention(int)} returned true for this layer. {@code hidden} may
     * be null if {@link #wantsHiddenStates(int)} returned false for this layer (a host backend passes it anyway).
     */
    default void afterBlock(int layer, HiddenStates hidden, float[] attentionReceived) {
    }

    default boolean wantsAttention(int layer) {
        return false;
    }

    /**
     * Asked after {@link #beforeBlock(int)}: whether {@link #afterBlock} needs this layer's hidden states. On a
     * device backend, false keeps the layer on the device (no read back).
     */
    default boolean wantsHiddenStates(int layer) {
        return true;
    }

    /**
     * Asked once per pass, before the first block: whether the backend should time its blocking device calls
     * (reads, writes, finish) and report them through {@link #syncWait(int, long, long)}. False: no clock is read for
     * it.
     */
    default boolean wantsSyncWaits() {
        return false;
    }

    /**
     * Asked once per pass, before the first block: whether a device backend with a device timeline should also mark
     * the end of every kernel (for a per-kernel breakdown of device time while profiling), beside each layer's start
     * and end marks. False: layer marks only.
     */
    default boolean wantsKernelMarks() {
        return false;
    }

    /**
     * Layer {@code layer} just spent host time blocked in one device call, from {@code startNanos} to
     * {@code endNanos} (System.nanoTime).
     */
    default void syncWait(int layer, long startNanos, long endNanos) {
    }
}
