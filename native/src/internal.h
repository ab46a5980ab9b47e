/*
 * Internal declarations shared by libcmrprobe's sources. Not part of the ABI; tests include it to reach the
 * pure parts (pool, ring, clock map) directly.
 */
#ifndef CMRP_INTERNAL_H
#define CMRP_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "cmrprobe.h"

#define CMRP_HIDDEN __attribute__((visibility("hidden")))

/* Number of elements of an array (not a pointer). */
#define CMRP_LENGTH(array) (sizeof(array) / sizeof((array)[0]))

/* ---- errors (common.c) ---------------------------------------------------------------------------------- */

/* Sets the calling thread's cmrp_last_error() text, printf-style, and returns -1 for `return cmrp_fail(...)`. */
CMRP_HIDDEN int cmrp_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

CMRP_HIDDEN void cmrp_clear_error(void);

/* ---- vendor runtimes loaded with dlopen (vendor_lib.c) --------------------------------------------------- */

/*
 * A backend's load that succeeds once per process and is then read without a lock (OpenCL, CUDA; NVML unloads
 * again and keeps its own reference-counted state in nvml_api.c).
 *
 * Ordering contract:
 *   1. load() runs under `lock` and writes the backend's API table with plain stores.
 *   2. When it returns 0, cmrp_vendor_load stores done = 1 with release, still under the lock.
 *   3. The acquire load of `done` (the fast path of cmrp_vendor_load, and cmrp_vendor_loaded) pairs with that
 *      store: a thread that reads 1 sees the whole table, which no one writes again.
 *   4. The re-check of `done` under the lock is relaxed: the mutex orders it after the store of step 2.
 * A failed load publishes nothing; the next call tries again.
 * Zero-initialise with .lock = PTHREAD_MUTEX_INITIALIZER.
 */
typedef struct cmrp_load_once {
    pthread_mutex_t lock;
    atomic_int done;
} cmrp_load_once;

/* Returns 0 at once when a load succeeded before, else runs load(arg) under the lock and returns its result
 * (0, or -1 with cmrp_fail text). Thread-safe; blocks while another thread is loading. */
CMRP_HIDDEN int cmrp_vendor_load(cmrp_load_once *once, int (*load)(const void *arg), const void *arg);
/* 1 once a load succeeded (acquire: the API table is then readable). Thread-safe, non-blocking. */
CMRP_HIDDEN int cmrp_vendor_loaded(cmrp_load_once *once);

/* One entry point of a vendor library and where its function pointer goes in the backend's API struct. */
typedef struct cmrp_vendor_symbol {
    const char *name;
    size_t offset; /* offsetof(api struct, field) */
    int optional;  /* 1: a library without it leaves the field NULL instead of failing the load */
} cmrp_vendor_symbol;

#define CMRP_REQUIRED_SYMBOL(api_type, field) {#field, offsetof(api_type, field), 0}
#define CMRP_OPTIONAL_SYMBOL(api_type, field) {#field, offsetof(api_type, field), 1}

/* How to open one vendor library and what to resolve in it. One static, immutable instance per library. */
typedef struct cmrp_vendor_lib {
    /* Start of the message when no name opens, followed by the name(s) and dlerror()'s texts:
     * "OpenCL unavailable: cannot load " gives "OpenCL unavailable: cannot load libOpenCL.so.1: <dlerror>". */
    const char *cannot_load;
    /* Start of the message for a missing required symbol, before "<library> has no symbol <name>: <dlerror>";
     * NULL for none. */
    const char *missing_symbol;
    const char *const *defaults; /* file names tried in order when the caller names none (at least one) */
    size_t default_count;
    const char *defaults_text;   /* the defaults as a failure names them; NULL: defaults[0] */
    const cmrp_vendor_symbol *symbols; /* NULL with symbol_count 0: opened only to be present (CUDA's driver) */
    size_t symbol_count;
} cmrp_vendor_lib;

