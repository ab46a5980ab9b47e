/*
 * cmrprobe.h: the C ABI of libcmrprobe, and the only header the Java binding (JavaCPP) reads.
 *
 * libcmrprobe timestamps device work without blocking the thread that submits it. It loads vendor runtimes with
 * dlopen only (OpenCL: libOpenCL.so.1; CUDA: libcuda.so.1 plus libcudart.so.13/.12/.11), so it loads on any
 * Linux machine and says exactly which library is missing.
 *
 * Conventions (after Aeron's C client):
 *   1. Every symbol starts with cmrp_ / CMRP_.
 *   2. Functions return 0 on success and -1 on failure, with results in out-parameters; functions that return a
 *      count return it (>= 0) or -1. On -1, cmrp_last_error() holds a message for the calling thread.
 *   3. Every function states whether it is thread-safe and whether it blocks.
 *   4. Times are int64 nanoseconds. "Host clock" is CLOCK_MONOTONIC, the clock Java's System.nanoTime reads on
 *      Linux, so host-clock values compare directly with System.nanoTime.
 *   5. Nothing here throws, aborts or prints. Vendor errors become counters and error text.
 *
 * Sections: common, OpenCL, CUDA, NVML (cmrp_nvml_*: shares only the common section), device timeline journal.
 */
#ifndef CMRPROBE_H
#define CMRPROBE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CMRP_EXPORT __attribute__((visibility("default")))
#else
#define CMRP_EXPORT
#endif

/* ------------------------------------------------------------------------------------------------------------ */
/* Common                                                                                                        */
/* ------------------------------------------------------------------------------------------------------------ */

/* Version of this ABI: major * 10000 + minor * 100 + patch. Thread-safe, non-blocking. */
#define CMRP_VERSION 100
CMRP_EXPORT int32_t cmrp_version(void);

/*
 * The message of the last failed cmrp_* call on the calling thread ("" if none). The string lives in
 * thread-local storage and stays valid until the next cmrp_* call on the same thread. Thread-safe, non-blocking.
 */
CMRP_EXPORT const char *cmrp_last_error(void);

/* CLOCK_MONOTONIC now, in nanoseconds (equal to Java's System.nanoTime on Linux). Thread-safe, non-blocking. */
CMRP_EXPORT int64_t cmrp_host_now_ns(void);

/*
 * Whether a shared library can be loaded: dlopen(library), then dlclose. On failure the message names the library
 * and carries dlerror()'s text. For reporting a backend's availability (e.g. "libnvidia-ml.so.1") before its own
 * section exists. Thread-safe; blocks while the dynamic loader works.
 */
CMRP_EXPORT int cmrp_probe_library(const char *library);

/* ------------------------------------------------------------------------------------------------------------ */
/* OpenCL runtime                                                                                                */
/* ------------------------------------------------------------------------------------------------------------ */

/*
 * Loads the OpenCL ICD loader with dlopen and resolves the entry points the journal uses. library: a file name or
 * path, or NULL for "libOpenCL.so.1". Idempotent: once a load succeeded, later calls return 0 whatever the
 * argument. On failure the message names the library and carries dlerror()'s text, or names the missing symbol.
 * Thread-safe (serialised by a mutex); blocks while the dynamic loader works (milliseconds).
 */
CMRP_EXPORT int cmrp_opencl_load(const char *library);

/*
 * Counts OpenCL platforms (clGetPlatformIDs) into *platforms after loading the runtime with the default library.
 * Returns -1 when the runtime cannot be loaded or the call fails; zero platforms is success with *platforms = 0.
 * Thread-safe; blocks while the ICD loader enumerates vendors (milliseconds on first call).
 */
CMRP_EXPORT int cmrp_opencl_platform_count(int32_t *platforms);

/* ------------------------------------------------------------------------------------------------------------ */
/* CUDA runtime                                                                                                  */
/* ------------------------------------------------------------------------------------------------------------ */

