/*
 * The backend-neutral journal: pool of in-flight marks (multi-producer), ring of resolved marks (SPSC), the
 * completion hub, the resolver thread, counters and the packed last error.
 *
 * Who writes what. A mark moves through three stages, each with one writer at a time:
 *   publish   the marking thread (any of several: the pool's claim is multi-producer);
 *   complete  OpenCL: the marker's completion callback, on whatever thread the driver calls it from, in any order
 *             across slots; CUDA and the OpenCL fallback: nobody (the resolver polls instead);
 *   resolve   moving done slots into the ring and handing the slots back to producers, strictly in pool order:
 *             whoever holds the hub's token, which is a completion callback, the resolver thread or a drain
 *             (a try-lock: a callback or drain that finds it taken leaves the work to the holder and never
 *             waits; see hub_kick). An OpenCL event handle leaves its slot here, into the release queue;
 *   release   clReleaseEvent on those handles: the resolver thread or a drain, one at a time (the `releasing`
 *             flag, a try-lock; PoCL runs callbacks holding the event's lock, so a callback must not release
 *             events).
 *
 * Memory order, writer -> reader pairs:
 *   1. mark (producer) fills a claimed slot, then stores slot.sequence = position + 1 with release; the token
 *      holder loads it with acquire before reading the slot.
 *   2. the token holder finishes with a slot, then stores slot.sequence = position + capacity with release; a
 *      producer's acquire load of the sequence sees the slot free only after the token holder is done with it.
 *   3. the token holder writes a ring record, then stores ring.head with release; drain loads head with acquire.
 *      The ring stays single-producer: only the token holder offers.
 *   4. drain copies records out, then stores ring.tail with release; the token holder loads tail with acquire
 *      before overwriting a record.
 *   5. attach writes queues[n], then stores queue_count = n + 1 with release; mark loads it with acquire.
 *   6. a completion callback writes slot.done_*, then stores slot.completion = DONE / ERROR with release; the
 *      token holder loads completion with acquire before reading done_*. The marking thread sets completion
 *      (PENDING or POLL) before its publish (pair 1), and back to POLL with release if registration fails.
 *   7. the token holder writes an event handle into the release queue, then stores released.head with release;
 *      the resolver loads it with acquire before reading the handle, and stores released.tail with release
 *      after; the token holder loads tail with acquire before overwriting an entry. Full queue: like a full
 *      ring, the token holder stops (the pool fills, marks drop and count).
 *   8. hub.token: exchange(1) acquires, store(0) releases, so token holders see each other's ring, clock and
 *      cursor writes. Token, kicks and the holder's re-check of kicks are seq_cst (a Dekker pair): a callback
 *      that bumps kicks after the holder's last check finds the token free and takes it, so no done slot is
 *      left waiting for the resolver's timer.
 *   9. hub.refs: the journal holds one reference and every registered callback one (added by the marking thread
 *      before registering); the last release frees the hub and the slot array, so a callback that runs after
 *      destroy still writes into live memory. Destroy takes the token for good first, so no callback touches
 *      the journal, its ring or its clock after destroy.
 *   Counters are statistics only: relaxed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

_Static_assert(sizeof(cmrp_record) == CMRP_RECORD_BYTES, "ring record must match cmrprobe.h");
_Static_assert(offsetof(cmrp_record, tag) == CMRP_RECORD_TAG_OFFSET, "tag offset");
_Static_assert(offsetof(cmrp_record, device_ns) == CMRP_RECORD_DEVICE_NS_OFFSET, "device_ns offset");
_Static_assert(offsetof(cmrp_record, queued_ns) == CMRP_RECORD_QUEUED_NS_OFFSET, "queued_ns offset");
_Static_assert(offsetof(cmrp_record, error_bound_ns) == CMRP_RECORD_ERROR_BOUND_OFFSET, "error bound offset");

int cmrp_is_valid_capacity(int32_t capacity) {
    return capacity >= CMRP_MIN_CAPACITY && capacity <= CMRP_MAX_CAPACITY && (capacity & (capacity - 1)) == 0;
}

/* ---- ring ------------------------------------------------------------------------------------------------- */

int cmrp_ring_init(cmrp_ring *ring, uint32_t capacity) {
    ring->records = calloc(capacity, sizeof(cmrp_record));
    if (!ring->records) {
        return cmrp_fail("cannot allocate %u ring records", capacity);
    }
    ring->mask = capacity - 1;
    atomic_init(&ring->head, 0);
    atomic_init(&ring->tail, 0);
    return 0;
}

void cmrp_ring_free(cmrp_ring *ring) {
    free(ring->records);
    ring->records = NULL;
}

int cmrp_ring_offer(cmrp_ring *ring, const cmrp_record *record) {
    uint64_t head = atomic_load_explicit(&ring->head, memory_order_relaxed); /* own variable */
    uint64_t tail = atomic_load_explicit(&ring->tail, memory_order_acquire); /* pairs with drain's release */
    if (head - tail > ring->mask) {
        return -1;
    }
    ring->records[head & ring->mask] = *record;
    atomic_store_explicit(&ring->head, head + 1, memory_order_release);
    return 0;
}

