/*
 * The C floor of MarkLifeCycle, callable from the JVM (dev.cmr.bench.MarkFloor), so that the floor runs in the
 * same process, on the same queue and thread, interleaved with the Java ways: the bare vendor calls of a mark's
 * life, timed here in C with the JNI crossing (one per batch) outside the timed region.
 *
 * enqueue: clEnqueueMarkerWithWaitList per mark, then one clFlush.
 * resolve: per mark clGetEventInfo(CL_EVENT_COMMAND_EXECUTION_STATUS) (must be CL_COMPLETE: the caller settled the
 *          queue), clGetEventProfilingInfo START and QUEUED, clReleaseEvent.
 * Both return the elapsed nanoseconds, or a negative code naming the call that failed (see MarkFloor).
 * journalEnqueue / journalResolve: the same through libcmrprobe's C ABI (cmrp_journal_mark per mark, then one
 * clFlush; cmrp_journal_drain until the batch is back), so that the journal's own cost shows without JNI.
 * One thread at a time (static event and timestamp arrays).
 */
#define _GNU_SOURCE
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
#include <jni.h>
#include <stddef.h>

#include "cmrprobe.h"
#include <stdint.h>
#include <time.h>

#define MAX_BATCH 4096

static cl_event events[MAX_BATCH];
static cl_ulong starts[MAX_BATCH];
static cl_ulong queueds[MAX_BATCH];
static int pending;
static int64_t checksum;

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

JNIEXPORT jlong JNICALL Java_dev_cmr_bench_MarkFloor_enqueue(JNIEnv *env, jclass cls, jlong queue, jint count) {
    (void)env;
    (void)cls;
    if (count < 1 || count > MAX_BATCH || pending != 0) {
        return -1;
    }
    cl_command_queue q = (cl_command_queue)(intptr_t)queue;
    int64_t t0 = now_ns();
    for (int i = 0; i < count; i++) {
        if (clEnqueueMarkerWithWaitList(q, 0, NULL, &events[i]) != CL_SUCCESS) {
            pending = i;
            return -2;
        }
    }
    if (clFlush(q) != CL_SUCCESS) {
        pending = count;
        return -3;
    }
    int64_t elapsed = now_ns() - t0;
    pending = count;
    return elapsed;
}

JNIEXPORT jlong JNICALL Java_dev_cmr_bench_MarkFloor_resolve(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    int count = pending;
    int64_t t0 = now_ns();
    jlong rc = 0;
    for (int i = 0; i < count; i++) {
        cl_int status = 1;
        if (clGetEventInfo(events[i], CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, NULL) != CL_SUCCESS) {
            rc = rc ? rc : -4;
        } else if (status != CL_COMPLETE) {
            rc = rc ? rc : -5;
        } else if (clGetEventProfilingInfo(events[i], CL_PROFILING_COMMAND_START, sizeof(cl_ulong), &starts[i], NULL)
                       != CL_SUCCESS
                   || clGetEventProfilingInfo(events[i], CL_PROFILING_COMMAND_QUEUED, sizeof(cl_ulong), &queueds[i],
                                              NULL) != CL_SUCCESS) {
            rc = rc ? rc : -6;
        }
        if (clReleaseEvent(events[i]) != CL_SUCCESS) {
            rc = rc ? rc : -7;
        }
    }
    int64_t elapsed = now_ns() - t0;
    pending = 0;
    for (int i = 0; i < count; i++) {
        checksum += (int64_t)(starts[i] - queueds[i]);
    }
    return rc ? rc : elapsed;
}

JNIEXPORT jlong JNICALL Java_dev_cmr_bench_MarkFloor_checksum(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return checksum;
}

static int64_t journal_tags[MAX_BATCH], journal_device[MAX_BATCH], journal_queued[MAX_BATCH];
static int journal_pending;

JNIEXPORT jlong JNICALL Java_dev_cmr_bench_MarkFloor_journalOpen(JNIEnv *env, jclass cls, jlong queue) {
    (void)env;
    (void)cls;
    cmrp_journal *j = NULL;
    if (cmrp_opencl_journal_create((void *)(intptr_t)queue, 1024, 4096, 0, CMRP_RESOLVE_POLL, &j) != 0) {
        return 0;
    }
    return (jlong)(intptr_t)j;
}

JNIEXPORT void JNICALL Java_dev_cmr_bench_MarkFloor_journalClose(JNIEnv *env, jclass cls, jlong journal) {
    (void)env;
    (void)cls;
    cmrp_journal_destroy((cmrp_journal *)(intptr_t)journal);
}

JNIEXPORT jlong JNICALL Java_dev_cmr_bench_MarkFloor_journalEnqueue(JNIEnv *env, jclass cls, jlong journal,
                                                                    jlong queue, jint count) {
    (void)env;
    (void)cls;
    if (count < 1 || count > MAX_BATCH || journal_pending != 0) {
        return -1;
    }
    cmrp_journal *j = (cmrp_journal *)(intptr_t)journal;
    void *q = (void *)(intptr_t)queue;
    int64_t t0 = now_ns();
    for (int i = 0; i < count; i++) {
        if (cmrp_journal_mark(j, q, i) != 0) {
            return -2;
        }
    }
    if (clFlush((cl_command_queue)q) != CL_SUCCESS) {
        return -3;
    }
    int64_t elapsed = now_ns() - t0;
    journal_pending = count;
    return elapsed;
}

JNIEXPORT jlong JNICALL Java_dev_cmr_bench_MarkFloor_journalResolve(JNIEnv *env, jclass cls, jlong journal) {
    (void)env;
    (void)cls;
    cmrp_journal *j = (cmrp_journal *)(intptr_t)journal;
    int count = journal_pending;
    int64_t t0 = now_ns();
    int got = 0;
    for (int spins = 0; got < count && spins < 1000000; spins++) {
        int32_t n = cmrp_journal_drain(j, journal_tags + got, journal_device + got, journal_queued + got,
                                       count - got, NULL);
        if (n < 0) {
            return -4;
        }
        got += n;
    }
    int64_t elapsed = now_ns() - t0;
    journal_pending = 0;
    if (got != count) {
        return -5;
    }
    for (int i = 0; i < count; i++) {
        if (journal_tags[i] != i) {
            return -5;
        }
        checksum += journal_device[i] - journal_queued[i];
    }
    return elapsed;
}