/*
 * Loads CUDA with dlopen: first the driver library (driver, or NULL for "libcuda.so.1"), which the runtime
 * cannot work without, then the runtime (runtime, or NULL to try libcudart.so.13, .12, .11 in that order), and
 * resolves the runtime entry points. On failure the message names the first library that is missing, with
 * dlerror()'s text. Idempotent once successful. Thread-safe (mutex); blocks while the dynamic loader works.
 */
CMRP_EXPORT int cmrp_cuda_load(const char *driver, const char *runtime);

/* ------------------------------------------------------------------------------------------------------------ */
/* NVML (NVIDIA Management Library): per-GPU resource gauges                                                     */
/* ------------------------------------------------------------------------------------------------------------ */

/*
 * libnvidia-ml.so.1 is loaded with dlopen and initialised (nvmlInit_v2) by cmrp_nvml_load and released by the
 * matching cmrp_nvml_shutdown; loads are counted, so that each sampler (one per GPU) holds its own reference and
 * the last shutdown calls nvmlShutdown and unloads the library. NVML queries go to the kernel driver and block
 * for microseconds to a few milliseconds (longer while a GPU is being reset or has fallen off the bus): they
 * belong on a sampler thread, never on a thread that records.
 *
 * A gauge the device does not support (NVML_ERROR_NOT_SUPPORTED) is absent from the sample, not a failure.
 */

/* Bits of cmrp_nvml_sample.valid and .unsupported, one per gauge. */
#define CMRP_NVML_GPU_UTILIZATION (1u << 0)    /* nvmlDeviceGetUtilizationRates .gpu */
#define CMRP_NVML_MEMORY_UTILIZATION (1u << 1) /* nvmlDeviceGetUtilizationRates .memory */
#define CMRP_NVML_MEMORY_USED (1u << 2)        /* nvmlDeviceGetMemoryInfo .used */
#define CMRP_NVML_MEMORY_TOTAL (1u << 3)       /* nvmlDeviceGetMemoryInfo .total */
#define CMRP_NVML_POWER (1u << 4)              /* nvmlDeviceGetPowerUsage */
#define CMRP_NVML_ENERGY (1u << 5)             /* nvmlDeviceGetTotalEnergyConsumption */
#define CMRP_NVML_TEMPERATURE (1u << 6)        /* nvmlDeviceGetTemperature(NVML_TEMPERATURE_GPU) */
#define CMRP_NVML_SM_CLOCK (1u << 7)           /* nvmlDeviceGetClockInfo(NVML_CLOCK_SM) */
#define CMRP_NVML_CLOCK_EVENT_REASONS (1u << 8) /* nvmlDeviceGetCurrentClocksEventReasons */
#define CMRP_NVML_ALL_FIELDS 0x1FFu

/*
 * One reading of one GPU. A field holds a value only when its bit is set in valid; otherwise it is 0 and its bit
 * is set in unsupported when the device answered NVML_ERROR_NOT_SUPPORTED (absent for good), or clear when the
 * query failed (absent this time; see cmrp_last_error()).
 */
typedef struct cmrp_nvml_sample {
    int64_t memory_used_bytes;
    int64_t memory_total_bytes;
    int64_t energy_mj;                  /* total energy since the driver was loaded, millijoules */
    int64_t clock_event_reasons;        /* nvmlClocksEventReason* bitmask (GpuIdle 0x1 ... DisplayClockSetting 0x100) */
    int32_t gpu_utilization_percent;    /* 0..100 over NVML's last sample period */
    int32_t memory_utilization_percent; /* share of that period the memory was read or written, 0..100 */
    int32_t power_mw;                   /* board power draw, milliwatts */
    int32_t temperature_c;              /* GPU core, degrees Celsius */
    int32_t sm_clock_mhz;
    uint32_t valid;                     /* CMRP_NVML_* bits of the fields read */
    uint32_t unsupported;               /* CMRP_NVML_* bits the device does not support */
    int32_t reserved;                   /* 0; pads the struct to 64 bytes */
} cmrp_nvml_sample;

