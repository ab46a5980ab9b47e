/*
 * CUDA backend of the journal, written to NVIDIA's runtime API documentation (it cannot run on a machine
 * without a GPU; its load-failure path and its logic against a fake runtime are tested).
 *
 * - Each pool slot owns one event created with cudaEventCreateWithFlags(cudaEventDefault): timing enabled.
 * - mark: cudaEventRecord(slot's event, caller's stream); queued_ns is the host clock read just before it.
 * - resolver: cudaEventQuery (cudaErrorNotReady = pending; never cudaEventSynchronize on a caller's work), then
 *   cudaEventElapsedTime(reference event, slot's event) in milliseconds (resolution about 0.5 us).
 * - device clock: CUDA exposes none, so the journal keeps a virtual one. Reference events are recorded on a
 *   private non-blocking stream at each calibration; reference k sits at device time
 *   ref[k-1] + cudaEventElapsedTime(ref[k-1], ref[k]), reference 0 at 0. A calibration brackets the record and
 *   cudaEventSynchronize of a new reference with host reads (this wait happens at creation and on the resolver
 *   thread, never on a caller's thread); the bracket is wider than OpenCL's because it includes the wake-up.
 * - the resolver thread calls cudaSetDevice once so that the runtime works on the journal's device; creation
 *   saves and restores the caller's current device.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cuda_api.h"

typedef struct cmrp_cuda_state {
    int device;
    cmrp_cuda_stream private_stream;
    cmrp_cuda_event reference;  /* the latest reference event; device time reference_ns on the virtual clock */
    cmrp_cuda_event spare;      /* recorded as the next reference, then swapped in */
    int64_t reference_ns;
    int has_reference;
} cmrp_cuda_state;

/* cudaEventElapsedTime's documented resolution. */
#define CMRP_CUDA_RESOLUTION_NS 500

static cmrp_cuda_state *state_of(cmrp_journal *j) {
    return (cmrp_cuda_state *)j->backend;
}

static int32_t cuda_enqueue(cmrp_journal *j, cmrp_slot *slot, cmrp_call *call) {
    (void)j;
    *call = CMRP_CALL_CUDA_EVENT_RECORD;
    slot->host_enqueue_ns = cmrp_host_now_ns();
    return (int32_t)cmrp_cu.cudaEventRecord((cmrp_cuda_event)slot->event, (cmrp_cuda_stream)slot->queue);
}

static int64_t ms_to_ns(float ms) {
    return (int64_t)llround((double)ms * 1e6);
}

static cmrp_poll_result cuda_poll(cmrp_journal *j, cmrp_slot *slot, int64_t *device_raw, int64_t *queued_raw,
                                  int32_t *code, cmrp_call *call) {
    cmrp_cuda_state *s = state_of(j);
    cmrp_cuda_error rc = cmrp_cu.cudaEventQuery((cmrp_cuda_event)slot->event);
    if (rc == CMRP_CUDA_ERROR_NOT_READY) {
        return CMRP_PENDING;
    }
    if (rc != CMRP_CUDA_SUCCESS) {
        *code = (int32_t)rc;
        *call = CMRP_CALL_CUDA_EVENT_QUERY;
        return CMRP_ERROR;
    }
    float ms = 0.0f;
    rc = cmrp_cu.cudaEventElapsedTime(&ms, s->reference, (cmrp_cuda_event)slot->event);
    if (rc != CMRP_CUDA_SUCCESS) {
        *code = (int32_t)rc;
        *call = CMRP_CALL_CUDA_ELAPSED_TIME;
        return CMRP_ERROR;
    }
    *device_raw = s->reference_ns + ms_to_ns(ms);
    *queued_raw = slot->host_enqueue_ns;
    return CMRP_DONE;
}

static void cuda_release(cmrp_journal *j, cmrp_slot *slot) {
    /* The event stays with its slot and is recorded again by a later mark. */
    (void)j;
    (void)slot;
}

static int32_t cuda_calibrate(cmrp_journal *j, cmrp_anchor *out, cmrp_call *call) {
    cmrp_cuda_state *s = state_of(j);
    *call = CMRP_CALL_CUDA_CALIBRATE;
    int64_t h0 = cmrp_host_now_ns();
    cmrp_cuda_error rc = cmrp_cu.cudaEventRecord(s->spare, s->private_stream);
    if (rc == CMRP_CUDA_SUCCESS) {
        rc = cmrp_cu.cudaEventSynchronize(s->spare);
    }
    int64_t h1 = cmrp_host_now_ns();
    if (rc != CMRP_CUDA_SUCCESS) {
        return (int32_t)rc;
    }
    int64_t device_ns = 0;
    if (s->has_reference) {
        float ms = 0.0f;
        rc = cmrp_cu.cudaEventElapsedTime(&ms, s->reference, s->spare);
        if (rc != CMRP_CUDA_SUCCESS) {
            *call = CMRP_CALL_CUDA_ELAPSED_TIME;
            return (int32_t)rc;
        }
        device_ns = s->reference_ns + ms_to_ns(ms);
    }
    cmrp_cuda_event old = s->reference;
    s->reference = s->spare;
    s->spare = old;
    s->reference_ns = device_ns;
    s->has_reference = 1;
    out->host_ns = h0 + (h1 - h0) / 2;
    out->device_ns = device_ns;
    out->half_bracket_ns = (h1 - h0 + 1) / 2;
    out->resolution_ns = CMRP_CUDA_RESOLUTION_NS;
    return 0;
}

