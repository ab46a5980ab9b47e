/*
 * OpenCL backend of the journal: a mark is clEnqueueMarkerWithWaitList on the caller's profiling-enabled queue,
 * followed by clSetEventCallback(CL_COMPLETE) on the marker. The callback, on a driver thread, reads the marker's
 * START (device_ns) and QUEUED (queued_ns) profiling times (or takes a negative execution status as the error)
 * and hands them to cmrp_slot_complete, which moves the mark into the ring without blocking. The spec forbids
 * only blocking calls (clFinish, clWaitForEvents, blocking enqueues, ...) and context or queue creation in a
 * callback and requires callbacks to return promptly; clGetEventProfilingInfo is neither, and the profiling
 * times are valid once the status is CL_COMPLETE, which is when the callback runs. Events are released later by
 * the resolver thread, never inside a callback.
 *
 * Fallback: without clSetEventCallback (an OpenCL 1.0 loader), or after it failed once, the resolver polls
 * CL_EVENT_COMMAND_EXECUTION_STATUS with backoff (never waiting on the caller's queue) and reads the same times.
 *
 * Calibration: on a private profiling queue of the same device, host read h0, enqueue a marker, host read h1.
 * The driver stamps QUEUED inside that enqueue call, so the device clock read QUEUED at some host time in
 * [h0, h1]: anchor (host = (h0 + h1) / 2, device = QUEUED, half bracket = (h1 - h0) / 2). The marker is then
 * waited for (on the resolver thread or at creation, never on a caller's thread) to read its profiling info.
 * clGetDeviceAndHostTimer would be the direct route but PoCL answers CL_INVALID_OPERATION, so it is not used.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opencl_api.h"

typedef struct cmrp_opencl_state {
    cmrp_cl_context context;
    cmrp_cl_device_id device;
    cmrp_cl_command_queue private_queue;
    int64_t resolution_ns;
} cmrp_opencl_state;

/* Pending polls of the same head marker after which the resolver flushes its queue once: a driver may hold
 * enqueued commands on the host until a flush, and the caller's next flush could be far away. */
#define CMRP_FLUSH_AFTER_POLLS 8

static cmrp_opencl_state *state_of(cmrp_journal *j) {
    return (cmrp_opencl_state *)j->backend;
}

static int32_t ocl_enqueue(cmrp_journal *j, cmrp_slot *slot, cmrp_call *call) {
    (void)j;
    cmrp_cl_event event = NULL;
    cmrp_cl_int rc = cmrp_cl.clEnqueueMarkerWithWaitList((cmrp_cl_command_queue)slot->queue, 0, NULL, &event);
    slot->event = event;
    slot->pad = 0;
    *call = CMRP_CALL_CL_ENQUEUE_MARKER;
    return rc;
}

/* Driver thread, once per marker: status is CL_COMPLETE or the negative code of an abnormal termination. */
static void CMRP_CL_CALLBACK on_marker_complete(cmrp_cl_event event, cmrp_cl_int status, void *user_data) {
    cmrp_slot *slot = user_data;
    if (cmrp_slot_abandoned(slot)) {
        cmrp_slot_complete(slot, CMRP_COMPLETION_ERROR, 0, 0, 0, CMRP_CALL_NONE);
        return;
    }
    if (status < 0) {
        cmrp_slot_complete(slot, CMRP_COMPLETION_ERROR, 0, 0, status, CMRP_CALL_CL_EVENT_STATUS);
        return;
    }
    cmrp_cl_ulong start = 0, queued = 0;
    cmrp_cl_int rc = cmrp_cl.clGetEventProfilingInfo(event, CMRP_CL_PROFILING_COMMAND_START, sizeof start, &start,
                                                     NULL);
    if (rc == CMRP_CL_SUCCESS) {
        rc = cmrp_cl.clGetEventProfilingInfo(event, CMRP_CL_PROFILING_COMMAND_QUEUED, sizeof queued, &queued, NULL);
    }
    if (rc != CMRP_CL_SUCCESS) {
        cmrp_slot_complete(slot, CMRP_COMPLETION_ERROR, 0, 0, rc, CMRP_CALL_CL_GET_PROFILING);
        return;
    }
    cmrp_slot_complete(slot, CMRP_COMPLETION_DONE, (int64_t)start, (int64_t)queued, 0, CMRP_CALL_NONE);
}

