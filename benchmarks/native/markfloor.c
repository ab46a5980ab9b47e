/*
 * markfloor: the C side of the `marks` suite (see benchmarks/README.md, "Marks").
 *
 * Measures, in one process, on the first OpenCL device (PoCL here), the cost of a device mark two ways:
 *
 *   mark cost    the caller-thread cost of one mark, timed over batches of BATCH marks; between batches (untimed)
 *                every mark of the batch is completed and released, so the queue and the journal's pool start
 *                each batch empty, exactly as MarkBenchmark's Java batches do:
 *                  vendor    clEnqueueMarkerWithWaitList(queue, 0, NULL, &event[i])
 *                  cmrprobe  cmrp_journal_mark(journal, queue, tag)        (libcmrprobe's C ABI, no JNI), once
 *                            per resolve mode: CMRP_RESOLVE_POLL and CMRP_RESOLVE_CALLBACK
 *
 *   round trip   one mark from enqueue until its START/QUEUED timestamps are in the caller's hands, one at a
 *                time, timed per mark:
 *                  vendor spin      enqueue, clFlush, poll CL_EVENT_COMMAND_EXECUTION_STATUS without sleeping
 *                                   (the journal's completion test, minus its sleeps), clGetEventProfilingInfo
 *                                   START and QUEUED, clReleaseEvent: the floor
 *                  vendor backoff   the same, but sleeping between polls with the journal's backoff
 *                                   (20 us doubling to 2 ms, reset per mark): the cost of polling by backoff
 *                  vendor wait      the same, but clWaitForEvents instead of polling (blocks in the driver)
 *                  cmrprobe         cmrp_journal_mark, clFlush, cmrp_journal_drain spinning until the mark is
 *                                   back, once per resolve mode (poll: the journal's resolver thread and its
 *                                   backoff; callback: the marker's completion callback)
 *
 * Each journal has its own queue (so the other journal's resolver never polls it); the vendor ways use a third.
 *
 * The ways alternate inside every repetition (rep 1: all ways, rep 2: all ways, ...), so machine drift and other
 * processes' load hit them alike. Output: a Markdown table per measurement with, per way, the median, min and
 * max over repetitions of each repetition's mean, and percentiles over all measured marks.
 *
 *   markfloor [repetitions]        (default 10; about 3 s per repetition)
 */
#define _GNU_SOURCE
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmrprobe.h"

#define BATCH 64
#define BATCHES_PER_REP 200
#define TRIPS_PER_REP 2000
#define WARMUP_TRIPS 5000
#define BACKOFF_MIN_NS 20000LL   /* CMRP_BACKOFF_MIN_NS in native/src/internal.h */
#define BACKOFF_MAX_NS 2000000LL /* CMRP_BACKOFF_MAX_NS */

enum { MARK_VENDOR, MARK_CMRPROBE_POLL, MARK_CMRPROBE_CALLBACK, MARK_WAYS };
enum { TRIP_SPIN, TRIP_BACKOFF, TRIP_WAIT, TRIP_CMRPROBE_POLL, TRIP_CMRPROBE_CALLBACK, TRIP_WAYS };
enum { J_POLL, J_CALLBACK, JOURNALS };

static const char *const mark_names[MARK_WAYS] = {
    "vendor: clEnqueueMarkerWithWaitList",
    "cmrprobe C ABI: cmrp_journal_mark, resolve = poll",
    "cmrprobe C ABI: cmrp_journal_mark, resolve = callback",
};
static const char *const trip_names[TRIP_WAYS] = {
    "vendor, spin on clGetEventInfo (floor)",
    "vendor, clGetEventInfo + journal's backoff sleeps",
    "vendor, clWaitForEvents",
    "cmrprobe C ABI, resolve = poll: mark, clFlush, spin on drain",
    "cmrprobe C ABI, resolve = callback: mark, clFlush, spin on drain",
};
static const int32_t journal_modes[JOURNALS] = {CMRP_RESOLVE_POLL, CMRP_RESOLVE_CALLBACK};

