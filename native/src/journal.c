/*
 * The backend-neutral journal: pool of in-flight marks (multi-producer), ring of resolved marks (SPSC), the
 * resolver thread, counters and the packed last error.
 *
 * Memory order, writer -> reader pairs:
 *   1. mark (producer) fills a claimed slot, then stores slot.sequence = position + 1 with release; the resolver
 *      loads it with acquire before reading the slot.
 *   2. the resolver finishes with a slot, then stores slot.sequence = position + capacity with release; a
 *      producer's acquire load of the sequence sees the slot free only after the resolver is done with it.
 *   3. the resolver writes a ring record, then stores ring.head with release; drain loads head with acquire.
 *   4. drain copies records out, then stores ring.tail with release; the resolver loads tail with acquire
 *      before overwriting a record.
 *   5. attach writes queues[n], then stores queue_count = n + 1 with release; mark loads it with acquire.
 *   Counters are statistics only: relaxed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    pool->resolve = 0;
    atomic_init(&pool->claim, 0);
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

cmrp_slot *cmrp_pool_peek(cmrp_pool *pool) {
    cmrp_slot *slot = &pool->slots[pool->resolve & pool->mask];
    uint64_t seq = atomic_load_explicit(&slot->sequence, memory_order_acquire);
    return seq == pool->resolve + 1 ? slot : NULL;
}

void cmrp_pool_release(cmrp_pool *pool, cmrp_slot *slot) {
    atomic_store_explicit(&slot->sequence, pool->resolve + pool->mask + 1, memory_order_release);
    pool->resolve++;
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
    if (!j) {
        return cmrp_fail("cannot allocate the journal");
    }
    memset(j, 0, sizeof *j);
    j->ops = ops;
    if (cmrp_pool_init(&j->pool, (uint32_t)pool_size) != 0) {
        free(j);
        return -1;
    }
    if (cmrp_ring_init(&j->ring, (uint32_t)ring_capacity) != 0) {
        cmrp_pool_free(&j->pool);
        free(j);
        return -1;
    }
    j->reanchor_interval_ns = reanchor_interval_ns ? reanchor_interval_ns : CMRP_DEFAULT_REANCHOR_NS;
    pthread_mutex_init(&j->setup_lock, NULL);
    pthread_mutex_init(&j->stop_lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&j->stop_cond, &attr);
    pthread_condattr_destroy(&attr);
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
    if (atomic_load_explicit(&j->anchors, memory_order_relaxed) == 0) {
        cmrp_clock_map_init(&j->clock, &best);
    } else {
        cmrp_clock_map_update(&j->clock, &best);
    }
    atomic_store_explicit(&j->anchor_error_ns, best.half_bracket_ns + best.resolution_ns, memory_order_relaxed);
    atomic_fetch_add_explicit(&j->anchors, 1, memory_order_relaxed);
    return 0;
}

int cmrp_journal_resolve_pass(cmrp_journal *j) {
    int finished = 0;
    cmrp_slot *slot;
    while ((slot = cmrp_pool_peek(&j->pool)) != NULL) {
        if (slot->failed) {
            cmrp_pool_release(&j->pool, slot);
            finished++;
            continue;
        }
        int64_t device_raw = 0, queued_raw = 0;
        int32_t code = 0;
        cmrp_call call = CMRP_CALL_NONE;
        cmrp_poll_result r = j->ops->poll(j, slot, &device_raw, &queued_raw, &code, &call);
        if (r == CMRP_PENDING) {
            break;
        }
        if (r == CMRP_DONE) {
            cmrp_record record;
            record.tag = slot->tag;
            if (j->ops->queued_is_device_clock) {
                int64_t queued_bound;
                record.device_ns = cmrp_clock_map_to_host(&j->clock, device_raw, &record.error_bound_ns);
                record.queued_ns = cmrp_clock_map_to_host(&j->clock, queued_raw, &queued_bound);
            } else {
                /* The backend reported device_raw as a device-clock time and queued_raw on the host clock. */
                record.device_ns = cmrp_clock_map_to_host(&j->clock, device_raw, &record.error_bound_ns);
                record.queued_ns = queued_raw;
            }
            if (cmrp_ring_offer(&j->ring, &record) != 0) {
                /* Ring full: keep the slot; the pool fills and mark drops and counts, so nothing is lost
                 * silently and the resolver never waits for the drainer. */
                break;
            }
            atomic_fetch_add_explicit(&j->resolved, 1, memory_order_relaxed);
        } else {
            atomic_fetch_add_explicit(&j->failed, 1, memory_order_relaxed);
            cmrp_journal_record_error(j, call, code);
        }
        j->ops->release(j, slot);
        cmrp_pool_release(&j->pool, slot);
        finished++;
    }
    return finished;
}