static int cuda_attach(cmrp_journal *j, void *queue) {
    (void)j;
    if (!queue) {
        return 0; /* the legacy default stream */
    }
    unsigned int flags = 0;
    cmrp_cuda_error rc = cmrp_cu.cudaStreamGetFlags((cmrp_cuda_stream)queue, &flags);
    if (rc != CMRP_CUDA_SUCCESS) {
        const char *name = cmrp_cuda_error_name((int32_t)rc);
        return cmrp_fail("cudaStreamGetFlags failed: %s (%u): is this a live cudaStream_t?", name ? name : "unknown",
                         rc);
    }
    return 0;
}

static int32_t cuda_thread_init(cmrp_journal *j, cmrp_call *call) {
    *call = CMRP_CALL_CUDA_CALIBRATE;
    return (int32_t)cmrp_cu.cudaSetDevice(state_of(j)->device);
}

static void cuda_destroy(cmrp_journal *j) {
    cmrp_cuda_state *s = state_of(j);
    if (!s) {
        return;
    }
    for (uint64_t i = 0; i <= j->pool.mask; i++) {
        if (j->pool.slots[i].event) {
            cmrp_cu.cudaEventDestroy((cmrp_cuda_event)j->pool.slots[i].event);
            j->pool.slots[i].event = NULL;
        }
    }
    if (s->reference) cmrp_cu.cudaEventDestroy(s->reference);
    if (s->spare) cmrp_cu.cudaEventDestroy(s->spare);
    if (s->private_stream) cmrp_cu.cudaStreamDestroy(s->private_stream);
    free(s);
    j->backend = NULL;
}

static const cmrp_backend_ops cuda_ops = {
    .name = "cuda",
    .enqueue = cuda_enqueue,
    .poll = cuda_poll,
    .release = cuda_release,
    .calibrate = cuda_calibrate,
    .attach = cuda_attach,
    .thread_init = cuda_thread_init,
    .code_name = cmrp_cuda_error_name,
    .destroy = cuda_destroy,
    .unattached_call = CMRP_CALL_UNATTACHED_STREAM,
    .unattached_code = (int32_t)CMRP_CUDA_ERROR_INVALID_RESOURCE_HANDLE,
    .queued_is_device_clock = 0,
};

static int cuda_failure(cmrp_journal *j, int caller_device, const char *what, cmrp_cuda_error rc) {
    const char *name = cmrp_cuda_error_name((int32_t)rc);
    char reason[256];
    snprintf(reason, sizeof reason, "%s failed: %s (%u)", what, name ? name : "unknown", rc);
    cmrp_journal_destroy(j);
    if (caller_device >= 0) {
        cmrp_cu.cudaSetDevice(caller_device);
    }
    return cmrp_fail("%s", reason);
}

int cmrp_cuda_journal_create(int32_t device, int32_t pool_size, int32_t ring_capacity, int64_t reanchor_interval_ns,
                             cmrp_journal **out) {
    cmrp_clear_error();
    if (device < 0) {
        return cmrp_fail("device must be >= 0, was %d", device);
    }
    if (cmrp_cuda_load(NULL, NULL) != 0) {
        return -1;
    }
    cmrp_journal *j = NULL;
    if (cmrp_journal_alloc(&cuda_ops, pool_size, ring_capacity, reanchor_interval_ns, &j) != 0) {
        return -1;
    }
    cmrp_cuda_state *s = calloc(1, sizeof *s);
    if (!s) {
        cmrp_journal_destroy(j);
        return cmrp_fail("cannot allocate the CUDA state");
    }
    s->device = device;
    j->backend = s;
    int caller_device = -1;
    cmrp_cuda_error rc = cmrp_cu.cudaGetDevice(&caller_device);
    if (rc != CMRP_CUDA_SUCCESS) {
        return cuda_failure(j, -1, "cudaGetDevice", rc);
    }
    rc = cmrp_cu.cudaSetDevice(device);
    if (rc != CMRP_CUDA_SUCCESS) {
        return cuda_failure(j, caller_device, "cudaSetDevice", rc);
    }
    for (uint64_t i = 0; i <= j->pool.mask; i++) {
        cmrp_cuda_event event = NULL;
        rc = cmrp_cu.cudaEventCreateWithFlags(&event, CMRP_CUDA_EVENT_DEFAULT);
        if (rc != CMRP_CUDA_SUCCESS) {
            return cuda_failure(j, caller_device, "cudaEventCreateWithFlags", rc);
        }
        j->pool.slots[i].event = event;
    }
    rc = cmrp_cu.cudaEventCreateWithFlags(&s->reference, CMRP_CUDA_EVENT_DEFAULT);
    if (rc == CMRP_CUDA_SUCCESS) {
        rc = cmrp_cu.cudaEventCreateWithFlags(&s->spare, CMRP_CUDA_EVENT_DEFAULT);
    }
    if (rc != CMRP_CUDA_SUCCESS) {
        return cuda_failure(j, caller_device, "cudaEventCreateWithFlags (reference)", rc);
    }
    rc = cmrp_cu.cudaStreamCreateWithFlags(&s->private_stream, CMRP_CUDA_STREAM_NON_BLOCKING);
    if (rc != CMRP_CUDA_SUCCESS) {
        return cuda_failure(j, caller_device, "cudaStreamCreateWithFlags", rc);
    }
    if (cmrp_journal_attach(j, NULL) != 0 || cmrp_journal_start(j) != 0) {
        char reason[512];
        snprintf(reason, sizeof reason, "%s", cmrp_last_error());
        cmrp_journal_destroy(j);
        cmrp_cu.cudaSetDevice(caller_device);
        return cmrp_fail("%s", reason);
    }
    cmrp_cu.cudaSetDevice(caller_device);
    *out = j;
    return 0;
}