/*
 * dlopen(library, RTLD_NOW | RTLD_LOCAL), or with library NULL the first of lib->defaults that opens, then
 * dlsym of every entry of lib->symbols into the struct at api. Returns the handle and sets *opened (unless NULL)
 * to the name that opened; on failure returns NULL, with nothing left open, after cmrp_fail naming the library and
 * dlerror()'s text of each try ("; "-separated), or the first missing required symbol. Call from a backend's
 * loader, under its lock: api is the loader's scratch table, published only when the whole load succeeded.
 * dlerror's state is per thread. Blocks while the dynamic loader works.
 */
CMRP_HIDDEN void *cmrp_vendor_open(const cmrp_vendor_lib *lib, const char *library, void *api, const char **opened);

/* ---- clock mapping (clockmap.c) --------------------------------------------------------------------------- */

/*
 * One calibration of a device clock against the host clock: at host time host_ns the device clock read
 * device_ns, give or take half_bracket_ns (+ resolution_ns of the device timer).
 */
typedef struct cmrp_anchor {
    int64_t host_ns;
    int64_t device_ns;
    int64_t half_bracket_ns;
    int64_t resolution_ns;
} cmrp_anchor;

/*
 * Device-to-host mapping from the latest anchor and the drift rate measured between the last two anchors.
 * Written only by the resolver thread (and creation, before the thread starts); read by the resolver only.
 */
typedef struct cmrp_clock_map {
    cmrp_anchor current;
    int has_previous;
    double drift;           /* host seconds per device second - 1, from the last two anchors */
    double drift_error;     /* bound on the error of drift */
} cmrp_clock_map;

/* Drift beyond this is not a clock but a broken calibration: it is ignored and widens the bound instead. */
#define CMRP_MAX_PLAUSIBLE_DRIFT 1e-3

CMRP_HIDDEN void cmrp_clock_map_init(cmrp_clock_map *map, const cmrp_anchor *first);
CMRP_HIDDEN void cmrp_clock_map_update(cmrp_clock_map *map, const cmrp_anchor *next);
/* Maps device_ns to the host clock; stores the error bound of the result in *bound_ns. */
CMRP_HIDDEN int64_t cmrp_clock_map_to_host(const cmrp_clock_map *map, int64_t device_ns, int64_t *bound_ns);
/* Keeps the tightest of several bracketed readings: the one with the smallest half bracket. */
CMRP_HIDDEN void cmrp_anchor_keep_best(cmrp_anchor *best, int *have_best, const cmrp_anchor *candidate);

/* ---- pool of in-flight marks (journal.c) ---------------------------------------------------------------- */

/* How a published slot learns that its marker is done (slot.completion). */
enum {
    CMRP_COMPLETION_POLL = 0,    /* no callback: the resolver thread polls the backend (CUDA; OpenCL fallback) */
    CMRP_COMPLETION_PENDING = 1, /* a completion callback is registered and has not run yet */
    CMRP_COMPLETION_DONE = 2,    /* the callback ran: done_device_raw / done_queued_raw hold the timestamps */
    CMRP_COMPLETION_ERROR = 3    /* the callback ran with an error: done_code / done_call say which */
};

struct cmrp_hub;

/*
 * One in-flight mark. `sequence` follows Vyukov's bounded queue: a slot is free for the producer claiming
 * position p when sequence == p, published (ready for the resolver) when sequence == p + 1, and handed back for
 * position p + capacity by the resolver. `completion` and the done_* fields are written by a completion
 * callback (any thread) and read after an acquire load of `completion` (journal.c, contract 6).
 */
typedef struct cmrp_slot {
    _Atomic uint64_t sequence;
    _Atomic int32_t completion; /* CMRP_COMPLETION_* */
    int32_t failed;             /* 1: enqueue failed, the resolver only frees the slot */
    void *event;                /* cl_event / cudaEvent_t; owned by the slot while published */
    void *queue;
    int64_t tag;
    int64_t host_enqueue_ns;    /* host clock around the enqueue (CUDA's queued time) */
    int64_t done_device_raw;    /* set by the completion callback before its release store of completion */
    int64_t done_queued_raw;
    int32_t done_code;
    int32_t done_call;          /* cmrp_call */
    struct cmrp_hub *hub;       /* the journal's hub, which outlives the slot array's last callback */
    int32_t pad;                /* backend scratch: pending polls / flush nudges of this marker */
} cmrp_slot;