int32_t cmrp_ring_poll(cmrp_ring *ring, int64_t *tags, int64_t *device_ns, int64_t *queued_ns, int32_t max,
                       int64_t *max_bound) {
    uint64_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);
    uint64_t head = atomic_load_explicit(&ring->head, memory_order_acquire);
    uint64_t available = head - tail;
    int32_t n = available < (uint64_t)max ? (int32_t)available : max;
    int64_t bound = 0;
    for (int32_t i = 0; i < n; i++) {
        const cmrp_record *r = &ring->records[(tail + (uint64_t)i) & ring->mask];
        if (tags) tags[i] = r->tag;
        if (device_ns) device_ns[i] = r->device_ns;
        if (queued_ns) queued_ns[i] = r->queued_ns;
        if (r->error_bound_ns > bound) bound = r->error_bound_ns;
    }
    atomic_store_explicit(&ring->tail, tail + (uint64_t)n, memory_order_release);
    if (max_bound) *max_bound = bound;
    return n;
}

/* ---- pool ------------------------------------------------------------------------------------------------- */

int cmrp_pool_init(cmrp_pool *pool, uint32_t capacity) {
    pool->slots = calloc(capacity, sizeof(cmrp_slot));
    if (!pool->slots) {
        return cmrp_fail("cannot allocate %u pool slots", capacity);
    }
    for (uint32_t i = 0; i < capacity; i++) {
        atomic_init(&pool->slots[i].sequence, i);
    }
    pool->mask = capacity - 1;
    atomic_init(&pool->claim, 0);
    atomic_init(&pool->resolve, 0);
    return 0;
}

void cmrp_pool_free(cmrp_pool *pool) {
    free(pool->slots);
    pool->slots = NULL;
}

cmrp_slot *cmrp_pool_claim(cmrp_pool *pool, uint64_t *position) {
    uint64_t pos = atomic_load_explicit(&pool->claim, memory_order_relaxed);
    for (;;) {
        cmrp_slot *slot = &pool->slots[pos & pool->mask];
        uint64_t seq = atomic_load_explicit(&slot->sequence, memory_order_acquire);
        int64_t diff = (int64_t)(seq - pos);
        if (diff == 0) {
            /* Free for this position: race other producers for it. A failed CAS reloads pos and retries; this
             * loop is lock-free (some producer always wins), and it never waits for the resolver. */
            if (atomic_compare_exchange_weak_explicit(&pool->claim, &pos, pos + 1, memory_order_relaxed,
                                                      memory_order_relaxed)) {
                *position = pos;
                return slot;
            }
        } else if (diff < 0) {
            /* The slot still holds the mark from one lap ago: every slot is in flight. */
            return NULL;
        } else {
            pos = atomic_load_explicit(&pool->claim, memory_order_relaxed);
        }
    }
}

void cmrp_pool_publish(cmrp_slot *slot, uint64_t position) {
    atomic_store_explicit(&slot->sequence, position + 1, memory_order_release);
}

cmrp_slot *cmrp_pool_published_at(cmrp_pool *pool, uint64_t position) {
    cmrp_slot *slot = &pool->slots[position & pool->mask];
    uint64_t seq = atomic_load_explicit(&slot->sequence, memory_order_acquire);
    return seq == position + 1 ? slot : NULL;
}

cmrp_slot *cmrp_pool_peek(cmrp_pool *pool) {
    return cmrp_pool_published_at(pool, atomic_load_explicit(&pool->resolve, memory_order_relaxed));
}

void cmrp_pool_release(cmrp_pool *pool, cmrp_slot *slot) {
    uint64_t resolve = atomic_load_explicit(&pool->resolve, memory_order_relaxed);
    atomic_store_explicit(&slot->sequence, resolve + pool->mask + 1, memory_order_release);
    atomic_store_explicit(&pool->resolve, resolve + 1, memory_order_relaxed);
}

/* ---- errors ----------------------------------------------------------------------------------------------- */

static const char *const call_names[CMRP_CALL_COUNT] = {
    [CMRP_CALL_NONE] = "none",
    [CMRP_CALL_UNATTACHED_QUEUE] = "clEnqueueMarkerWithWaitList (refused by cmrprobe before the driver: queue not "
                                   "attached to this journal)",
    [CMRP_CALL_UNATTACHED_STREAM] = "cudaEventRecord (refused by cmrprobe before the driver: stream not attached to "
                                    "this journal)",
    [CMRP_CALL_CL_ENQUEUE_MARKER] = "clEnqueueMarkerWithWaitList",
    [CMRP_CALL_CL_EVENT_STATUS] = "marker event (CL_EVENT_COMMAND_EXECUTION_STATUS)",
    [CMRP_CALL_CL_GET_EVENT_INFO] = "clGetEventInfo",
    [CMRP_CALL_CL_GET_PROFILING] = "clGetEventProfilingInfo",
    [CMRP_CALL_CL_CALIBRATE] = "clock calibration (private OpenCL queue)",
    [CMRP_CALL_CL_SET_EVENT_CALLBACK] = "clSetEventCallback",
    [CMRP_CALL_CUDA_EVENT_RECORD] = "cudaEventRecord",
    [CMRP_CALL_CUDA_EVENT_QUERY] = "cudaEventQuery",
    [CMRP_CALL_CUDA_ELAPSED_TIME] = "cudaEventElapsedTime",
    [CMRP_CALL_CUDA_CALIBRATE] = "clock calibration (private CUDA stream)",
};