static cl_command_queue queue;                /* the vendor ways' */
static cl_command_queue journal_queues[JOURNALS];
static cmrp_journal *journals[JOURNALS];
static int64_t next_tag = 1;

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void check(cl_int rc, const char *call) {
    if (rc != CL_SUCCESS) {
        fprintf(stderr, "markfloor: %s failed: %d\n", call, rc);
        exit(1);
    }
}

static void sleep_ns(int64_t ns) {
    struct timespec ts = {.tv_sec = ns / 1000000000LL, .tv_nsec = ns % 1000000000LL};
    nanosleep(&ts, NULL);
}

static int completed(cl_event event) {
    cl_int status = 1;
    check(clGetEventInfo(event, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, NULL), "clGetEventInfo");
    if (status < 0) {
        fprintf(stderr, "markfloor: marker completed with error %d\n", status);
        exit(1);
    }
    return status == CL_COMPLETE;
}

/* Reads START and QUEUED, as the journal does, and returns START - QUEUED so that the reads cannot be elided. */
static int64_t read_times_and_release(cl_event event) {
    cl_ulong start = 0, queued = 0;
    check(clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_START, sizeof start, &start, NULL), "START");
    check(clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_QUEUED, sizeof queued, &queued, NULL), "QUEUED");
    check(clReleaseEvent(event), "clReleaseEvent");
    return (int64_t)(start - queued);
}

/* ---- mark cost ------------------------------------------------------------------------------------------- */

/* Waits (untimed) until the journal has resolved every mark, and drains them. Blocks in clFinish first, as the
 * vendor way blocks in clWaitForEvents: how the previous batch was waited for changes PoCL's next enqueues by a
 * few hundred ns (spinning on the status while its worker completes them makes them dearer), so every way must
 * wait the same way. */
static void journal_settle(cmrp_journal *journal, cl_command_queue queue) {
    static int64_t tags[BATCH * 4];
    check(clFinish(queue), "clFinish");
    while (cmrp_journal_resolved(journal) < cmrp_journal_marked(journal)) {
        cmrp_journal_drain(journal, tags, NULL, NULL, BATCH * 4, NULL);
    }
    while (cmrp_journal_drain(journal, tags, NULL, NULL, BATCH * 4, NULL) > 0) {
    }
}

/* Returns the total ns spent in BATCHES_PER_REP batches of BATCH marks (only the marking is timed). */
static int64_t mark_rep(int way) {
    cl_event events[BATCH];
    int64_t total = 0;
    for (int b = 0; b < BATCHES_PER_REP; b++) {
        if (way == MARK_VENDOR) {
            int64_t t0 = now_ns();
            for (int i = 0; i < BATCH; i++) {
                check(clEnqueueMarkerWithWaitList(queue, 0, NULL, &events[i]), "clEnqueueMarkerWithWaitList");
            }
            total += now_ns() - t0;
            check(clFlush(queue), "clFlush");
            check(clWaitForEvents(BATCH, events), "clWaitForEvents");
            for (int i = 0; i < BATCH; i++) {
                clReleaseEvent(events[i]);
            }
        } else {
            int which = way == MARK_CMRPROBE_POLL ? J_POLL : J_CALLBACK;
            cmrp_journal *journal = journals[which];
            cl_command_queue jq = journal_queues[which];
            int failed = 0;
            int64_t t0 = now_ns();
            for (int i = 0; i < BATCH; i++) {
                failed |= cmrp_journal_mark(journal, jq, next_tag++);
            }
            total += now_ns() - t0;
            if (failed) {
                fprintf(stderr, "markfloor: cmrp_journal_mark failed (dropped %lld, failed %lld)\n",
                        (long long)cmrp_journal_dropped(journal), (long long)cmrp_journal_failed(journal));
                exit(1);
            }
            journal_settle(journal, jq);
        }
    }
    return total;
}

/* ---- round trip ------------------------------------------------------------------------------------------ */

