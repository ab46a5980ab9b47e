package dev.cmr.monitor.record;

import java.util.Arrays;
import java.util.List;

/** The CMR stages the monitor times or counts, per layer, plus the whole forward pass. */
public enum Stage {
    CAPTURE("capture", true),
    RECONSTRUCTION("reconstruction", true),
    RETRIEVAL("retrieval", true),
    /** Evictions are counted, not timed. */
    EVICTION("eviction", false),
    /** Host time of one transformer block (layer), from enter to exit on the calling thread. */
    LAYER("layer", true),
    /**
     * Host time spent inside blocking device calls within a layer (queue finish, blocking reads, event
     * synchronize): the part of {@link #LAYER} that waited on the device rather than working.
     */
    SYNC_WAIT("sync_wait", true),
    /**
     * Device time of one layer: between its start and end marks on the device's own clock, resolved
     * asynchronously and recorded by whoever drains the device timeline, never by the model thread.
     */
    DEVICE("device", true),
    /** One forward pass of the model; not per layer. Must stay last: every stage before it is per layer. */
    FORWARD("forward", true);

    // Built after the constants (enum static initialisation order), so values() is complete here.
    private static final List<Stage> TIMED = Arrays.stream(values()).filter(Stage::timed).toList();

    private final String key;
    private final boolean timed;

    Stage(String key, boolean timed) {
        this.key = key;
        this.timed = timed;
    }

    /** The snake_case name used in stats maps and exports. */
    public String key() {
        return key;
    }

    /** Whether the stage records durations (and so has latency statistics); only EVICTION does not. */
    public boolean timed() {
        return timed;
    }

    /**
     * Every stage that {@link #timed()}, in declaration order: the one list of timed stages, which stats, intervals
     * and aggregation all iterate. Immutable.
     */
    public static List<Stage> timedStages() {
        return TIMED;
    }
}