void cmrp_journal_record_error(cmrp_journal *j, cmrp_call call, int32_t code) {
    uint64_t packed = ((uint64_t)call << 32) | (uint32_t)code;
    atomic_store_explicit(&j->last_error, packed, memory_order_relaxed);
}

int32_t cmrp_journal_last_error(const cmrp_journal *j, char *buf, int32_t capacity) {
    if (!j || !buf || capacity <= 0) {
        return 0;
    }
    uint64_t packed = atomic_load_explicit(&((cmrp_journal *)j)->last_error, memory_order_relaxed);
    if (packed == 0) {
        buf[0] = '\0';
        return 0;
    }
    uint32_t call = (uint32_t)(packed >> 32);
    int32_t code = (int32_t)(uint32_t)packed;
    const char *call_name = call < CMRP_CALL_COUNT && call_names[call] ? call_names[call] : "unknown call";
    const char *code_name = j->ops->code_name(code);
    int n = snprintf(buf, (size_t)capacity, "%s failed: %s (%d)", call_name, code_name ? code_name : "unknown",
                     code);
    if (n < 0) {
        buf[0] = '\0';
        return 0;
    }
    return n < capacity ? n : capacity - 1;
}

/* ---- journal ---------------------------------------------------------------------------------------------- */

/* ---- completion hub ----------------------------------------------------------------------------------- */

/*
 * What completion callbacks share with the journal, kept alive by reference count (contract 9) because a
 * callback may run after the journal is gone: the token that makes one thread at a time the ring's producer,
 * the kicks that tell a token holder to look again, the futex word the resolver sleeps on, and (after destroy)
 * the slot array callbacks still write into.
 */
typedef struct cmrp_hub {
    _Alignas(64) _Atomic int32_t token;
    _Atomic uint64_t kicks;
    _Alignas(64) _Atomic uint32_t wake;
    _Alignas(64) _Atomic int64_t refs;
    _Atomic int32_t closed;
    cmrp_journal *journal; /* dereferenced only by the token holder; destroy keeps the token for good */
    cmrp_slot *slots;      /* the pool's array once destroy hands it over; freed with the hub */
} cmrp_hub;

static void hub_unref(cmrp_hub *hub) {
    if (atomic_fetch_sub_explicit(&hub->refs, 1, memory_order_acq_rel) == 1) {
        free(hub->slots);
        free(hub);
    }
}

static void futex_wake_one(_Atomic uint32_t *word) {
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Sleeps until *word != seen, a wake, or timeout_ns; spurious returns are fine (the caller loops). */
static void futex_wait_for(_Atomic uint32_t *word, uint32_t seen, int64_t timeout_ns) {
    struct timespec ts = {.tv_sec = timeout_ns / 1000000000LL, .tv_nsec = timeout_ns % 1000000000LL};
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT_PRIVATE, seen, &ts, NULL, 0);
}

static void wake_resolver(cmrp_hub *hub) {
    atomic_fetch_add_explicit(&hub->wake, 1, memory_order_release);
    futex_wake_one(&hub->wake);
}

static int hub_try_lock(cmrp_hub *hub) {
    return atomic_exchange_explicit(&hub->token, 1, memory_order_seq_cst) == 0;
}

/* Resolver and destroy only: these may wait, briefly, for a callback's pass (bounded, non-blocking work). */
static void hub_lock(cmrp_hub *hub) {
    while (!hub_try_lock(hub)) {
        sched_yield();
    }
}

static void hub_unlock(cmrp_hub *hub) {
    atomic_store_explicit(&hub->token, 0, memory_order_seq_cst);
}

static int64_t to_host(cmrp_journal *j, int64_t device_raw, int64_t queued_raw, cmrp_record *record) {
    if (j->ops->queued_is_device_clock) {
        record->device_ns = cmrp_clock_map_to_host(&j->clock, device_raw, &record->error_bound_ns);
        record->queued_ns = cmrp_clock_map_to_host(&j->clock, queued_raw, NULL);
    } else {
        /* The backend reported device_raw as a device-clock time and queued_raw on the host clock. */
        record->device_ns = cmrp_clock_map_to_host(&j->clock, device_raw, &record->error_bound_ns);
        record->queued_ns = queued_raw;
    }
    return record->device_ns;
}

/* Why a publish pass stopped. */
typedef enum { HEAD_NONE, HEAD_CALLBACK, HEAD_POLL, HEAD_RING_FULL } head_state;