/* The ring record of cmrprobe.h, as a struct (offsets asserted in journal.c). */
typedef struct cmrp_record {
    int64_t tag;
    int64_t device_ns;
    int64_t queued_ns;
    int64_t error_bound_ns;
} cmrp_record;

/* Single-producer single-consumer ring; head/tail on their own cache lines so producer and consumer do not
 * invalidate each other's line on every step. */
typedef struct cmrp_ring {
    _Alignas(64) _Atomic uint64_t head;   /* next position the producer writes; producer stores with release */
    _Alignas(64) _Atomic uint64_t tail;   /* next position the consumer reads; consumer stores with release */
    _Alignas(64) uint64_t mask;
    cmrp_record *records;
} cmrp_ring;

CMRP_HIDDEN int cmrp_ring_init(cmrp_ring *ring, uint32_t capacity);
CMRP_HIDDEN void cmrp_ring_free(cmrp_ring *ring);
/* Producer only. Returns 0, or -1 when full. */
CMRP_HIDDEN int cmrp_ring_offer(cmrp_ring *ring, const cmrp_record *record);
/* Consumer only. Copies up to max records into the column arrays (NULL columns skipped); returns the count and
 * the largest error bound seen. */
CMRP_HIDDEN int32_t cmrp_ring_poll(cmrp_ring *ring, int64_t *tags, int64_t *device_ns, int64_t *queued_ns,
                                   int32_t max, int64_t *max_bound);

typedef struct cmrp_pool {
    _Alignas(64) _Atomic uint64_t claim;     /* next position a producer claims (CAS) */
    _Alignas(64) _Atomic uint64_t resolve;   /* next position to resolve; the hub token holder writes */
    _Alignas(64) uint64_t mask;
    cmrp_slot *slots;
} cmrp_pool;

/* Event handles of resolved marks on their way to the resolver thread, which releases them (a driver's callback
 * thread must not: PoCL runs callbacks holding the event's lock). Single producer (token holder), single
 * consumer (resolver). */
typedef struct cmrp_release_queue {
    _Alignas(64) _Atomic uint64_t head;
    _Alignas(64) _Atomic uint64_t tail;
    _Alignas(64) uint64_t mask;
    void **events;
} cmrp_release_queue;

CMRP_HIDDEN int cmrp_pool_init(cmrp_pool *pool, uint32_t capacity);
CMRP_HIDDEN void cmrp_pool_free(cmrp_pool *pool);
/* Producers. Claims a slot, or returns NULL when all slots are in flight. *position receives the position. */
CMRP_HIDDEN cmrp_slot *cmrp_pool_claim(cmrp_pool *pool, uint64_t *position);
/* Producer that claimed position: makes the slot visible to the resolver (release). */
CMRP_HIDDEN void cmrp_pool_publish(cmrp_slot *slot, uint64_t position);
/* The slot at position if a producer has published it (acquire), else NULL. */
CMRP_HIDDEN cmrp_slot *cmrp_pool_published_at(cmrp_pool *pool, uint64_t position);
/* Resolving thread (the hub token holder). The oldest published slot, or NULL when the oldest claimed one is not
 * yet published (or none). */
CMRP_HIDDEN cmrp_slot *cmrp_pool_peek(cmrp_pool *pool);
/* Resolving thread. Frees the slot returned by the last peek for reuse and advances. */
CMRP_HIDDEN void cmrp_pool_release(cmrp_pool *pool, cmrp_slot *slot);

CMRP_HIDDEN int cmrp_is_valid_capacity(int32_t capacity);

/* ---- journal with backend operations (journal.c, opencl_journal.c, cuda_journal.c) ------------------------ */