static int32_t ocl_arm(cmrp_journal *j, cmrp_slot *slot, cmrp_call *call) {
    (void)j;
    *call = CMRP_CALL_CL_SET_EVENT_CALLBACK;
    return cmrp_cl.clSetEventCallback((cmrp_cl_event)slot->event, CMRP_CL_COMPLETE, on_marker_complete, slot);
}

static void ocl_nudge(cmrp_journal *j, cmrp_slot *slot) {
    (void)j;
    cmrp_cl.clFlush((cmrp_cl_command_queue)slot->queue);
}

static cmrp_poll_result ocl_poll(cmrp_journal *j, cmrp_slot *slot, int64_t *device_raw, int64_t *queued_raw,
                                 int32_t *code, cmrp_call *call) {
    (void)j;
    cmrp_cl_event event = (cmrp_cl_event)slot->event;
    cmrp_cl_int status = 1;
    cmrp_cl_int rc = cmrp_cl.clGetEventInfo(event, CMRP_CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status,
                                            NULL);
    if (rc != CMRP_CL_SUCCESS) {
        *code = rc;
        *call = CMRP_CALL_CL_GET_EVENT_INFO;
        return CMRP_ERROR;
    }
    if (status < 0) {
        /* The marker (or work before it, on implementations that propagate) terminated abnormally. */
        *code = status;
        *call = CMRP_CALL_CL_EVENT_STATUS;
        return CMRP_ERROR;
    }
    if (status != CMRP_CL_COMPLETE) {
        if (++slot->pad == CMRP_FLUSH_AFTER_POLLS) {
            cmrp_cl.clFlush((cmrp_cl_command_queue)slot->queue);
        }
        return CMRP_PENDING;
    }
    cmrp_cl_ulong start = 0, queued = 0;
    rc = cmrp_cl.clGetEventProfilingInfo(event, CMRP_CL_PROFILING_COMMAND_START, sizeof start, &start, NULL);
    if (rc == CMRP_CL_SUCCESS) {
        rc = cmrp_cl.clGetEventProfilingInfo(event, CMRP_CL_PROFILING_COMMAND_QUEUED, sizeof queued, &queued, NULL);
    }
    if (rc != CMRP_CL_SUCCESS) {
        /* CL_PROFILING_INFO_NOT_AVAILABLE here means the queue lost profiling; counted as failed. */
        *code = rc;
        *call = CMRP_CALL_CL_GET_PROFILING;
        return CMRP_ERROR;
    }
    *device_raw = (int64_t)start;
    *queued_raw = (int64_t)queued;
    return CMRP_DONE;
}

static void ocl_release(cmrp_journal *j, cmrp_slot *slot) {
    (void)j;
    if (slot->event) {
        cmrp_cl.clReleaseEvent((cmrp_cl_event)slot->event);
        slot->event = NULL;
    }
}

static void ocl_release_event(void *event) {
    cmrp_cl.clReleaseEvent((cmrp_cl_event)event);
}