/*
 * Loads NVML with dlopen (library: a file name or path, or NULL for "libnvidia-ml.so.1"), resolves its entry
 * points and calls nvmlInit_v2; each successful call takes one reference, released by cmrp_nvml_shutdown. Clock
 * event reasons come from nvmlDeviceGetCurrentClocksEventReasons, or on drivers older than 535 from
 * nvmlDeviceGetCurrentClocksThrottleReasons. While loaded, a call naming a different library fails (one NVML per
 * process). On failure nothing stays loaded and the message names the library with dlerror()'s text, the missing
 * symbol, or nvmlInit_v2's error ("nvmlInit_v2 failed: Driver Not Loaded (9)").
 * Thread-safe (mutex); blocks while the dynamic loader works and NVML initialises (can take a second or more
 * when the driver has to bring up idle GPUs).
 */
CMRP_EXPORT int cmrp_nvml_load(const char *library);

/*
 * Releases one reference taken by cmrp_nvml_load; the last one calls nvmlShutdown and unloads the library.
 * Returns -1 when NVML is not loaded. Thread-safe (mutex); no other cmrp_nvml_* call may be running or follow on
 * behalf of the released reference. Blocks in nvmlShutdown.
 */
CMRP_EXPORT int cmrp_nvml_shutdown(void);

/* Number of GPUs NVML can see (nvmlDeviceGetCount_v2) into *count. Requires a load. Thread-safe; blocks briefly
 * in the driver. */
CMRP_EXPORT int cmrp_nvml_device_count(int32_t *count);

/* Name of GPU index (nvmlDeviceGetName) into buf, NUL-terminated and truncated to capacity. Requires a load.
 * Thread-safe; blocks briefly in the driver. */
CMRP_EXPORT int cmrp_nvml_device_name(int32_t index, char *buf, int32_t capacity);

/*
 * Reads every gauge of GPU index into *out (see cmrp_nvml_sample for what valid and unsupported mean). Returns 0
 * when every field was read or is unsupported; -1 when the device handle could not be obtained (out->valid = 0)
 * or some query failed with another error: the fields read are still filled in, and cmrp_last_error() names the
 * first failed call with NVML's error text and code. Requires a load.
 * Thread-safe as far as NVML is (it is); meant for one sampler thread per GPU. Blocks in the driver for nine
 * queries: microseconds to milliseconds each. Never allocates.
 */
CMRP_EXPORT int cmrp_nvml_read(int32_t index, cmrp_nvml_sample *out);

/* Name of the clock-event-reasons entry point resolved by the load ("nvmlDeviceGetCurrentClocksEventReasons" or
 * "nvmlDeviceGetCurrentClocksThrottleReasons"), or NULL when not loaded. Thread-safe, non-blocking. */
CMRP_EXPORT const char *cmrp_nvml_clock_event_reasons_call(void);

/* ------------------------------------------------------------------------------------------------------------ */
/* Device timeline journal                                                                                       */
/* ------------------------------------------------------------------------------------------------------------ */

