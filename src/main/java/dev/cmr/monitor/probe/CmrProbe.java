package dev.cmr.monitor.probe;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.ByPtrPtr;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.MemberGetter;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Opaque;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The JavaCPP binding of {@code native/include/cmrprobe.h}, one Java method per C function, nothing more: the
 * contracts (thread-safety, blocking) are the header's. Internal to {@code dev.cmr.monitor.device} and
 * {@code dev.cmr.monitor.resources}; use {@code OpenClTimeline}, {@code CudaTimeline}, {@code Devices} and
 * {@code NvmlSampler} instead.
 *
 * <p>Every integer {@code #define} and enumerator of the header named {@code CMRP_*} is a {@code public static final}
 * field here, by the same name and value, and there are no others; {@code CmrProbeConstantsTest} reads the header
 * and fails when the two differ.
 *
 * <p>Hot-path functions ({@code mark}, {@code drain}, counters) take the journal and buffers as raw addresses
 * ({@code long}) so that a call reads no Java object fields; setup functions use JavaCPP types.
 * {@link NoException}: the C library never throws, so the glue needs no exception translation.
 *
 * <p>{@link #load()} loads {@code libcmrprobe.so} and {@code libjniCmrProbe.so} from this package's
 * {@code linux-x86_64/} resources (the Maven build puts both there) through JavaCPP's {@link Loader}.
 */
@Platform(include = "cmrprobe.h", link = "cmrprobe")
@NoException
public final class CmrProbe {
    private CmrProbe() {
    }

    /** Loads the native libraries; throws {@link UnsatisfiedLinkError} (or another Error) when they cannot. */
    public static void load() {
        Loader.load(CmrProbe.class);
    }

    /** {@code cmrp_journal}: opaque. */
    @Opaque
    public static final class cmrp_journal extends Pointer {
        public cmrp_journal() {
            super((Pointer) null);
        }
    }

    /** Version of the ABI this binding was written against: major * 10000 + minor * 100 + patch. */
    public static final int CMRP_VERSION = 100;

    public static native int cmrp_version();

    public static native @Cast("const char*") BytePointer cmrp_last_error();

    public static native long cmrp_host_now_ns();

    public static native int cmrp_probe_library(String library);

    public static native int cmrp_opencl_load(String library);

    public static native int cmrp_opencl_platform_count(@Cast("int32_t*") int[] platforms);

    public static native int cmrp_cuda_load(String driver, String runtime);

    /** Size of one ring record in bytes and the offsets of its fields, as drawn in cmrprobe.h. */
    public static final int CMRP_RECORD_BYTES = 32;
    public static final int CMRP_RECORD_TAG_OFFSET = 0;
    public static final int CMRP_RECORD_DEVICE_NS_OFFSET = 8;
    public static final int CMRP_RECORD_QUEUED_NS_OFFSET = 16;
    public static final int CMRP_RECORD_ERROR_BOUND_OFFSET = 24;

    /** Limits of the pool and ring sizes passed to the create functions (powers of two). */
    public static final int CMRP_MIN_CAPACITY = 2;
    public static final int CMRP_MAX_CAPACITY = 65536;

    /** {@code resolve} of {@link #cmrp_opencl_journal_create}, as in cmrprobe.h. */
    public static final int CMRP_RESOLVE_POLL = 1;
    public static final int CMRP_RESOLVE_CALLBACK = 2;

    public static native int cmrp_opencl_journal_create(@Cast("void*") long queue, int poolSize, int ringCapacity,
            long reanchorIntervalNs, int resolve, @ByPtrPtr cmrp_journal out);

    public static native int cmrp_cuda_journal_create(int device, int poolSize, int ringCapacity,
            long reanchorIntervalNs, @ByPtrPtr cmrp_journal out);

    public static native int cmrp_journal_attach(@Cast("cmrp_journal*") long journal, @Cast("void*") long queue);

    public static native int cmrp_journal_mark(@Cast("cmrp_journal*") long journal, @Cast("void*") long queue,
            long tag);

    public static native int cmrp_journal_drain(@Cast("cmrp_journal*") long journal, @Cast("int64_t*") long tags,
            @Cast("int64_t*") long deviceNs, @Cast("int64_t*") long queuedNs, int capacity,
            @Cast("int64_t*") long errorBoundNs);

    public static native long cmrp_journal_marked(@Cast("const cmrp_journal*") long journal);

    public static native long cmrp_journal_resolved(@Cast("const cmrp_journal*") long journal);

    public static native long cmrp_journal_dropped(@Cast("const cmrp_journal*") long journal);

    public static native long cmrp_journal_failed(@Cast("const cmrp_journal*") long journal);

    public static native long cmrp_journal_anchors(@Cast("const cmrp_journal*") long journal);

    public static native long cmrp_journal_anchor_error_ns(@Cast("const cmrp_journal*") long journal);

    public static native int cmrp_journal_last_error(@Cast("const cmrp_journal*") long journal,
            @Cast("char*") BytePointer buffer, int capacity);

    public static native @Cast("const char*") BytePointer cmrp_journal_backend(
            @Cast("const cmrp_journal*") long journal);

    public static native void cmrp_journal_destroy(@Cast("cmrp_journal*") long journal);

    // ---- NVML (cmrp_nvml_*): used by dev.cmr.monitor.resources.NvmlSampler ----------------------------------------

    /** {@code cmrp_nvml_sample}: one reading of one GPU; a field counts only when its bit is set in {@link #valid()}. */
    public static final class cmrp_nvml_sample extends Pointer {
        static {
            Loader.load();
        }

        /** Allocates one native struct (64 bytes); free it with {@link #close()}. */
        public cmrp_nvml_sample() {
            super((Pointer) null);
            allocate();
        }

        private native void allocate();

        public native @MemberGetter @Cast("int64_t") long memory_used_bytes();

        public native @MemberGetter @Cast("int64_t") long memory_total_bytes();

        public native @MemberGetter @Cast("int64_t") long energy_mj();

        public native @MemberGetter @Cast("int64_t") long clock_event_reasons();

        public native @MemberGetter int gpu_utilization_percent();

        public native @MemberGetter int memory_utilization_percent();

        public native @MemberGetter int power_mw();

        public native @MemberGetter int temperature_c();

        public native @MemberGetter int sm_clock_mhz();

        public native @MemberGetter @Cast("uint32_t") int valid();

        public native @MemberGetter @Cast("uint32_t") int unsupported();
    }

    /** Bits of {@code cmrp_nvml_sample.valid} / {@code .unsupported}, as in cmrprobe.h. */
    public static final int CMRP_NVML_GPU_UTILIZATION = 1 << 0;
    public static final int CMRP_NVML_MEMORY_UTILIZATION = 1 << 1;
    public static final int CMRP_NVML_MEMORY_USED = 1 << 2;
    public static final int CMRP_NVML_MEMORY_TOTAL = 1 << 3;
    public static final int CMRP_NVML_POWER = 1 << 4;
    public static final int CMRP_NVML_ENERGY = 1 << 5;
    public static final int CMRP_NVML_TEMPERATURE = 1 << 6;
    public static final int CMRP_NVML_SM_CLOCK = 1 << 7;
    public static final int CMRP_NVML_CLOCK_EVENT_REASONS = 1 << 8;
    public static final int CMRP_NVML_ALL_FIELDS = 0x1FF;

    public static native int cmrp_nvml_load(String library);

    public static native int cmrp_nvml_shutdown();

    public static native int cmrp_nvml_device_count(@Cast("int32_t*") int[] count);

    public static native int cmrp_nvml_device_name(int index, @Cast("char*") byte[] buffer, int capacity);

    public static native int cmrp_nvml_read(int index, cmrp_nvml_sample out);

    public static native @Cast("const char*") BytePointer cmrp_nvml_clock_event_reasons_call();
}
