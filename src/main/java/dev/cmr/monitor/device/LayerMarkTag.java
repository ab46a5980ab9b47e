package dev.cmr.monitor.device;

/**
 * How a device mark's 64-bit tag names a layer boundary of a forward pass:
 *
 * <pre>
 *   63 62                 20 19                 1  0
 *  +--+---------------------+--------------------+---+
 *  | 0| pass seq. (43 bits) |  layer (19 bits)   | E |   E = 1 at the layer's end, 0 at its start
 *  +--+---------------------+--------------------+---+
 * </pre>
 *
 * A layer's device time is the end mark's device time minus the start mark's, for the same pass and layer. The top
 * bit is 0 for layer marks and 1 for {@link KernelMarkTag kernel marks}, so a pass sequence must stay below
 * 2<sup>43</sup> (about 8.8e12 passes).
 */
public final class LayerMarkTag {
    public static final int MAX_LAYER = (1 << 19) - 1;

    private LayerMarkTag() {
    }

    public static long start(long pass, int layer) {
        return (pass << 20) | ((long) layer << 1);
    }

    public static long end(long pass, int layer) {
        return start(pass, layer) | 1L;
    }

    public static long pass(long tag) {
        return tag >>> 20;
    }

    public static int layer(long tag) {
        return (int) ((tag >>> 1) & MAX_LAYER);
    }

    public static boolean isEnd(long tag) {
        return (tag & 1L) != 0;
    }
}
