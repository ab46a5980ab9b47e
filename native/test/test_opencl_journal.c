/* The OpenCL journal against the fake runtime (CMRP_FAKE_OPENCL): ordering, clock mapping, drops, failures,
 * back-pressure, release of everything on destroy. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <time.h>

#include "check.h"
#include "internal.h"

static void *fake;
static void *(*fake_queue)(void);
static void *(*fake_unprofiled_queue)(void);
static void (*set_complete_at_once)(int);
static void (*complete_all)(void);
static void (*fail_next_enqueue)(int32_t);
static void (*error_next_status)(int32_t);
static int (*live_events)(void);
static int (*private_queues_live)(void);

static void bind_fake(void) {
    const char *path = getenv("CMRP_FAKE_OPENCL");
    CHECK(path != NULL);
    CHECK_EQ(cmrp_opencl_load(path), 0);
    fake = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    CHECK(fake != NULL);
    *(void **)&fake_queue = dlsym(fake, "fake_cl_queue");
    *(void **)&fake_unprofiled_queue = dlsym(fake, "fake_cl_unprofiled_queue");
    *(void **)&set_complete_at_once = dlsym(fake, "fake_cl_set_complete_at_once");
    *(void **)&complete_all = dlsym(fake, "fake_cl_complete_all");
    *(void **)&fail_next_enqueue = dlsym(fake, "fake_cl_fail_next_enqueue");
    *(void **)&error_next_status = dlsym(fake, "fake_cl_error_next_status");
    *(void **)&live_events = dlsym(fake, "fake_cl_live_events");
    *(void **)&private_queues_live = dlsym(fake, "fake_cl_private_queues_live");
    CHECK(fake_queue && complete_all && live_events && private_queues_live);
}

static void sleep_ms(int ms) {
    struct timespec ts = {.tv_sec = 0, .tv_nsec = ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* Waits (up to 2 s) for the resolver thread to reach a count. */
static void await_resolved(cmrp_journal *j, int64_t n) {
    for (int i = 0; i < 2000 && cmrp_journal_resolved(j) < n; i++) sleep_ms(1);
    CHECK_EQ(cmrp_journal_resolved(j), n);
}

static cmrp_journal *create(int32_t pool, int32_t ring) {
    cmrp_journal *j = NULL;
    if (cmrp_opencl_journal_create(fake_queue(), pool, ring, 0, &j) != 0) {
        fprintf(stderr, "create failed: %s\n", cmrp_last_error());
        exit(1);
    }
    return j;
}

static void marks_resolve_in_order_on_the_host_clock_within_the_bound(void) {
    set_complete_at_once(1);
    cmrp_journal *j = create(16, 16);
    CHECK_EQ(cmrp_journal_anchors(j), 1);
    CHECK(cmrp_journal_anchor_error_ns(j) < 1000000);
    int64_t before = cmrp_host_now_ns();
    for (int i = 0; i < 5; i++) CHECK_EQ(cmrp_journal_mark(j, fake_queue(), 100 + i), 0);
    int64_t after = cmrp_host_now_ns();
    await_resolved(j, 5);
    int64_t tags[8], device[8], queued[8], bound = -1;
    CHECK_EQ(cmrp_journal_drain(j, tags, device, queued, 8, &bound), 5);
    CHECK(bound > 0);
    for (int i = 0; i < 5; i++) {
        CHECK_EQ(tags[i], 100 + i);
        /* The fake's device clock runs 250 ms ahead; mapped back, the queued time lies in the host bracket. */
        CHECK(queued[i] >= before - bound && queued[i] <= after + bound);
        CHECK(device[i] >= queued[i] - bound);
        if (i > 0) CHECK(queued[i] >= queued[i - 1]);
    }
    CHECK_EQ(cmrp_journal_drain(j, tags, device, queued, 8, &bound), 0);
    CHECK_EQ(cmrp_journal_marked(j), 5);
    CHECK_EQ(cmrp_journal_failed(j), 0);
    char error[128];
    CHECK_EQ(cmrp_journal_last_error(j, error, sizeof error), 0);
    CHECK_CONTAINS(cmrp_journal_backend(j), "opencl");
    cmrp_journal_destroy(j);
    CHECK_EQ(live_events(), 0);
}

static void failed_enqueue_counts_and_names_the_call_and_code(void) {
    set_complete_at_once(1);
    cmrp_journal *j = create(8, 8);
    fail_next_enqueue(-5);
    CHECK_EQ(cmrp_journal_mark(j, fake_queue(), 1), -1);
    CHECK_EQ(cmrp_journal_failed(j), 1);
    char error[256];
    CHECK(cmrp_journal_last_error(j, error, sizeof error) > 0);
    CHECK_CONTAINS(error, "clEnqueueMarkerWithWaitList failed: CL_OUT_OF_RESOURCES (-5)");
    /* The journal carries on: the next mark resolves, and the failed slot was handed back. */
    CHECK_EQ(cmrp_journal_mark(j, fake_queue(), 2), 0);
    await_resolved(j, 1);
    int64_t tags[4];
    CHECK_EQ(cmrp_journal_drain(j, tags, NULL, NULL, 4, NULL), 1);
    CHECK_EQ(tags[0], 2);
    cmrp_journal_destroy(j);
}