static volatile int64_t sink;

static int64_t trip(int way) {
    int64_t t0 = now_ns();
    if (way == TRIP_CMRPROBE_POLL || way == TRIP_CMRPROBE_CALLBACK) {
        int which = way == TRIP_CMRPROBE_POLL ? J_POLL : J_CALLBACK;
        cmrp_journal *journal = journals[which];
        int64_t tag = next_tag++, got = 0, device = 0;
        if (cmrp_journal_mark(journal, journal_queues[which], tag) != 0) {
            fprintf(stderr, "markfloor: cmrp_journal_mark failed\n");
            exit(1);
        }
        check(clFlush(journal_queues[which]), "clFlush");
        while (cmrp_journal_drain(journal, &got, &device, NULL, 1, NULL) == 0) {
        }
        int64_t elapsed = now_ns() - t0;
        if (got != tag) {
            fprintf(stderr, "markfloor: drained tag %lld, expected %lld\n", (long long)got, (long long)tag);
            exit(1);
        }
        sink = device;
        return elapsed;
    }
    cl_event event;
    check(clEnqueueMarkerWithWaitList(queue, 0, NULL, &event), "clEnqueueMarkerWithWaitList");
    check(clFlush(queue), "clFlush");
    if (way == TRIP_WAIT) {
        check(clWaitForEvents(1, &event), "clWaitForEvents");
    } else {
        int64_t backoff = BACKOFF_MIN_NS;
        while (!completed(event)) {
            if (way == TRIP_BACKOFF) {
                sleep_ns(backoff);
                backoff = backoff * 2 > BACKOFF_MAX_NS ? BACKOFF_MAX_NS : backoff * 2;
            }
        }
    }
    sink = read_times_and_release(event);
    return now_ns() - t0;
}

