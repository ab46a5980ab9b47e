package dev.cmr.monitor.device;

import java.util.Arrays;

/**
 * How a device mark's 64-bit tag names the end of one kernel inside a layer of a forward pass (per-kernel marks,
 * taken in profiling mode), beside {@link LayerMarkTag}'s layer boundaries. The top bit tells the two apart: layer
 * marks keep it 0 (their pass sequence stays below 2<sup>43</sup>), kernel marks set it.
 *
 * <pre>
 *   63 62                  31 30            19 18          12 11             0
 *  +--+----------------------+----------------+--------------+----------------+
 *  | 1| pass (low 32 bits)   | layer (12 bits)| kernel id (7)| ordinal (12)   |
 *  +--+----------------------+----------------+--------------+----------------+
 * </pre>
 *
 * A kernel mark is enqueued right after its kernel; {@code ordinal} counts the layer's kernel marks of the pass
 * from 0, so that a reader finds the mark before each one (the layer's start mark for ordinal 0) and notices a
 * dropped mark as a gap. A kernel's device time is its mark's device time minus the previous mark's. The pass is
 * kept modulo 2<sup>32</sup>: a reader pairs a kernel mark with the layer marks whose pass agrees in those bits,
 * which is unambiguous while fewer than 2<sup>32</sup> passes are held at once. Layers fit in 12 bits because
 * {@code max_layers} is at most 4096.
 *
 * <p>Kernel ids come from a process-wide registry of at most {@value #MAX_KERNEL_NAMES} names
 * ({@link #kernelId(String)}, once per kernel at setup, never on the hot path); a name beyond the bound shares the
 * last id, named {@value #OTHER}. {@link #kernelName(int)} resolves an id back. Thread-safe: registration takes a
 * lock, resolution reads an immutable array published through a volatile field.
 */
public final class KernelMarkTag {
    /** The highest layer a kernel mark can carry. */
    public static final int MAX_LAYER = (1 << 12) - 1;
    /** The highest ordinal of a kernel mark within one layer of one pass. */
    public static final int MAX_ORDINAL = (1 << 12) - 1;
    /** Kernel ids available, the last one shared by every name beyond the others. */
    public static final int MAX_KERNEL_NAMES = 1 << 7;
    /** The name of the shared last id. */
    public static final String OTHER = "other";

    private static final long KERNEL_BIT = 1L << 63;
    private static final long PASS_MASK = 0xFFFF_FFFFL;
    private static final int ID_MASK = MAX_KERNEL_NAMES - 1;

    private static final Registry REGISTRY = new Registry(MAX_KERNEL_NAMES);

    private KernelMarkTag() {
    }

    /**
     * The tag of the {@code ordinal}-th kernel mark of {@code layer} in {@code pass}, for kernel id {@code kernelId}.
     * Plain arithmetic, no check: the caller keeps layer, id and ordinal in range (out-of-range bits are masked off).
     */
    public static long of(long pass, int layer, int kernelId, int ordinal) {
        return KERNEL_BIT | ((pass & PASS_MASK) << 31) | ((long) (layer & MAX_LAYER) << 19)
                | ((long) (kernelId & ID_MASK) << 12) | (ordinal & MAX_ORDINAL);
    }

    /** Whether {@code tag} is a kernel mark (else a {@link LayerMarkTag}). */
    public static boolean isKernel(long tag) {
        return tag < 0; // the kind bit is the sign bit
    }

    /** The low 32 bits of the pass sequence. */
    public static long passLow32(long tag) {
        return (tag >>> 31) & PASS_MASK;
    }

    public static int layer(long tag) {
        return (int) ((tag >>> 19) & MAX_LAYER);
    }

    public static int kernelId(long tag) {
        return (int) ((tag >>> 12) & ID_MASK);
    }

    public static int ordinal(long tag) {
        return (int) (tag & MAX_ORDINAL);
    }

    /**
     * The id of kernel {@code name}, registering it on first use; the same name always gets the same id. Beyond
     * {@value #MAX_KERNEL_NAMES} - 1 names, every further name gets the last id, named {@value #OTHER}.
     *
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public static int kernelId(String name) {
        return REGISTRY.id(name);
    }

    /** The name registered for {@code id}; {@value #OTHER} for the shared last id; null for an unused id. */
    public static String kernelName(int id) {
        return REGISTRY.name(id);
    }

    /** Names to ids, {@code size - 1} names at most; the last id is shared. Thread-safe as the class says. */
    static final class Registry {
        private final int last;
        private volatile String[] names = new String[0]; // id -> name, copy-on-write

        Registry(int size) {
            this.last = size - 1;
        }

        synchronized int id(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("kernel name must not be blank");
            }
            String[] known = names;
            for (int id = 0; id < known.length; id++) {
                if (known[id].equals(name)) {
                    return id;
                }
            }
            if (known.length == last) {
                return last;
            }
            String[] grown = Arrays.copyOf(known, known.length + 1);
            grown[known.length] = name;
            names = grown;
            return known.length;
        }

        String name(int id) {
            if (id == last) {
                return OTHER;
            }
            String[] known = names;
            return id >= 0 && id < known.length ? known[id] : null;
        }
    }
}