static int32_t ocl_calibrate(cmrp_journal *j, cmrp_anchor *out, cmrp_call *call) {
    cmrp_opencl_state *s = state_of(j);
    cmrp_cl_event event = NULL;
    *call = CMRP_CALL_CL_CALIBRATE;
    int64_t h0 = cmrp_host_now_ns();
    cmrp_cl_int rc = cmrp_cl.clEnqueueMarkerWithWaitList(s->private_queue, 0, NULL, &event);
    int64_t h1 = cmrp_host_now_ns();
    if (rc != CMRP_CL_SUCCESS) {
        return rc;
    }
    rc = cmrp_cl.clFlush(s->private_queue);
    if (rc == CMRP_CL_SUCCESS) {
        rc = cmrp_cl.clWaitForEvents(1, &event);
    }
    cmrp_cl_ulong queued = 0;
    if (rc == CMRP_CL_SUCCESS) {
        rc = cmrp_cl.clGetEventProfilingInfo(event, CMRP_CL_PROFILING_COMMAND_QUEUED, sizeof queued, &queued, NULL);
    }
    cmrp_cl.clReleaseEvent(event);
    if (rc != CMRP_CL_SUCCESS) {
        return rc;
    }
    out->host_ns = h0 + (h1 - h0) / 2;
    out->device_ns = (int64_t)queued;
    out->half_bracket_ns = (h1 - h0 + 1) / 2;
    out->resolution_ns = s->resolution_ns;
    return 0;
}

static int ocl_attach(cmrp_journal *j, void *queue) {
    cmrp_opencl_state *s = state_of(j);
    if (!queue) {
        return cmrp_fail("queue must not be NULL");
    }
    cmrp_cl_command_queue q = queue;
    cmrp_cl_device_id device = NULL;
    cmrp_cl_int rc = cmrp_cl.clGetCommandQueueInfo(q, CMRP_CL_QUEUE_DEVICE, sizeof device, &device, NULL);
    if (rc != CMRP_CL_SUCCESS) {
        return cmrp_fail("clGetCommandQueueInfo(CL_QUEUE_DEVICE) failed: %s (%d)",
                         cmrp_cl_error_name(rc) ? cmrp_cl_error_name(rc) : "unknown", rc);
    }
    if (device != s->device) {
        return cmrp_fail("queue belongs to another device than the journal's: one journal per device, so that "
                         "one clock calibration holds");
    }
    cmrp_cl_bitfield properties = 0;
    rc = cmrp_cl.clGetCommandQueueInfo(q, CMRP_CL_QUEUE_PROPERTIES, sizeof properties, &properties, NULL);
    if (rc != CMRP_CL_SUCCESS) {
        return cmrp_fail("clGetCommandQueueInfo(CL_QUEUE_PROPERTIES) failed: %s (%d)",
                         cmrp_cl_error_name(rc) ? cmrp_cl_error_name(rc) : "unknown", rc);
    }
    if (!(properties & CMRP_CL_QUEUE_PROFILING_ENABLE)) {
        return cmrp_fail("queue was created without CL_QUEUE_PROFILING_ENABLE: markers on it carry no timestamps");
    }
    rc = cmrp_cl.clRetainCommandQueue(q);
    if (rc != CMRP_CL_SUCCESS) {
        return cmrp_fail("clRetainCommandQueue failed: %s (%d)",
                         cmrp_cl_error_name(rc) ? cmrp_cl_error_name(rc) : "unknown", rc);
    }
    return 0;
}

static void ocl_destroy(cmrp_journal *j) {
    cmrp_opencl_state *s = state_of(j);
    if (!s) {
        return;
    }
    int32_t n = atomic_load_explicit(&j->queue_count, memory_order_acquire);
    for (int32_t i = 0; i < n; i++) {
        cmrp_cl.clReleaseCommandQueue((cmrp_cl_command_queue)atomic_load(&j->queues[i]));
    }
    if (s->private_queue) {
        cmrp_cl.clReleaseCommandQueue(s->private_queue);
    }
    free(s);
    j->backend = NULL;
}

static const cmrp_backend_ops opencl_ops = {
    .name = "opencl",
    .enqueue = ocl_enqueue,
    .poll = ocl_poll,
    .release = ocl_release,
    .release_event = ocl_release_event,
    .arm = ocl_arm,
    .nudge = ocl_nudge,
    .calibrate = ocl_calibrate,
    .attach = ocl_attach,
    .thread_init = NULL,
    .code_name = cmrp_cl_error_name,
    .destroy = ocl_destroy,
    .unattached_call = CMRP_CALL_UNATTACHED_QUEUE,
    .unattached_code = CMRP_CL_INVALID_COMMAND_QUEUE,
    .queued_is_device_clock = 1,
};