/*
 * A journal timestamps points in a device's command stream ("marks"). cmrp_journal_mark() enqueues a marker
 * behind the work already submitted to a queue (OpenCL) or stream (CUDA) and returns at once.
 *
 * OpenCL: mark also registers a completion callback on the marker (clSetEventCallback). When the device reaches
 * the marker, the driver calls it on one of its threads; the callback reads the marker's timestamps, maps them
 * onto the host clock and appends the record to the ring of resolved marks itself, without blocking (if another
 * thread is appending at that moment, that thread takes the record over). A native resolver thread owned by the
 * journal releases the events of resolved marks and returns their slots to the pool, re-anchors the clock, and
 * flushes the queue of a marker whose callback is overdue (2 ms).
 * CUDA, and OpenCL when clSetEventCallback is missing or refused: the resolver thread polls the oldest pending
 * marker with exponential backoff (20 us growing to 10 ms, never a hot spin) and appends its record.
 * cmrp_journal_drain() copies records out. The resolver thread is named "cmrp-resolver" (top -H, /proc/<pid>/task).
 *
 *   mark (any thread)        callback (driver thread) or        resolver thread (one)     drain (one thread)
 *                            resolver (polling backends)
 *   -----------------        ---------------------------        ---------------------     ------------------
 *   claim pool slot  ──────> oldest done slots, in order  ───>  release events, free ──>  copy ring records
 *   (full: drop, count)      into the ring (ring full: leave    slots (soon after;        into caller arrays
 *   vendor enqueue           them; the pool then fills and      at once when half the     (no allocation)
 *   (error: fail, count)     marks are dropped, counted)        pool waits)
 *
 * Pool: a bounded multi-producer queue of pool_size slots (one marker event each, in flight). A full pool drops
 * the mark and counts it; mark never waits. A slot is in flight from mark until the resolver recycles it, a
 * little after its record reached the ring. Slots resolve in the order they were claimed, so a slow queue
 * delays the resolution (not the timestamps) of marks on faster queues.
 *
 * Ring of resolved marks: one producer at a time (whoever holds the journal's internal token: a callback or the
 * resolver), single consumer (drain), ring_capacity records of 32 bytes:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +---------------------------------------------------------------+
 *   |                          tag (int64)                          |  the caller's tag, verbatim
 *   |                                                               |
 *   +---------------------------------------------------------------+
 *   |                    device_ns (int64, host clock)              |  when the device reached the mark
 *   |                                                               |
 *   +---------------------------------------------------------------+
 *   |                    queued_ns (int64, host clock)              |  when the host enqueued the mark
 *   |                                                               |
 *   +---------------------------------------------------------------+
 *   |                    error_bound_ns (int64)                     |  |true - device_ns| <= this
 *   |                                                               |
 *   +---------------------------------------------------------------+
 *
 * Timestamps: OpenCL marks report the marker's CL_PROFILING_COMMAND_START as device_ns (a marker starts only
 * after every command enqueued before it has completed, and START excludes the marker's own completion
 * bookkeeping) and CL_PROFILING_COMMAND_QUEUED as queued_ns. CUDA marks report the event's time (by
 * cudaEventElapsedTime from a reference event) as device_ns and the host clock read in cmrp_journal_mark as
 * queued_ns.
 *
 * Clock mapping: the device clock is anchored to the host clock by a bracketing read on a private queue/stream
 * of the same device (host read, marker, host read; the tightest of several rounds), at creation and then every
 * reanchor_interval_ns on the resolver thread. Between anchors the drift rate measured across the last two
 * anchors is applied. error_bound_ns = half the anchor's bracket + timer resolution + the drift-rate
 * uncertainty times the distance from the anchor.
 *
 * Errors: an enqueue the vendor rejects, or a marker that completes with an error status, counts as failed and
 * leaves the call and error code in cmrp_journal_last_error(). A queue that was not attached is refused before
 * it reaches the driver (a dangling or foreign handle would crash inside the vendor's ICD dispatch) and also
 * counts as failed.
 */
typedef struct cmrp_journal cmrp_journal;

/* Size of one ring record in bytes (see the picture above) and the offsets of its fields. */
#define CMRP_RECORD_BYTES 32
#define CMRP_RECORD_TAG_OFFSET 0
#define CMRP_RECORD_DEVICE_NS_OFFSET 8
#define CMRP_RECORD_QUEUED_NS_OFFSET 16
#define CMRP_RECORD_ERROR_BOUND_OFFSET 24

/* Limits of the sizes passed to the create functions; both must be powers of two. */
#define CMRP_MIN_CAPACITY 2
#define CMRP_MAX_CAPACITY 65536