/*
 * Token holder: moves published slots whose outcome is known into the ring (or counts them failed), in pool
 * order, and frees them for producers; OpenCL event handles go to the release queue. Polls the backend only when
 * may_poll (the resolver thread, or a drain), where a pending poll may also flush; never from a driver's
 * callback thread. nudge: flush the head's queue if it still waits for its callback.
 */
static head_state publish_pass(cmrp_journal *j, int may_poll, int nudge) {
    head_state stopped = HEAD_NONE;
    cmrp_release_queue *rq = &j->released;
    cmrp_slot *slot;
    while ((slot = cmrp_pool_peek(&j->pool)) != NULL) {
        if (!slot->failed) {
            int64_t device_raw = 0, queued_raw = 0;
            int32_t code = 0;
            cmrp_call call = CMRP_CALL_NONE;
            cmrp_poll_result r;
            int32_t completion = atomic_load_explicit(&slot->completion, memory_order_acquire);
            if (completion == CMRP_COMPLETION_PENDING) {
                if (nudge && j->ops->nudge) {
                    j->ops->nudge(j, slot);
                }
                stopped = HEAD_CALLBACK;
                break;
            }
            uint64_t rq_head = atomic_load_explicit(&rq->head, memory_order_relaxed);
            if (j->ops->release_event &&
                rq_head - atomic_load_explicit(&rq->tail, memory_order_acquire) > rq->mask) {
                stopped = HEAD_RING_FULL; /* the resolver has not released events for a while */
                break;
            }
            if (completion == CMRP_COMPLETION_DONE) {
                device_raw = slot->done_device_raw;
                queued_raw = slot->done_queued_raw;
                r = CMRP_DONE;
            } else if (completion == CMRP_COMPLETION_ERROR) {
                code = slot->done_code;
                call = (cmrp_call)slot->done_call;
                r = CMRP_ERROR;
            } else if (!may_poll) {
                stopped = HEAD_POLL;
                break;
            } else {
                r = j->ops->poll(j, slot, &device_raw, &queued_raw, &code, &call);
                if (r == CMRP_PENDING) {
                    stopped = HEAD_POLL;
                    break;
                }
            }
            if (r == CMRP_DONE) {
                cmrp_record record;
                record.tag = slot->tag;
                to_host(j, device_raw, queued_raw, &record);
                if (cmrp_ring_offer(&j->ring, &record) != 0) {
                    /* Ring full: keep the slot; the pool fills and mark drops and counts, so nothing is lost
                     * silently and no thread ever waits for the drainer. */
                    stopped = HEAD_RING_FULL;
                    break;
                }
                /* One writer at a time (the token holder): a plain increment, no locked instruction. */
                atomic_store_explicit(&j->resolved, atomic_load_explicit(&j->resolved, memory_order_relaxed) + 1,
                                      memory_order_relaxed);
            } else {
                atomic_fetch_add_explicit(&j->failed, 1, memory_order_relaxed);
                cmrp_journal_record_error(j, call, code);
            }
            if (j->ops->release_event) {
                rq->events[rq_head & rq->mask] = slot->event;
                slot->event = NULL;
                atomic_store_explicit(&rq->head, rq_head + 1, memory_order_release);
            } else {
                j->ops->release(j, slot);
            }
        }
        cmrp_pool_release(&j->pool, slot);
    }
    return stopped;
}

/* Any thread, never blocks: runs publish passes while it holds the token and someone kicked meanwhile.
 * may_poll: not on a driver's callback thread (see publish_pass); only callbacks wake the resolver here. */
static void hub_kick(cmrp_hub *hub, int may_poll) {
    atomic_fetch_add_explicit(&hub->kicks, 1, memory_order_seq_cst);
    for (;;) {
        if (!hub_try_lock(hub)) {
            return; /* the holder re-checks kicks after it unlocks (contract 8) */
        }
        uint64_t seen = atomic_load_explicit(&hub->kicks, memory_order_seq_cst);
        cmrp_journal *j = hub->journal;
        uint64_t head_before = atomic_load_explicit(&j->released.head, memory_order_relaxed);
        publish_pass(j, may_poll, 0);
        uint64_t head_after = atomic_load_explicit(&j->released.head, memory_order_relaxed);
        uint64_t tail = atomic_load_explicit(&j->released.tail, memory_order_relaxed);
        /* Wake once per CMRP_RELEASE_BATCH handles: PoCL's enqueue slows down as completed events pile up
         * unreleased, and releasing thousands at once competes with the caller's enqueues. */
        int wake = !may_poll && head_after - tail >= CMRP_RELEASE_BATCH &&
                   (head_before - tail < CMRP_RELEASE_BATCH ||
                    head_after / CMRP_RELEASE_BATCH != head_before / CMRP_RELEASE_BATCH);
        hub_unlock(hub);
        if (wake) {
            /* Safe after unlock: the hub lives while this callback holds its reference. */
            wake_resolver(hub);
        }
        if (atomic_load_explicit(&hub->kicks, memory_order_seq_cst) == seen) {
            return;
        }
    }
}