int cmrp_opencl_journal_create(void *queue, int32_t pool_size, int32_t ring_capacity, int64_t reanchor_interval_ns,
                               int32_t resolve, cmrp_journal **out) {
    cmrp_clear_error();
    if (!queue) {
        return cmrp_fail("queue must not be NULL");
    }
    if (resolve != CMRP_RESOLVE_POLL && resolve != CMRP_RESOLVE_CALLBACK) {
        return cmrp_fail("resolve must be CMRP_RESOLVE_POLL (%d) or CMRP_RESOLVE_CALLBACK (%d), was %d",
                         CMRP_RESOLVE_POLL, CMRP_RESOLVE_CALLBACK, resolve);
    }
    if (cmrp_opencl_load(NULL) != 0) {
        return -1;
    }
    cmrp_journal *j = NULL;
    if (cmrp_journal_alloc(&opencl_ops, pool_size, ring_capacity, reanchor_interval_ns, &j) != 0) {
        return -1;
    }
    cmrp_opencl_state *s = calloc(1, sizeof *s);
    if (!s) {
        cmrp_journal_destroy(j);
        return cmrp_fail("cannot allocate the OpenCL state");
    }
    j->backend = s;
    /* An OpenCL 1.0 loader has no clSetEventCallback: callbacks fall back to polling (documented in cmrprobe.h). */
    if (resolve == CMRP_RESOLVE_POLL || !cmrp_cl.clSetEventCallback) {
        atomic_store_explicit(&j->callbacks_on, 0, memory_order_relaxed);
    }
    cmrp_cl_command_queue q = queue;
    cmrp_cl_int rc = cmrp_cl.clGetCommandQueueInfo(q, CMRP_CL_QUEUE_DEVICE, sizeof s->device, &s->device, NULL);
    if (rc == CMRP_CL_SUCCESS) {
        rc = cmrp_cl.clGetCommandQueueInfo(q, CMRP_CL_QUEUE_CONTEXT, sizeof s->context, &s->context, NULL);
    }
    if (rc != CMRP_CL_SUCCESS) {
        cmrp_journal_destroy(j);
        return cmrp_fail("clGetCommandQueueInfo failed: %s (%d): is this a live cl_command_queue?",
                         cmrp_cl_error_name(rc) ? cmrp_cl_error_name(rc) : "unknown", rc);
    }
    size_t resolution = 1;
    rc = cmrp_cl.clGetDeviceInfo(s->device, CMRP_CL_DEVICE_PROFILING_TIMER_RESOLUTION, sizeof resolution, &resolution,
                                 NULL);
    s->resolution_ns = rc == CMRP_CL_SUCCESS && resolution > 0 ? (int64_t)resolution : 1;
    if (cmrp_journal_attach(j, queue) != 0) {
        /* attach's own message stays in cmrp_last_error(). */
        cmrp_journal_destroy(j);
        return -1;
    }
    const cmrp_cl_ulong props[] = {CMRP_CL_QUEUE_PROPERTIES, CMRP_CL_QUEUE_PROFILING_ENABLE, 0};
    s->private_queue = cmrp_cl.clCreateCommandQueueWithProperties(s->context, s->device, props, &rc);
    if (rc != CMRP_CL_SUCCESS || !s->private_queue) {
        s->private_queue = NULL;
        cmrp_journal_destroy(j);
        return cmrp_fail("clCreateCommandQueueWithProperties (private calibration queue) failed: %s (%d)",
                         cmrp_cl_error_name(rc) ? cmrp_cl_error_name(rc) : "unknown", rc);
    }
    if (cmrp_journal_start(j) != 0) {
        char reason[512];
        snprintf(reason, sizeof reason, "%s", cmrp_last_error());
        cmrp_journal_destroy(j);
        return cmrp_fail("%s", reason);
    }
    *out = j;
    return 0;
}