/* Where a vendor error came from; names in journal.c. */
typedef enum cmrp_call {
    CMRP_CALL_NONE = 0,
    CMRP_CALL_UNATTACHED_QUEUE,
    CMRP_CALL_UNATTACHED_STREAM,
    CMRP_CALL_CL_ENQUEUE_MARKER,
    CMRP_CALL_CL_EVENT_STATUS,
    CMRP_CALL_CL_GET_EVENT_INFO,
    CMRP_CALL_CL_GET_PROFILING,
    CMRP_CALL_CL_CALIBRATE,
    CMRP_CALL_CL_SET_EVENT_CALLBACK,
    CMRP_CALL_CUDA_EVENT_RECORD,
    CMRP_CALL_CUDA_EVENT_QUERY,
    CMRP_CALL_CUDA_ELAPSED_TIME,
    CMRP_CALL_CUDA_CALIBRATE,
    CMRP_CALL_COUNT
} cmrp_call;

typedef enum cmrp_poll_result { CMRP_PENDING = 0, CMRP_DONE = 1, CMRP_ERROR = -1 } cmrp_poll_result;

#define CMRP_MAX_QUEUES 64

typedef struct cmrp_backend_ops {
    const char *name;
    /* Enqueues a marker for slot on queue; returns 0 or the vendor code, with *call naming the failing call. */
    int32_t (*enqueue)(cmrp_journal *j, cmrp_slot *slot, cmrp_call *call);
    /* Resolver thread: is the slot's marker done? On DONE fills raw device timestamps; on ERROR sets code and call. */
    cmrp_poll_result (*poll)(cmrp_journal *j, cmrp_slot *slot, int64_t *device_raw, int64_t *queued_raw,
                             int32_t *code, cmrp_call *call);
    /* Resolver thread: returns the slot's event to the vendor (OpenCL) or keeps it for reuse (CUDA). */
    void (*release)(cmrp_journal *j, cmrp_slot *slot);
    /* Resolver thread: releases an event handle taken out of its slot at resolution (OpenCL); NULL: the event
     * stays with its slot (CUDA) and release() is called at resolution instead. */
    void (*release_event)(void *event);
    /* Creation and resolver thread: one bracketed reading; returns 0 or the vendor code with *call. */
    int32_t (*calibrate)(cmrp_journal *j, cmrp_anchor *out, cmrp_call *call);
    /* Setup path: validates and retains queue; returns 0 or -1 with cmrp_fail text. */
    int (*attach)(cmrp_journal *j, void *queue);
    /* Resolver thread, once before its loop (CUDA: make the device current). */
    int32_t (*thread_init)(cmrp_journal *j, cmrp_call *call);
    /* Formats a vendor code ("CL_INVALID_COMMAND_QUEUE"), or NULL when unknown. */
    const char *(*code_name)(int32_t code);
    /* Marking thread, after publish: registers a completion callback for the slot's marker that ends in
     * cmrp_slot_complete(). Returns 0, or the vendor code with *call (the slot then stays in POLL mode). NULL:
     * the backend has no callbacks. */
    int32_t (*arm)(cmrp_journal *j, cmrp_slot *slot, cmrp_call *call);
    /* Resolver thread: the slot's callback is overdue; a non-blocking push (OpenCL: clFlush its queue). */
    void (*nudge)(cmrp_journal *j, cmrp_slot *slot);
    /* Destroy: releases backend state (queues, private queue, events). Resolver already stopped. */
    void (*destroy)(cmrp_journal *j);
    /* true when device timestamps need the clock map (OpenCL); false when they come out on the host clock. */
    int queued_is_device_clock;
    /* How a mark on a queue that is not attached is reported: the call it would have made and the vendor's code
     * for an invalid queue (CL_INVALID_COMMAND_QUEUE, cudaErrorInvalidResourceHandle). */
    cmrp_call unattached_call;
    int32_t unattached_code;
} cmrp_backend_ops;

struct cmrp_journal {
    const cmrp_backend_ops *ops;
    cmrp_pool pool;
    cmrp_ring ring;
    cmrp_release_queue released;
    _Atomic int32_t releasing; /* 1 while the resolver or a drain empties `released` (one at a time) */

    _Alignas(64) _Atomic int64_t enqueue_failed; /* marked = pool.claim - enqueue_failed (see cmrp_journal_marked) */
    _Atomic int64_t dropped;
    _Atomic int64_t failed;
    _Alignas(64) _Atomic int64_t resolved;
    _Atomic int64_t anchors;
    _Atomic int64_t anchor_error_ns;
    /* Last vendor error packed as (call << 32) | (uint32) code; 0 = none. One word, so writers never lock. */
    _Atomic uint64_t last_error;