void cmrp_slot_complete(cmrp_slot *slot, int32_t state, int64_t device_raw, int64_t queued_raw, int32_t code,
                        cmrp_call call) {
    cmrp_hub *hub = slot->hub;
    if (!atomic_load_explicit(&hub->closed, memory_order_acquire)) {
        slot->done_device_raw = device_raw;
        slot->done_queued_raw = queued_raw;
        slot->done_code = code;
        slot->done_call = (int32_t)call;
        atomic_store_explicit(&slot->completion, state, memory_order_release);
        hub_kick(hub, 0);
    }
    hub_unref(hub);
}

int cmrp_slot_abandoned(const cmrp_slot *slot) {
    return atomic_load_explicit(&slot->hub->closed, memory_order_acquire);
}

/* ---- journal ---------------------------------------------------------------------------------------------- */

int cmrp_journal_alloc(const cmrp_backend_ops *ops, int32_t pool_size, int32_t ring_capacity,
                       int64_t reanchor_interval_ns, cmrp_journal **out) {
    if (!out) {
        return cmrp_fail("out must not be NULL");
    }
    if (!cmrp_is_valid_capacity(pool_size)) {
        return cmrp_fail("pool_size must be a power of two in [%d, %d], was %d", CMRP_MIN_CAPACITY,
                         CMRP_MAX_CAPACITY, pool_size);
    }
    if (!cmrp_is_valid_capacity(ring_capacity)) {
        return cmrp_fail("ring_capacity must be a power of two in [%d, %d], was %d", CMRP_MIN_CAPACITY,
                         CMRP_MAX_CAPACITY, ring_capacity);
    }
    if (reanchor_interval_ns < 0) {
        return cmrp_fail("reanchor_interval_ns must be >= 0 (0: default), was %lld", (long long)reanchor_interval_ns);
    }
    cmrp_journal *j = aligned_alloc(64, (sizeof(cmrp_journal) + 63) & ~(size_t)63);
    cmrp_hub *hub = aligned_alloc(64, (sizeof(cmrp_hub) + 63) & ~(size_t)63);
    if (!j || !hub) {
        free(j);
        free(hub);
        return cmrp_fail("cannot allocate the journal");
    }
    memset(j, 0, sizeof *j);
    memset(hub, 0, sizeof *hub);
    atomic_init(&hub->refs, 1);
    hub->journal = j;
    j->hub = hub;
    j->ops = ops;
    if (cmrp_pool_init(&j->pool, (uint32_t)pool_size) != 0) {
        free(hub);
        free(j);
        return -1;
    }
    for (int32_t i = 0; i < pool_size; i++) {
        j->pool.slots[i].hub = hub;
    }
    if (cmrp_ring_init(&j->ring, (uint32_t)ring_capacity) != 0) {
        cmrp_pool_free(&j->pool);
        free(hub);
        free(j);
        return -1;
    }
    /* Four pool laps of handles: the resolver may sleep CMRP_POLL_BACKOFF_MAX_NS without the queue filling. */
    uint64_t release_capacity = (uint64_t)pool_size * 4;
    j->released.events = calloc(release_capacity, sizeof(void *));
    if (!j->released.events) {
        cmrp_ring_free(&j->ring);
        cmrp_pool_free(&j->pool);
        free(hub);
        free(j);
        return cmrp_fail("cannot allocate the release queue (%llu handles)", (unsigned long long)release_capacity);
    }
    j->released.mask = release_capacity - 1;
    atomic_init(&j->released.head, 0);
    atomic_init(&j->released.tail, 0);
    j->reanchor_interval_ns = reanchor_interval_ns ? reanchor_interval_ns : CMRP_DEFAULT_REANCHOR_NS;
    atomic_init(&j->callbacks_on, ops->arm != NULL);
    pthread_mutex_init(&j->setup_lock, NULL);
    *out = j;
    return 0;
}

int cmrp_journal_calibrate(cmrp_journal *j, int rounds) {
    cmrp_anchor best;
    int have_best = 0;
    for (int i = 0; i < rounds; i++) {
        cmrp_anchor reading;
        cmrp_call call = CMRP_CALL_NONE;
        int32_t code = j->ops->calibrate(j, &reading, &call);
        if (code != 0) {
            cmrp_journal_record_error(j, call, code);
            return cmrp_fail("clock calibration failed in %s: %s (%d)", call_names[call],
                             j->ops->code_name(code) ? j->ops->code_name(code) : "unknown", code);
        }
        cmrp_anchor_keep_best(&best, &have_best, &reading);
    }
    /* The clock map is read by whoever publishes into the ring: update it under the token. */
    hub_lock(j->hub);
    if (atomic_load_explicit(&j->anchors, memory_order_relaxed) == 0) {
        cmrp_clock_map_init(&j->clock, &best);
    } else {
        cmrp_clock_map_update(&j->clock, &best);
    }
    hub_unlock(j->hub);
    atomic_store_explicit(&j->anchor_error_ns, best.half_bracket_ns + best.resolution_ns, memory_order_relaxed);
    atomic_fetch_add_explicit(&j->anchors, 1, memory_order_relaxed);
    return 0;
}