static void marker_ending_in_error_status_counts_as_failed(void) {
    set_complete_at_once(1);
    cmrp_journal *j = create(8, 8);
    error_next_status(-14);
    CHECK_EQ(cmrp_journal_mark(j, fake_queue(), 1), 0);
    CHECK_EQ(cmrp_journal_mark(j, fake_queue(), 2), 0);
    await_resolved(j, 1);
    CHECK_EQ(cmrp_journal_failed(j), 1);
    char error[256];
    cmrp_journal_last_error(j, error, sizeof error);
    CHECK_CONTAINS(error, "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST (-14)");
    CHECK_CONTAINS(error, "CL_EVENT_COMMAND_EXECUTION_STATUS");
    cmrp_journal_destroy(j);
    CHECK_EQ(live_events(), 0);
}

static void unattached_queue_is_refused_before_the_driver(void) {
    set_complete_at_once(1);
    cmrp_journal *j = create(8, 8);
    int not_a_queue = 42;
    CHECK_EQ(cmrp_journal_mark(j, &not_a_queue, 1), -1);
    CHECK_EQ(cmrp_journal_mark(j, NULL, 1), -1);
    CHECK_EQ(cmrp_journal_failed(j), 2);
    char error[256];
    cmrp_journal_last_error(j, error, sizeof error);
    CHECK_CONTAINS(error, "not attached");
    CHECK_CONTAINS(error, "CL_INVALID_COMMAND_QUEUE (-36)");
    /* Attaching checks the profiling flag. */
    CHECK_EQ(cmrp_journal_attach(j, fake_unprofiled_queue()), -1);
    CHECK_CONTAINS(cmrp_last_error(), "CL_QUEUE_PROFILING_ENABLE");
    cmrp_journal_destroy(j);
}

static void full_pool_drops_and_counts_without_waiting(void) {
    set_complete_at_once(0);
    cmrp_journal *j = create(4, 8);
    int ok = 0;
    for (int i = 0; i < 6; i++) ok += cmrp_journal_mark(j, fake_queue(), i) == 0;
    CHECK_EQ(ok, 4);
    CHECK_EQ(cmrp_journal_dropped(j), 2);
    complete_all();
    await_resolved(j, 4);
    CHECK_EQ(cmrp_journal_mark(j, fake_queue(), 6), 0); /* slots came back */
    set_complete_at_once(1);
    cmrp_journal_destroy(j);
    complete_all();
    CHECK_EQ(live_events(), 0);
}

static void full_ring_holds_marks_in_the_pool_until_drained(void) {
    set_complete_at_once(1);
    cmrp_journal *j = create(4, 2);
    for (int i = 0; i < 2; i++) CHECK_EQ(cmrp_journal_mark(j, fake_queue(), i), 0);
    await_resolved(j, 2);
    for (int i = 2; i < 6; i++) CHECK_EQ(cmrp_journal_mark(j, fake_queue(), i), 0);
    sleep_ms(20);
    CHECK_EQ(cmrp_journal_resolved(j), 2);          /* ring full: nothing more resolved ... */
    CHECK_EQ(cmrp_journal_mark(j, fake_queue(), 6), -1); /* ... and the pool is full, so marks drop */
    CHECK_EQ(cmrp_journal_dropped(j), 1);
    int64_t tags[8];
    int64_t seen = 0;
    for (int round = 0; round < 2000 && seen < 6; round++) {
        int32_t n = cmrp_journal_drain(j, tags, NULL, NULL, 8, NULL);
        for (int32_t i = 0; i < n; i++) CHECK_EQ(tags[i], seen + i); /* nothing lost, order kept */
        seen += n;
        sleep_ms(1);
    }
    CHECK_EQ(seen, 6);
    cmrp_journal_destroy(j);
}

static void destroy_releases_pending_events_and_queues(void) {
    set_complete_at_once(0);
    cmrp_journal *j = create(8, 8);
    for (int i = 0; i < 3; i++) CHECK_EQ(cmrp_journal_mark(j, fake_queue(), i), 0);
    cmrp_journal_destroy(j);
    complete_all(); /* the fake's own references */
    CHECK_EQ(live_events(), 0);
    CHECK_EQ(private_queues_live(), 0);
    set_complete_at_once(1);
}

static void invalid_sizes_are_rejected_with_the_argument_name(void) {
    cmrp_journal *j = NULL;
    CHECK_EQ(cmrp_opencl_journal_create(fake_queue(), 3, 8, 0, &j), -1);
    CHECK_CONTAINS(cmrp_last_error(), "pool_size must be a power of two");
    CHECK_EQ(cmrp_opencl_journal_create(fake_queue(), 8, 1 << 20, 0, &j), -1);
    CHECK_CONTAINS(cmrp_last_error(), "ring_capacity must be a power of two");
    CHECK_EQ(cmrp_opencl_journal_create(fake_unprofiled_queue(), 8, 8, 0, &j), -1);
    CHECK_CONTAINS(cmrp_last_error(), "CL_QUEUE_PROFILING_ENABLE");
    CHECK(j == NULL);
}

int main(void) {
    bind_fake();
    RUN(marks_resolve_in_order_on_the_host_clock_within_the_bound);
    RUN(failed_enqueue_counts_and_names_the_call_and_code);
    RUN(marker_ending_in_error_status_counts_as_failed);
    RUN(unattached_queue_is_refused_before_the_driver);
    RUN(full_pool_drops_and_counts_without_waiting);
    RUN(full_ring_holds_marks_in_the_pool_until_drained);
    RUN(destroy_releases_pending_events_and_queues);
    RUN(invalid_sizes_are_rejected_with_the_argument_name);
    return 0;
}