/*
 * How an OpenCL journal learns that a marker has completed (the resolve argument of cmrp_opencl_journal_create).
 * Both keep cmrp_journal_mark lock-free and never block the caller on the journal; they differ in what runs
 * beside the caller's thread and in how soon a mark reaches the ring.
 *
 * CMRP_RESOLVE_POLL: the journal's resolver thread asks the driver for the oldest marker's status
 *   (clGetEventInfo) and sleeps between polls, 20 µs doubling to 10 ms, back to 20 µs only while a quarter of
 *   the pool is in flight (timestamps do not age; fast polling only keeps the pool from filling). Nothing of the
 *   journal runs on the driver's threads; the mark call costs the enqueue plus a few atomics. Left to the
 *   resolver, a mark reaches the ring up to about 10 ms after the device passed it; cmrp_journal_drain also
 *   polls, so a consumer that drains gets marks as soon as it asks.
 * CMRP_RESOLVE_CALLBACK: cmrp_journal_mark also registers clSetEventCallback(CL_COMPLETE) on the marker; the
 *   callback, on a driver thread, stores the marker's times and resolves it at once (the ring write is guarded
 *   by a try-lock that is never waited on). A mark reaches the ring as soon as the driver runs its callback, but
 *   the callbacks and the resolver's event releases run concurrently with the caller's enqueues, and on PoCL
 *   they contend on the driver's internal locks: the caller's mark call then costs several times the bare
 *   enqueue (see benchmarks/README.md, marks). A loader without clSetEventCallback, or a registration that
 *   fails, falls back to CMRP_RESOLVE_POLL for the rest of the journal's life.
 */
#define CMRP_RESOLVE_POLL 1
#define CMRP_RESOLVE_CALLBACK 2

/*
 * Creates an OpenCL journal for the device of queue (a cl_command_queue created with CL_QUEUE_PROFILING_ENABLE),
 * attaches that queue, calibrates the clock and starts the resolver thread. pool_size and ring_capacity: powers
 * of two in [CMRP_MIN_CAPACITY, CMRP_MAX_CAPACITY]; reanchor_interval_ns: > 0, or 0 for one second; resolve:
 * CMRP_RESOLVE_POLL or CMRP_RESOLVE_CALLBACK (see above; anything else is refused, naming the argument). Loads
 * the runtime with the default library if cmrp_opencl_load() was not called. *out is set only on success.
 * Thread-safe; blocks for the calibration (a few markers on a private queue: milliseconds).
 */
CMRP_EXPORT int cmrp_opencl_journal_create(void *queue, int32_t pool_size, int32_t ring_capacity,
                                           int64_t reanchor_interval_ns, int32_t resolve, cmrp_journal **out);

/*
 * Creates a CUDA journal for device (a CUDA device ordinal): creates pool_size timing events and a private
 * calibration stream on it, calibrates and starts the resolver thread. The default stream (NULL) is attached.
 * Same sizes as above. Thread-safe; blocks for the calibration (an event synchronize on the private stream).
 */
CMRP_EXPORT int cmrp_cuda_journal_create(int32_t device, int32_t pool_size, int32_t ring_capacity,
                                         int64_t reanchor_interval_ns, cmrp_journal **out);

/*
 * Allows marks on queue (OpenCL: must belong to the journal's device and have profiling enabled; CUDA: a stream
 * of the journal's device). Up to 64 queues per journal; attaching one twice is a no-op. The journal keeps a
 * reference (OpenCL: clRetainCommandQueue) until destroyed.
 * Thread-safe (serialised by the journal's setup mutex, which mark never takes); non-blocking apart from
 * vendor queries.
 */
CMRP_EXPORT int cmrp_journal_attach(cmrp_journal *journal, void *queue);