/* Resolver thread or drain: releases the event handles resolved marks left in the release queue (contract 7),
 * unless the other one is doing it right now. */
static int release_pass(cmrp_journal *j) {
    if (atomic_exchange_explicit(&j->releasing, 1, memory_order_acquire) != 0) {
        return 0;
    }
    cmrp_release_queue *rq = &j->released;
    uint64_t tail = atomic_load_explicit(&rq->tail, memory_order_relaxed);
    uint64_t head = atomic_load_explicit(&rq->head, memory_order_acquire);
    for (uint64_t i = tail; i != head; i++) {
        j->ops->release_event(rq->events[i & rq->mask]);
    }
    atomic_store_explicit(&rq->tail, head, memory_order_release);
    atomic_store_explicit(&j->releasing, 0, memory_order_release);
    return (int)(head - tail);
}

/* Resolver thread: one publish pass under the token (then the kicks that came meanwhile), then releases events;
 * *resolved: slots this pass resolved, *released: events released. */
static head_state resolve_round(cmrp_journal *j, int nudge, int *resolved_out, int *released_out) {
    cmrp_hub *hub = j->hub;
    hub_lock(hub);
    uint64_t before = atomic_load_explicit(&j->pool.resolve, memory_order_relaxed);
    uint64_t seen = atomic_load_explicit(&hub->kicks, memory_order_seq_cst);
    head_state head = publish_pass(j, 1, nudge);
    int resolved = (int)(atomic_load_explicit(&j->pool.resolve, memory_order_relaxed) - before);
    hub_unlock(hub);
    if (atomic_load_explicit(&hub->kicks, memory_order_seq_cst) != seen) {
        hub_kick(hub, 1);
    }
    int released = j->ops->release_event ? release_pass(j) : 0;
    *resolved_out = resolved;
    *released_out = released;
    return head;
}

int cmrp_journal_resolve_pass(cmrp_journal *j) {
    int resolved = 0, released = 0;
    resolve_round(j, 0, &resolved, &released);
    return resolved + released;
}

/* True when at least a quarter of the pool is in flight (claimed, not yet resolved): marks may soon drop. */
static int pool_under_pressure(cmrp_pool *pool) {
    uint64_t claimed = atomic_load_explicit(&pool->claim, memory_order_relaxed);
    uint64_t resolved = atomic_load_explicit(&pool->resolve, memory_order_relaxed);
    return (claimed - resolved) * CMRP_PRESSURE_DIVISOR >= pool->mask + 1;
}

/*
 * The resolver sleeps on the hub's futex between rounds. When the oldest mark waits for a callback, it sleeps
 * until the callback path wakes it (every CMRP_RELEASE_BATCH event handles) or CMRP_BACKOFF_MAX_NS passes: the callback itself moves
 * the mark into the ring, so the resolver's sleep does not add to a mark's latency. When the oldest mark is
 * polled (CUDA; OpenCL without callbacks), it backs off from CMRP_BACKOFF_MIN_NS to CMRP_POLL_BACKOFF_MAX_NS, and back
 * to CMRP_BACKOFF_MIN_NS only while the pool is under pressure. Never a busy wait.
 */
static void *resolver_main(void *arg) {
    cmrp_journal *j = arg;
    cmrp_hub *hub = j->hub;
    /* Named so that top -H, /proc/<pid>/task and profilers show what it is (a failure changes nothing else). */
    pthread_setname_np(pthread_self(), CMRP_RESOLVER_THREAD_NAME);
    if (j->ops->thread_init) {
        cmrp_call call = CMRP_CALL_NONE;
        int32_t code = j->ops->thread_init(j, &call);
        if (code != 0) {
            cmrp_journal_record_error(j, call, code);
        }
    }
    int64_t backoff = CMRP_BACKOFF_MIN_NS;
    uint64_t waiting_head = UINT64_MAX;
    int64_t waiting_since = 0;
    while (!atomic_load_explicit(&j->stop, memory_order_acquire)) {
        uint32_t wake_seen = atomic_load_explicit(&hub->wake, memory_order_acquire);
        int64_t now = cmrp_host_now_ns();
        if (now >= j->next_anchor_ns) {
            /* A failed re-anchor keeps the previous mapping; its error is recorded for lastError. */
            cmrp_journal_calibrate(j, CMRP_CALIBRATION_ROUNDS);
            j->next_anchor_ns = cmrp_host_now_ns() + j->reanchor_interval_ns;
        }
        /* A marker whose callback is overdue: its queue may hold it on the host until a flush (once). */
        uint64_t head_pos = atomic_load_explicit(&j->pool.resolve, memory_order_relaxed);
        int nudge = head_pos == waiting_head && waiting_since != 0 && now - waiting_since >= CMRP_NUDGE_AFTER_NS;
        int resolved = 0, released = 0;
        head_state head = resolve_round(j, nudge, &resolved, &released);
        if (nudge) {
            waiting_since = 0;
        } else if (head == HEAD_CALLBACK && head_pos != waiting_head) {
            waiting_head = head_pos;
            waiting_since = now;
        }
        int64_t sleep_ns;
        if (head == HEAD_POLL || !atomic_load_explicit(&j->callbacks_on, memory_order_relaxed)) {
            /* Polling. How soon a mark reaches the ring matters only to the pool: a consumer that drains
             * resolves on its own thread (cmrp_journal_drain), and timestamps do not age. So the resolver polls
             * fast only while the pool fills; otherwise it backs off to CMRP_POLL_BACKOFF_MAX_NS even while marks keep
             * resolving, instead of waking every 20 us to compete with the caller and the driver for the cores
             * (on a CPU device those cores run the model's kernels). */
            backoff = pool_under_pressure(&j->pool)
                          ? CMRP_BACKOFF_MIN_NS
                          : (backoff * 2 > CMRP_POLL_BACKOFF_MAX_NS ? CMRP_POLL_BACKOFF_MAX_NS : backoff * 2);
            sleep_ns = backoff;
        } else {
            backoff = CMRP_BACKOFF_MIN_NS;
            sleep_ns = CMRP_BACKOFF_MAX_NS;
        }
        if (!atomic_load_explicit(&j->stop, memory_order_acquire)) {
            futex_wait_for(&hub->wake, wake_seen, sleep_ns);
        }
    }
    return NULL;
}