/* ---- statistics ------------------------------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double pct(const int64_t *sorted, size_t n, double p) {
    size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
    return (double)sorted[i];
}

int main(int argc, char **argv) {
    int reps = argc > 1 ? atoi(argv[1]) : 10;
    if (reps < 1) {
        fprintf(stderr, "usage: markfloor [repetitions >= 1]\n");
        return 2;
    }
    cl_platform_id platform;
    cl_device_id device;
    cl_int err;
    check(clGetPlatformIDs(1, &platform, NULL), "clGetPlatformIDs");
    check(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &device, NULL), "clGetDeviceIDs");
    char device_name[256] = "", platform_name[256] = "";
    clGetDeviceInfo(device, CL_DEVICE_NAME, sizeof device_name, device_name, NULL);
    clGetPlatformInfo(platform, CL_PLATFORM_VERSION, sizeof platform_name, platform_name, NULL);
    cl_context context = clCreateContext(NULL, 1, &device, NULL, NULL, &err);
    check(err, "clCreateContext");
    const cl_queue_properties props[] = {CL_QUEUE_PROPERTIES, CL_QUEUE_PROFILING_ENABLE, 0};
    queue = clCreateCommandQueueWithProperties(context, device, props, &err);
    check(err, "clCreateCommandQueueWithProperties");
    for (int k = 0; k < JOURNALS; k++) {
        journal_queues[k] = clCreateCommandQueueWithProperties(context, device, props, &err);
        check(err, "clCreateCommandQueueWithProperties");
        if (cmrp_opencl_journal_create(journal_queues[k], 1024, 4096, 0, journal_modes[k], &journals[k]) != 0) {
            fprintf(stderr, "markfloor: cmrp_opencl_journal_create failed: %s\n", cmrp_last_error());
            return 1;
        }
    }
    printf("markfloor: %s, %s; %d repetitions; mark cost: %d batches of %d marks per repetition; round trip: %d "
           "marks per repetition; warm-up %d round trips per way\n\n",
           platform_name, device_name, reps, BATCHES_PER_REP, BATCH, TRIPS_PER_REP, WARMUP_TRIPS);
    fflush(stdout);

    /* Warm-up: the queue's first markers, the driver's event allocator, the journal's first resolutions. */
    for (int w = 0; w < TRIP_WAYS; w++) {
        for (int i = 0; i < (w == TRIP_BACKOFF ? WARMUP_TRIPS / 10 : WARMUP_TRIPS); i++) {
            trip(w);
        }
    }
    for (int w = 0; w < MARK_WAYS; w++) {
        mark_rep(w);
    }

    double *mark_means[MARK_WAYS], *trip_means[TRIP_WAYS];
    int64_t *trip_all[TRIP_WAYS];
    for (int w = 0; w < MARK_WAYS; w++) mark_means[w] = calloc((size_t)reps, sizeof(double));
    for (int w = 0; w < TRIP_WAYS; w++) {
        trip_means[w] = calloc((size_t)reps, sizeof(double));
        trip_all[w] = calloc((size_t)reps * TRIPS_PER_REP, sizeof(int64_t));
    }
    for (int r = 0; r < reps; r++) {
        for (int w = 0; w < MARK_WAYS; w++) {
            mark_means[w][r] = (double)mark_rep(w) / (BATCHES_PER_REP * BATCH);
        }
        for (int w = 0; w < TRIP_WAYS; w++) {
            int64_t sum = 0;
            for (int i = 0; i < TRIPS_PER_REP; i++) {
                int64_t t = trip(w);
                trip_all[w][(size_t)r * TRIPS_PER_REP + (size_t)i] = t;
                sum += t;
            }
            trip_means[w][r] = (double)sum / TRIPS_PER_REP;
        }
        fprintf(stderr, "repetition %d/%d done\n", r + 1, reps);
    }

    printf("### mark cost on the calling thread (ns per mark)\n\n");
    printf("| way | reps | marks/rep | median of rep means | min..max of rep means |\n|---|---:|---:|---:|---:|\n");
    for (int w = 0; w < MARK_WAYS; w++) {
        double med = median(mark_means[w], reps);
        printf("| %s | %d | %d | %.1f | %.1f..%.1f |\n", mark_names[w], reps, BATCHES_PER_REP * BATCH, med,
               mark_means[w][0], mark_means[w][reps - 1]);
    }
    printf("\n### round trip: enqueue to timestamps in the caller's hands (us per mark)\n\n");
    printf("| way | reps | marks/rep | median of rep means | min..max of rep means | p50 | p90 | p99 | max |\n"
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int w = 0; w < TRIP_WAYS; w++) {
        size_t n = (size_t)reps * TRIPS_PER_REP;
        qsort(trip_all[w], n, sizeof(int64_t), cmp_i64);
        double med = median(trip_means[w], reps);
        printf("| %s | %d | %d | %.2f | %.2f..%.2f | %.2f | %.2f | %.2f | %.1f |\n", trip_names[w], reps,
               TRIPS_PER_REP, med / 1e3, trip_means[w][0] / 1e3, trip_means[w][reps - 1] / 1e3,
               pct(trip_all[w], n, 50) / 1e3, pct(trip_all[w], n, 90) / 1e3, pct(trip_all[w], n, 99) / 1e3,
               (double)trip_all[w][n - 1] / 1e3);
    }
    for (int k = 0; k < JOURNALS; k++) {
        cmrp_journal *journal = journals[k];
        printf("\njournal counters (resolve = %s): marked %lld, resolved %lld, dropped %lld, failed %lld, clock "
               "anchors %lld\n", k == J_POLL ? "poll" : "callback",
               (long long)cmrp_journal_marked(journal), (long long)cmrp_journal_resolved(journal),
               (long long)cmrp_journal_dropped(journal), (long long)cmrp_journal_failed(journal),
               (long long)cmrp_journal_anchors(journal));
        cmrp_journal_destroy(journal);
        clReleaseCommandQueue(journal_queues[k]);
    }
    clReleaseCommandQueue(queue);
    clReleaseContext(context);
    return 0;
}