/*
 * Enqueues a marker carrying tag on queue and returns without waiting for the device. Returns 0 when enqueued;
 * -1 when the mark was dropped (pool full: cmrp_journal_dropped) or failed (vendor error or unattached queue:
 * cmrp_journal_failed, cmrp_journal_last_error). Unlike setup calls, a -1 here does not set cmrp_last_error(),
 * so that the hot path never formats text.
 * Thread-safe (lock-free slot claim); never blocks in libcmrprobe, never allocates; the vendor enqueue itself
 * takes the driver's queue lock, and OpenCL's clSetEventCallback the event's lock (and allocates inside the
 * driver). If the marker is already complete, the driver may run the callback right there, on this thread.
 */
CMRP_EXPORT int cmrp_journal_mark(cmrp_journal *journal, void *queue, int64_t tag);

/*
 * Moves up to capacity resolved marks, oldest first, into the caller's arrays (tags, device_ns, queued_ns; any
 * may be NULL to skip that column) and stores the largest error bound of the moved marks in *error_bound_ns
 * (0 if none moved; may be NULL). Returns the number moved, or -1 on a NULL journal or negative capacity.
 * Before copying, drain resolves on the calling thread the polled marks the driver reports complete by now
 * (clGetEventInfo / cudaEventQuery and the timestamp queries; never a wait), then releases the event handles of
 * resolved marks (OpenCL), each unless another thread is doing it at that moment: a consumer that drains often
 * gets each mark as soon as the device passed it.
 * Not thread-safe against another drain of the same journal (single consumer); safe against mark and the
 * resolver and the callbacks that append records. Never blocks in libcmrprobe (the driver's queries take its
 * own locks briefly), never allocates.
 */
CMRP_EXPORT int32_t cmrp_journal_drain(cmrp_journal *journal, int64_t *tags, int64_t *device_ns, int64_t *queued_ns,
                                       int32_t capacity, int64_t *error_bound_ns);

/* Counters, each monotonic since creation. Thread-safe (relaxed atomic loads), non-blocking. */
CMRP_EXPORT int64_t cmrp_journal_marked(const cmrp_journal *journal);   /* enqueued successfully (a mark inside its
                                                                          enqueue call already counts) */
CMRP_EXPORT int64_t cmrp_journal_resolved(const cmrp_journal *journal); /* appended to the ring */
CMRP_EXPORT int64_t cmrp_journal_dropped(const cmrp_journal *journal);  /* pool full */
CMRP_EXPORT int64_t cmrp_journal_failed(const cmrp_journal *journal);   /* vendor error, unattached queue */
CMRP_EXPORT int64_t cmrp_journal_anchors(const cmrp_journal *journal);  /* successful clock calibrations */

/* Error bound of the current clock anchor alone (half its bracket plus timer resolution). Thread-safe. */
CMRP_EXPORT int64_t cmrp_journal_anchor_error_ns(const cmrp_journal *journal);

/*
 * Writes the journal's most recent vendor error ("<call> failed: <NAME> (<code>)" plus context) into buf
 * (NUL-terminated, truncated to capacity) and returns its length, or 0 when no error happened (buf[0] = 0).
 * Thread-safe: the error is kept as one packed atomic word (call, code), formatted here. Non-blocking.
 */
CMRP_EXPORT int32_t cmrp_journal_last_error(const cmrp_journal *journal, char *buf, int32_t capacity);

/* "opencl" or "cuda". Thread-safe, non-blocking. */
CMRP_EXPORT const char *cmrp_journal_backend(const cmrp_journal *journal);

/*
 * Stops the resolver thread, releases pending events, detached queues and the private calibration queue/stream,
 * and frees the journal. Marks still pending are discarded: their callbacks, which OpenCL still calls later, find
 * the journal closed and touch only a small block that the last of them frees. NULL is a no-op. Not
 * thread-safe: no other call on this journal may run concurrently or follow. Blocks until the resolver thread
 * has exited (it is woken at once; at most the round it is in) and until a callback that is appending
 * records at that moment has finished (bounded, non-blocking work); it never waits for the device.
 */
CMRP_EXPORT void cmrp_journal_destroy(cmrp_journal *journal);

#ifdef __cplusplus
}
#endif

#endif /* CMRPROBE_H */