int cmrp_journal_start(cmrp_journal *j) {
    if (cmrp_journal_calibrate(j, CMRP_CALIBRATION_ROUNDS) != 0) {
        return -1;
    }
    j->next_anchor_ns = cmrp_host_now_ns() + j->reanchor_interval_ns;
    int rc = pthread_create(&j->resolver, NULL, resolver_main, j);
    if (rc != 0) {
        return cmrp_fail("cannot start the resolver thread: %s", strerror(rc));
    }
    j->resolver_started = 1;
    return 0;
}

int cmrp_journal_attach(cmrp_journal *j, void *queue) {
    cmrp_clear_error();
    if (!j) {
        return cmrp_fail("journal must not be NULL");
    }
    pthread_mutex_lock(&j->setup_lock);
    int32_t n = atomic_load_explicit(&j->queue_count, memory_order_relaxed);
    for (int32_t i = 0; i < n; i++) {
        if (atomic_load_explicit(&j->queues[i], memory_order_relaxed) == queue) {
            pthread_mutex_unlock(&j->setup_lock);
            return 0;
        }
    }
    if (n == CMRP_MAX_QUEUES) {
        pthread_mutex_unlock(&j->setup_lock);
        return cmrp_fail("a journal takes at most %d queues", CMRP_MAX_QUEUES);
    }
    if (j->ops->attach(j, queue) != 0) {
        pthread_mutex_unlock(&j->setup_lock);
        return -1;
    }
    atomic_store_explicit(&j->queues[n], queue, memory_order_relaxed);
    atomic_store_explicit(&j->queue_count, n + 1, memory_order_release);
    pthread_mutex_unlock(&j->setup_lock);
    return 0;
}

static int is_attached(cmrp_journal *j, void *queue) {
    int32_t n = atomic_load_explicit(&j->queue_count, memory_order_acquire);
    for (int32_t i = 0; i < n; i++) {
        if (atomic_load_explicit(&j->queues[i], memory_order_relaxed) == queue) {
            return 1;
        }
    }
    return 0;
}


int cmrp_journal_mark(cmrp_journal *j, void *queue, int64_t tag) {
    if (!j) {
        return -1;
    }
    if (!is_attached(j, queue)) {
        atomic_fetch_add_explicit(&j->failed, 1, memory_order_relaxed);
        cmrp_journal_record_error(j, j->ops->unattached_call, j->ops->unattached_code);
        return -1;
    }
    uint64_t position;
    cmrp_slot *slot = cmrp_pool_claim(&j->pool, &position);
    if (!slot) {
        atomic_fetch_add_explicit(&j->dropped, 1, memory_order_relaxed);
        return -1;
    }
    slot->queue = queue;
    slot->tag = tag;
    /* slot->event is the backend's: OpenCL replaces it per mark, CUDA keeps one event per slot for reuse. */
    cmrp_call call = CMRP_CALL_NONE;
    int32_t code = j->ops->enqueue(j, slot, &call);
    slot->failed = code != 0;
    int arm = code == 0 && atomic_load_explicit(&j->callbacks_on, memory_order_relaxed);
    atomic_store_explicit(&slot->completion, arm ? CMRP_COMPLETION_PENDING : CMRP_COMPLETION_POLL,
                          memory_order_relaxed);
    if (arm) {
        atomic_fetch_add_explicit(&j->hub->refs, 1, memory_order_relaxed); /* the callback's (contract 9) */
    }
    /* Published even when the enqueue failed: the resolver owns freeing every claimed position, in order.
     * Published before the callback is registered, so that a callback running at once finds the slot. */
    cmrp_pool_publish(slot, position);
    if (code != 0) {
        atomic_fetch_add_explicit(&j->enqueue_failed, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&j->failed, 1, memory_order_relaxed);
        cmrp_journal_record_error(j, call, code);
        return -1;
    }
    if (arm) {
        cmrp_call arm_call = CMRP_CALL_NONE;
        if (j->ops->arm(j, slot, &arm_call) != 0) {
            /* No callback will come: the resolver polls this marker, and later marks skip registering. */
            atomic_store_explicit(&j->callbacks_on, 0, memory_order_relaxed);
            atomic_store_explicit(&slot->completion, CMRP_COMPLETION_POLL, memory_order_release);
            hub_unref(j->hub);
        }
        /* On success the slot may already be resolved and reused by another mark: no touching it now. */
    }
    return 0;
}