    /* Queues allowed in mark: written under setup_lock, count published with release, read with acquire. */
    void *_Atomic queues[CMRP_MAX_QUEUES];
    _Atomic int32_t queue_count;
    pthread_mutex_t setup_lock;

    /* Resolver thread; clock is written by the resolver and read by the hub token holder, both under the token. */
    cmrp_clock_map clock;
    int64_t reanchor_interval_ns;
    int64_t next_anchor_ns;
    pthread_t resolver;
    int resolver_started;
    _Atomic int32_t stop;
    /* 1 while marks register completion callbacks; cleared (relaxed) after a registration fails. */
    _Atomic int32_t callbacks_on;
    struct cmrp_hub *hub;

    void *backend;   /* cmrp_opencl_state or cmrp_cuda_state */
};

/* Shared creation: validates sizes, allocates pool and ring, first calibration; the backend's attach and state
 * must be set up by the caller in between cmrp_journal_alloc and cmrp_journal_start. */
CMRP_HIDDEN int cmrp_journal_alloc(const cmrp_backend_ops *ops, int32_t pool_size, int32_t ring_capacity,
                                   int64_t reanchor_interval_ns, cmrp_journal **out);
CMRP_HIDDEN int cmrp_journal_start(cmrp_journal *j);
CMRP_HIDDEN void cmrp_journal_record_error(cmrp_journal *j, cmrp_call call, int32_t code);
/* One resolver pass: moves every done slot into the ring in order, frees its slot, then releases the events of
 * resolved marks; returns how many slots and events were finished. Resolver thread only. */
CMRP_HIDDEN int cmrp_journal_resolve_pass(cmrp_journal *j);
CMRP_HIDDEN int cmrp_journal_calibrate(cmrp_journal *j, int rounds);

/*
 * Completion callback's hand-off (any thread, never blocks): stores the slot's outcome (state DONE with raw
 * device/queued times, or ERROR with code and call), moves done slots into the ring if no other thread is doing
 * so, and drops the callback's reference on the hub. Must be the callback's last touch of slot and journal.
 */
CMRP_HIDDEN void cmrp_slot_complete(cmrp_slot *slot, int32_t state, int64_t device_raw, int64_t queued_raw,
                                    int32_t code, cmrp_call call);
/* Completion callback: true once the journal is being destroyed (the outcome is then not wanted). */
CMRP_HIDDEN int cmrp_slot_abandoned(const cmrp_slot *slot);
/* Tests: 1 while marks register completion callbacks, 0 once the journal fell back to polling. */
CMRP_HIDDEN int cmrp_journal_callbacks_on(const cmrp_journal *j);

/* Name of every journal's resolver thread (at most 15 characters). */
#define CMRP_RESOLVER_THREAD_NAME "cmrp-resolver"

/* Calibration rounds at creation and at each re-anchor. */
#define CMRP_CALIBRATION_ROUNDS 7
#define CMRP_DEFAULT_REANCHOR_NS 1000000000LL
#define CMRP_BACKOFF_MIN_NS 20000LL
#define CMRP_BACKOFF_MAX_NS 2000000LL
/* The polling resolver's longest sleep. Each wake-up costs ~10 us of CPU on a VM (timer, two context switches),
 * so 500 idle wake-ups a second would cost 0.5% of a core; at 100 a second a pool of 1024 still cannot fill
 * between two polls below ~100,000 marks a second. */
#define CMRP_POLL_BACKOFF_MAX_NS 10000000LL
/* The polling resolver returns to CMRP_BACKOFF_MIN_NS while at least 1/CMRP_PRESSURE_DIVISOR of the pool is in
 * flight. */
#define CMRP_PRESSURE_DIVISOR 4
/* Resolver waits this long for a callback before flushing the head marker's queue (once per marker). */
#define CMRP_NUDGE_AFTER_NS 2000000LL
/* Callbacks wake the resolver to release event handles once per this many. */
#define CMRP_RELEASE_BATCH 64

#endif
