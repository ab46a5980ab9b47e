package dev.cmr.model;

/**
 * Called by {@link Gpt2Model#forward} around each transformer block, on the calling thread. The CMR model uses it
 * to capture and reweave hidden states; a listener that throws aborts the pass (the CMR model isolates its hooks
 * before they get here).
 */
public interface BlockListener {
    BlockListener NONE = new BlockListener() {
    };

    default void beforeBlock(int layer) {
    }

    /**
     * After block {@code layer}: {@code hidden} is its output and may be modified. {@code attentionReceived} is,
     * per position of this pass, the attention it received, averaged over heads and over the queries that may
     * attend to it; it is null unless {@link #wantsAttention(int)} returned true for this layer.
     */
    default void afterBlock(int layer, HiddenStates hidden, float[] attentionReceived) {
    }

    default boolean wantsAttention(int layer) {
        return false;
    }
}