int32_t cmrp_journal_drain(cmrp_journal *j, int64_t *tags, int64_t *device_ns, int64_t *queued_ns,
                           int32_t capacity, int64_t *error_bound_ns) {
    if (!j || capacity < 0) {
        return -1;
    }
    /* Resolve on the consumer's thread what the driver reports complete by now, unless another thread holds the
     * token (then that thread is doing it): a consumer that drains gets a polled mark as soon as the device passed
     * it, not one resolver sleep later. Then it releases the event handles of what it (or anyone) resolved, as
     * the resolver does after its passes, so that completed events do not pile up until the resolver's next
     * wake-up: PoCL's enqueue slows down as they do. */
    cmrp_hub *hub = j->hub;
    if (hub_try_lock(hub)) {
        uint64_t seen = atomic_load_explicit(&hub->kicks, memory_order_seq_cst);
        publish_pass(j, 1, 0);
        hub_unlock(hub);
        if (atomic_load_explicit(&hub->kicks, memory_order_seq_cst) != seen) {
            hub_kick(hub, 1);
        }
    }
    if (j->ops->release_event) {
        release_pass(j);
    }
    return cmrp_ring_poll(&j->ring, tags, device_ns, queued_ns, capacity, error_bound_ns);
}

int64_t cmrp_journal_marked(const cmrp_journal *j) {
    if (!j) {
        return 0;
    }
    /* Derived instead of counted, to keep a locked instruction off the mark path: every claimed position was
     * enqueued unless its enqueue failed (a mark between its claim and its enqueue already counts). */
    cmrp_journal *jj = (cmrp_journal *)j;
    int64_t failed = atomic_load_explicit(&jj->enqueue_failed, memory_order_relaxed);
    return (int64_t)atomic_load_explicit(&jj->pool.claim, memory_order_relaxed) - failed;
}
int64_t cmrp_journal_resolved(const cmrp_journal *j) {
    return j ? atomic_load_explicit(&((cmrp_journal *)j)->resolved, memory_order_relaxed) : 0;
}
int64_t cmrp_journal_dropped(const cmrp_journal *j) {
    return j ? atomic_load_explicit(&((cmrp_journal *)j)->dropped, memory_order_relaxed) : 0;
}
int64_t cmrp_journal_failed(const cmrp_journal *j) {
    return j ? atomic_load_explicit(&((cmrp_journal *)j)->failed, memory_order_relaxed) : 0;
}
int64_t cmrp_journal_anchors(const cmrp_journal *j) {
    return j ? atomic_load_explicit(&((cmrp_journal *)j)->anchors, memory_order_relaxed) : 0;
}
int64_t cmrp_journal_anchor_error_ns(const cmrp_journal *j) {
    return j ? atomic_load_explicit(&((cmrp_journal *)j)->anchor_error_ns, memory_order_relaxed) : 0;
}
const char *cmrp_journal_backend(const cmrp_journal *j) {
    return j ? j->ops->name : "";
}

int cmrp_journal_callbacks_on(const cmrp_journal *j) {
    return atomic_load_explicit(&((cmrp_journal *)j)->callbacks_on, memory_order_relaxed);
}

void cmrp_journal_destroy(cmrp_journal *j) {
    if (!j) {
        return;
    }
    cmrp_hub *hub = j->hub;
    if (j->resolver_started) {
        atomic_store_explicit(&j->stop, 1, memory_order_release);
        wake_resolver(hub);
        pthread_join(j->resolver, NULL);
    }
    /* From here on no callback touches the journal (contract 9): callbacks running a pass finish it first. */
    hub_lock(hub);
    atomic_store_explicit(&hub->closed, 1, memory_order_release);
    /* Pending slots: give their events back without waiting for the device. OpenCL calls a registered callback
     * before it destroys the event even when we drop our reference; that late callback sees `closed`. */
    cmrp_slot *slot;
    while ((slot = cmrp_pool_peek(&j->pool)) != NULL) {
        if (!slot->failed) {
            j->ops->release(j, slot);
        }
        cmrp_pool_release(&j->pool, slot);
    }
    if (j->ops->release_event) {
        release_pass(j);
    }
    free(j->released.events);
    if (j->ops->destroy) {
        j->ops->destroy(j);
    }
    pthread_mutex_destroy(&j->setup_lock);
    cmrp_ring_free(&j->ring);
    hub->slots = j->pool.slots; /* late callbacks still store into their slot */
    j->pool.slots = NULL;
    hub->journal = NULL;
    free(j);
    hub_unref(hub);
}