static void *resolver_main(void *arg) {
    cmrp_journal *j = arg;
    if (j->ops->thread_init) {
        cmrp_call call = CMRP_CALL_NONE;
        int32_t code = j->ops->thread_init(j, &call);
        if (code != 0) {
            cmrp_journal_record_error(j, call, code);
        }
    }
    int64_t backoff = CMRP_BACKOFF_MIN_NS;
    pthread_mutex_lock(&j->stop_lock);
    while (!j->stop) {
        pthread_mutex_unlock(&j->stop_lock);
        int64_t now = cmrp_host_now_ns();
        if (now >= j->next_anchor_ns) {
            /* A failed re-anchor keeps the previous mapping; its error is recorded for lastError. */
            cmrp_journal_calibrate(j, CMRP_CALIBRATION_ROUNDS);
            j->next_anchor_ns = cmrp_host_now_ns() + j->reanchor_interval_ns;
        }
        int finished = cmrp_journal_resolve_pass(j);
        backoff = finished > 0 ? CMRP_BACKOFF_MIN_NS
                               : (backoff * 2 > CMRP_BACKOFF_MAX_NS ? CMRP_BACKOFF_MAX_NS : backoff * 2);
        int64_t wake = cmrp_host_now_ns() + backoff;
        struct timespec ts = {.tv_sec = wake / 1000000000LL, .tv_nsec = wake % 1000000000LL};
        pthread_mutex_lock(&j->stop_lock);
        /* Sleeps the backoff unless destroy signals; never a busy wait. */
        while (!j->stop) {
            int rc = pthread_cond_timedwait(&j->stop_cond, &j->stop_lock, &ts);
            if (rc == ETIMEDOUT) break;
        }
    }
    pthread_mutex_unlock(&j->stop_lock);
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
    /* Published even when the enqueue failed: the resolver owns freeing every claimed position, in order. */
    cmrp_pool_publish(slot, position);
    if (code != 0) {
        atomic_fetch_add_explicit(&j->failed, 1, memory_order_relaxed);
        cmrp_journal_record_error(j, call, code);
        return -1;
    }
    atomic_fetch_add_explicit(&j->marked, 1, memory_order_relaxed);
    return 0;
}

int32_t cmrp_journal_drain(cmrp_journal *j, int64_t *tags, int64_t *device_ns, int64_t *queued_ns,
                           int32_t capacity, int64_t *error_bound_ns) {
    if (!j || capacity < 0) {
        return -1;
    }
    return cmrp_ring_poll(&j->ring, tags, device_ns, queued_ns, capacity, error_bound_ns);
}

int64_t cmrp_journal_marked(const cmrp_journal *j) {
    return j ? atomic_load_explicit(&((cmrp_journal *)j)->marked, memory_order_relaxed) : 0;
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

void cmrp_journal_destroy(cmrp_journal *j) {
    if (!j) {
        return;
    }
    if (j->resolver_started) {
        pthread_mutex_lock(&j->stop_lock);
        j->stop = 1;
        pthread_cond_signal(&j->stop_cond);
        pthread_mutex_unlock(&j->stop_lock);
        pthread_join(j->resolver, NULL);
    }
    /* Pending slots: give their events back without waiting for the device. */
    cmrp_slot *slot;
    while ((slot = cmrp_pool_peek(&j->pool)) != NULL) {
        if (!slot->failed) {
            j->ops->release(j, slot);
        }
        cmrp_pool_release(&j->pool, slot);
    }
    if (j->ops->destroy) {
        j->ops->destroy(j);
    }
    pthread_cond_destroy(&j->stop_cond);
    pthread_mutex_destroy(&j->stop_lock);
    pthread_mutex_destroy(&j->setup_lock);
    cmrp_ring_free(&j->ring);
    cmrp_pool_free(&j->pool);
    free(j);
}
