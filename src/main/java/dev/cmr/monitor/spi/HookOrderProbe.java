package dev.cmr.monitor.spi;

/**
 * The result of running two hooks of one kind in both orders on copies of the same scratch states of a layer.
 *
 * @param firstHook         the hook that runs first as registered
 * @param secondHook        the hook that runs second as registered
 * @param kind              their kind
 * @param layer             the layer whose state shape was used
 * @param outcome           what the probe found
 * @param maxAbsDifference  the largest element-wise difference between the two orders' results (NaN if failed)
 * @param detail            why the probe failed, or empty
 */
public record HookOrderProbe(String firstHook, String secondHook, String kind, int layer, Outcome outcome,
                             double maxAbsDifference, String detail) {
    public enum Outcome {
        /** The two orders give different states. */
        ORDER_DEPENDENT,
        /** Both orders give the same states (within the probe's tolerance). */
        COMMUTES,
        /** A hook threw on the scratch states; nothing can be said. */
        PROBE_FAILED
    }

    public HookOrderProbe {
        if (firstHook == null || secondHook == null || kind == null || outcome == null) {
            throw new IllegalArgumentException("firstHook, secondHook, kind and outcome are required");
        }
        detail = detail == null ? "" : detail;
    }
}
