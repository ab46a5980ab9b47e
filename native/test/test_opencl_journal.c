/* The OpenCL journal against the fake runtime (CMRP_FAKE_OPENCL): ordering, clock mapping, drops, failures,
 * back-pressure, release of everything on destroy; completion callbacks (out of order, error status, on other
 * threads, after destroy) and the fallback to polling. Run it under CMRP_SANITIZE=thread and =address too. */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>
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
static void (*complete_one)(int);
static void (*terminate_one)(int, int32_t);
static void (*refuse_callbacks)(int);
static int (*callbacks_registered)(void);
static int (*callbacks_called)(void);
static long (*status_queries)(void);

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
    *(void **)&complete_one = dlsym(fake, "fake_cl_complete_one");
    *(void **)&terminate_one = dlsym(fake, "fake_cl_terminate_one");
    *(void **)&refuse_callbacks = dlsym(fake, "fake_cl_refuse_callbacks");
    *(void **)&callbacks_registered = dlsym(fake, "fake_cl_callbacks_registered");
    *(void **)&callbacks_called = dlsym(fake, "fake_cl_callbacks_called");
    *(void **)&status_queries = dlsym(fake, "fake_cl_status_queries");
    CHECK(fake_queue && complete_all && live_events && private_queues_live);
    CHECK(complete_one && terminate_one && refuse_callbacks && callbacks_registered && callbacks_called &&
          status_queries);
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

/* The resolve mode of journals made by create(): the mode-neutral tests run once in each (see main). */
static int32_t mode = CMRP_RESOLVE_CALLBACK;

static cmrp_journal *create_in(int32_t resolve, int32_t pool, int32_t ring) {
    cmrp_journal *j = NULL;
    if (cmrp_opencl_journal_create(fake_queue(), pool, ring, 0, resolve, &j) != 0) {
        fprintf(stderr, "create failed: %s\n", cmrp_last_error());
        exit(1);
    }
    return j;
}

static cmrp_journal *create(int32_t pool, int32_t ring) {
    return create_in(mode, pool, ring);
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


/* A driver thread: completes every pending marker, so callbacks run off the test's and the journal's threads. */
static void *complete_all_on_a_thread(void *arg) {
    (void)arg;
    complete_all();
    return NULL;
}

static void complete_all_from_another_thread(void) {
    pthread_t t;
    CHECK_EQ(pthread_create(&t, NULL, complete_all_on_a_thread, NULL), 0);
    pthread_join(t, NULL);
}

static void callbacks_resolve_marks_without_polling_the_event_status(void) {
    set_complete_at_once(0);
    cmrp_journal *j = create_in(CMRP_RESOLVE_CALLBACK, 16, 16);
    CHECK_EQ(cmrp_journal_callbacks_on(j), 1);
    int registered = callbacks_registered(), called = callbacks_called();
    long queries = status_queries();
    int64_t before = cmrp_host_now_ns();
    for (int i = 0; i < 5; i++) CHECK_EQ(cmrp_journal_mark(j, fake_queue(), 10 + i), 0);
    CHECK_EQ(callbacks_registered() - registered, 5);
    sleep_ms(5); /* nothing completes, so nothing resolves */
    CHECK_EQ(cmrp_journal_resolved(j), 0);
    complete_all_from_another_thread();
    int64_t after = cmrp_host_now_ns();
    await_resolved(j, 5);
    CHECK_EQ(callbacks_called() - called, 5);
    CHECK_EQ(status_queries() - queries, 0); /* the resolver never asked for a status: callbacks only */
    int64_t tags[8], device[8], queued[8], bound = -1;
    CHECK_EQ(cmrp_journal_drain(j, tags, device, queued, 8, &bound), 5);
    for (int i = 0; i < 5; i++) {
        CHECK_EQ(tags[i], 10 + i);
        CHECK(queued[i] >= before - bound && device[i] <= after + bound);
    }
    CHECK_EQ(cmrp_journal_failed(j), 0);
    cmrp_journal_destroy(j);
    CHECK_EQ(live_events(), 0);
    set_complete_at_once(1);
}

static void out_of_order_completions_are_published_in_mark_order(void) {
    set_complete_at_once(0);
    cmrp_journal *j = create_in(CMRP_RESOLVE_CALLBACK, 8, 8);
    for (int i = 0; i < 4; i++) CHECK_EQ(cmrp_journal_mark(j, fake_queue(), i), 0);
    complete_one(2);
    complete_one(1);
    sleep_ms(10);
    CHECK_EQ(cmrp_journal_resolved(j), 0); /* mark 0 still pending holds back 1 and 2 */
    complete_one(0);
    await_resolved(j, 3); /* the callback of 0 moves 0, 1, 2 at once */
    int64_t tags[8];
    CHECK_EQ(cmrp_journal_drain(j, tags, NULL, NULL, 8, NULL), 3);
    for (int i = 0; i < 3; i++) CHECK_EQ(tags[i], i);
    complete_one(3);
    await_resolved(j, 4);
    CHECK_EQ(cmrp_journal_drain(j, tags, NULL, NULL, 8, NULL), 1);
    CHECK_EQ(tags[0], 3);
    complete_all();
    cmrp_journal_destroy(j);
    CHECK_EQ(live_events(), 0);
    set_complete_at_once(1);
}

static void error_status_delivered_to_the_callback_counts_as_failed_with_its_code(void) {
    set_complete_at_once(0);
    cmrp_journal *j = create_in(CMRP_RESOLVE_CALLBACK, 8, 8);
    CHECK_EQ(cmrp_journal_mark(j, fake_queue(), 1), 0);
    CHECK_EQ(cmrp_journal_mark(j, fake_queue(), 2), 0);
    terminate_one(0, -5);
    complete_one(1);
    await_resolved(j, 1);
    CHECK_EQ(cmrp_journal_failed(j), 1);
    char error[256];
    CHECK(cmrp_journal_last_error(j, error, sizeof error) > 0);
    CHECK_CONTAINS(error, "CL_EVENT_COMMAND_EXECUTION_STATUS");
    CHECK_CONTAINS(error, "CL_OUT_OF_RESOURCES (-5)");
    int64_t tags[4];
    CHECK_EQ(cmrp_journal_drain(j, tags, NULL, NULL, 4, NULL), 1);
    CHECK_EQ(tags[0], 2);
    complete_all();
    cmrp_journal_destroy(j);
    CHECK_EQ(live_events(), 0);
    set_complete_at_once(1);
}

static void refused_callback_registration_falls_back_to_polling(void) {
    set_complete_at_once(0);
    refuse_callbacks(1);
    cmrp_journal *j = create_in(CMRP_RESOLVE_CALLBACK, 8, 8);
    long queries = status_queries();
    CHECK_EQ(cmrp_journal_mark(j, fake_queue(), 7), 0);
    CHECK_EQ(cmrp_journal_callbacks_on(j), 0);
    CHECK_EQ(cmrp_journal_mark(j, fake_queue(), 8), 0); /* later marks do not try again */
    complete_all();
    await_resolved(j, 2);
    CHECK(status_queries() - queries >= 2); /* resolved by polling the status */
    CHECK_EQ(cmrp_journal_failed(j), 0);
    int64_t tags[4];
    CHECK_EQ(cmrp_journal_drain(j, tags, NULL, NULL, 4, NULL), 2);
    CHECK_EQ(tags[0], 7);
    CHECK_EQ(tags[1], 8);
    refuse_callbacks(0);
    cmrp_journal_destroy(j);
    CHECK_EQ(live_events(), 0);
    set_complete_at_once(1);
}

static void callbacks_that_run_after_destroy_touch_no_freed_memory(void) {
    set_complete_at_once(0);
    cmrp_journal *j = create_in(CMRP_RESOLVE_CALLBACK, 8, 8);
    int called = callbacks_called();
    for (int i = 0; i < 5; i++) CHECK_EQ(cmrp_journal_mark(j, fake_queue(), i), 0);
    complete_one(0);
    await_resolved(j, 1);
    cmrp_journal_destroy(j);
    /* Four callbacks still registered: they run now, against the hub destroy left behind (ASan would report a
     * use after free here, TSan a race), and the last one frees it. */
    complete_all_from_another_thread();
    CHECK_EQ(callbacks_called() - called, 5);
    CHECK_EQ(live_events(), 0);
    CHECK_EQ(private_queues_live(), 0);
    set_complete_at_once(1);
}

typedef struct {
    _Atomic int stop;
    int completed_batches;
} completer_state;

static void *complete_until_stopped(void *arg) {
    completer_state *s = arg;
    while (!atomic_load(&s->stop)) {
        complete_all();
        s->completed_batches++;
        sched_yield();
    }
    complete_all();
    return NULL;
}

typedef struct {
    cmrp_journal *journal;
    int ok;
    _Atomic int done;
} marker_state;

static void *mark_many(void *arg) {
    marker_state *m = arg;
    for (int i = 0; i < 20000; i++) m->ok += cmrp_journal_mark(m->journal, fake_queue(), i) == 0;
    atomic_store(&m->done, 1);
    return NULL;
}

static void concurrent_marks_and_callbacks_lose_nothing_and_destroy_races_safely(void) {
    set_complete_at_once(0);
    cmrp_journal *j = create_in(CMRP_RESOLVE_CALLBACK, 64, 64);
    completer_state c = {.stop = 0};
    marker_state m[2] = {{.journal = j}, {.journal = j}};
    pthread_t completer, markers[2];
    CHECK_EQ(pthread_create(&completer, NULL, complete_until_stopped, &c), 0);
    for (int i = 0; i < 2; i++) CHECK_EQ(pthread_create(&markers[i], NULL, mark_many, &m[i]), 0);
    int64_t drained = 0, tags[64];
    /* Drain (single consumer) while two threads mark and a third completes markers, until every mark is back. */
    for (int idle = 0; idle < 2000;) {
        int32_t n = cmrp_journal_drain(j, tags, NULL, NULL, 64, NULL);
        drained += n;
        int markers_done = atomic_load(&m[0].done) && atomic_load(&m[1].done);
        if (markers_done && drained == cmrp_journal_marked(j)) break;
        if (n == 0) {
            sched_yield();
            if (markers_done) { sleep_ms(1); idle++; }
        }
    }
    for (int i = 0; i < 2; i++) pthread_join(markers[i], NULL);
    CHECK_EQ(m[0].ok + m[1].ok, cmrp_journal_marked(j));
    CHECK_EQ(cmrp_journal_marked(j) + cmrp_journal_dropped(j), 40000);
    CHECK_EQ(drained, cmrp_journal_marked(j)); /* every enqueued mark came back, none twice */
    CHECK_EQ(cmrp_journal_failed(j), 0);
    /* More marks, then destroy while the completer may be running their callbacks. */
    for (int i = 0; i < 50; i++) cmrp_journal_mark(j, fake_queue(), i);
    cmrp_journal_destroy(j);
    atomic_store(&c.stop, 1);
    pthread_join(completer, NULL);
    CHECK_EQ(live_events(), 0);
    set_complete_at_once(1);
}

static void poll_mode_registers_no_callbacks_and_resolves_by_status_queries(void) {
    set_complete_at_once(0);
    cmrp_journal *j = create_in(CMRP_RESOLVE_POLL, 8, 8);
    CHECK_EQ(cmrp_journal_callbacks_on(j), 0);
    int registered = callbacks_registered();
    long queries = status_queries();
    for (int i = 0; i < 3; i++) CHECK_EQ(cmrp_journal_mark(j, fake_queue(), 30 + i), 0);
    CHECK_EQ(callbacks_registered() - registered, 0);
    sleep_ms(5);
    CHECK_EQ(cmrp_journal_resolved(j), 0); /* pending markers stay pending ... */
    complete_all_from_another_thread();
    await_resolved(j, 3);                  /* ... until the resolver's next poll finds them complete */
    CHECK(status_queries() - queries >= 3);
    int64_t tags[4];
    CHECK_EQ(cmrp_journal_drain(j, tags, NULL, NULL, 4, NULL), 3);
    for (int i = 0; i < 3; i++) CHECK_EQ(tags[i], 30 + i);
    cmrp_journal_destroy(j);
    CHECK_EQ(live_events(), 0);
    set_complete_at_once(1);
}

/* A polled marker that completes is handed out by the very next drain, which polls it itself, instead of one
 * resolver sleep later (the resolver sleeps 20 us to 10 ms between polls; a drain right after the completion
 * would almost never find the mark otherwise). Each drain also releases the events of the marks it resolved, so
 * at most the newest mark's event is alive after it (the resolver, backing off, would leave dozens). A drain
 * that finds the resolver holding the token leaves the work to it, so this asks for most rounds, not all. */
static void drain_resolves_polled_marks_and_releases_earlier_events(void) {
    set_complete_at_once(0);
    cmrp_journal *j = create_in(CMRP_RESOLVE_POLL, 8, 8);
    int64_t tags[4];
    int first_drain_hits = 0, one_event_alive = 0;
    int live_before = live_events();
    for (int i = 0; i < 50; i++) {
        CHECK_EQ(cmrp_journal_mark(j, fake_queue(), 500 + i), 0);
        complete_all();
        int32_t n = cmrp_journal_drain(j, tags, NULL, NULL, 4, NULL);
        if (n == 1) {
            first_drain_hits++;
        }
        for (int tries = 0; n == 0 && tries < 2000; tries++) {
            sleep_ms(1);
            n = cmrp_journal_drain(j, tags, NULL, NULL, 4, NULL);
        }
        CHECK_EQ(n, 1);
        CHECK_EQ(tags[0], 500 + i);
        if (live_events() - live_before <= 1) {
            one_event_alive++;
        }
    }
    CHECK(first_drain_hits >= 25);
    CHECK(one_event_alive >= 25);
    cmrp_journal_destroy(j);
    CHECK_EQ(live_events(), 0);
    set_complete_at_once(1);
}

/* Between a pending mark's polls the resolver sleeps 20 us doubling to 10 ms, and only a filling pool (a quarter
 * in flight) brings it back to 20 us: timestamps do not age, and drains resolve on their own thread. A resolver
 * that went back to 20 us after every mark it resolved would wake ~7 times per mark when a mark completes every
 * 2 ms; the first half bounds the polls to rule that out, the second shows that pressure does bring fast polls. */
static void polling_resolver_backs_off_while_the_pool_has_room_and_polls_fast_under_pressure(void) {
    set_complete_at_once(0);
    cmrp_journal *j = create_in(CMRP_RESOLVE_POLL, 64, 64);
    long before = status_queries();
    for (int i = 0; i < 50; i++) {
        CHECK_EQ(cmrp_journal_mark(j, fake_queue(), i), 0); /* 1 of 64 in flight */
        sleep_ms(2);
        complete_all();
    }
    await_resolved(j, 50);
    long relaxed = status_queries() - before;
    CHECK(relaxed < 200); /* ~1-2 polls per mark here; a backoff reset per resolve would make ~360 */
    cmrp_journal_destroy(j);

    j = create_in(CMRP_RESOLVE_POLL, 8, 8);
    for (int i = 0; i < 2; i++) CHECK_EQ(cmrp_journal_mark(j, fake_queue(), 100 + i), 0); /* 2 of 8 in flight */
    sleep_ms(5); /* past the backoff's first steps */
    before = status_queries();
    sleep_ms(50);
    long pressed = status_queries() - before;
    CHECK(pressed >= 50); /* hundreds (20 us plus wake-up, even under load); backing off to 2 ms would make ~25 */
    complete_all();
    await_resolved(j, 2);
    cmrp_journal_destroy(j);
    CHECK_EQ(live_events(), 0);
    set_complete_at_once(1);
}

static int tasks_named(const char *name) {
    int found = 0;
    DIR *dir = opendir("/proc/self/task");
    CHECK(dir != NULL);
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        char path[300], comm[64] = "";
        snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
        FILE *f = fopen(path, "r");
        if (f && fgets(comm, sizeof comm, f) && strncmp(comm, name, strlen(name)) == 0 && comm[strlen(name)] == '\n') {
            found++;
        }
        if (f) fclose(f);
    }
    closedir(dir);
    return found;
}

/* top -H, /proc/<pid>/task and profilers show the journal's own thread by name, one per journal. */
static void resolver_thread_is_named_and_gone_after_destroy(void) {
    int before = tasks_named("cmrp-resolver");
    cmrp_journal *j = create_in(CMRP_RESOLVE_POLL, 8, 8);
    int during = 0;
    for (int i = 0; i < 1000 && during == before; i++) {
        during = tasks_named("cmrp-resolver"); /* the thread names itself as it starts */
        if (during == before) sleep_ms(1);
    }
    CHECK_EQ(during, before + 1);
    cmrp_journal_destroy(j);
    CHECK_EQ(tasks_named("cmrp-resolver"), before);
}

static void invalid_sizes_are_rejected_with_the_argument_name(void) {
    cmrp_journal *j = NULL;
    CHECK_EQ(cmrp_opencl_journal_create(fake_queue(), 3, 8, 0, CMRP_RESOLVE_POLL, &j), -1);
    CHECK_CONTAINS(cmrp_last_error(), "pool_size must be a power of two");
    CHECK_EQ(cmrp_opencl_journal_create(fake_queue(), 8, 1 << 20, 0, CMRP_RESOLVE_CALLBACK, &j), -1);
    CHECK_CONTAINS(cmrp_last_error(), "ring_capacity must be a power of two");
    CHECK_EQ(cmrp_opencl_journal_create(fake_unprofiled_queue(), 8, 8, 0, CMRP_RESOLVE_POLL, &j), -1);
    CHECK_CONTAINS(cmrp_last_error(), "CL_QUEUE_PROFILING_ENABLE");
    CHECK(j == NULL);
}

static void unknown_resolve_mode_is_rejected_with_the_argument_name(void) {
    cmrp_journal *j = NULL;
    int live = live_events();
    CHECK_EQ(cmrp_opencl_journal_create(fake_queue(), 8, 8, 0, 0, &j), -1);
    CHECK_CONTAINS(cmrp_last_error(), "resolve must be CMRP_RESOLVE_POLL (1) or CMRP_RESOLVE_CALLBACK (2), was 0");
    CHECK_EQ(cmrp_opencl_journal_create(fake_queue(), 8, 8, 0, 3, &j), -1);
    CHECK_CONTAINS(cmrp_last_error(), "was 3");
    CHECK(j == NULL);
    CHECK_EQ(live_events(), live);
}

/* Behaviour that must not depend on how markers are resolved. */
static void run_mode_neutral_tests(int32_t resolve) {
    mode = resolve;
    printf("-- resolve mode %s\n", resolve == CMRP_RESOLVE_POLL ? "poll" : "callback");
    RUN(marks_resolve_in_order_on_the_host_clock_within_the_bound);
    RUN(failed_enqueue_counts_and_names_the_call_and_code);
    RUN(marker_ending_in_error_status_counts_as_failed);
    RUN(unattached_queue_is_refused_before_the_driver);
    RUN(full_pool_drops_and_counts_without_waiting);
    RUN(full_ring_holds_marks_in_the_pool_until_drained);
    RUN(destroy_releases_pending_events_and_queues);
}

int main(void) {
    bind_fake();
    run_mode_neutral_tests(CMRP_RESOLVE_POLL);
    run_mode_neutral_tests(CMRP_RESOLVE_CALLBACK);
    RUN(poll_mode_registers_no_callbacks_and_resolves_by_status_queries);
    RUN(drain_resolves_polled_marks_and_releases_earlier_events);
    RUN(polling_resolver_backs_off_while_the_pool_has_room_and_polls_fast_under_pressure);
    RUN(resolver_thread_is_named_and_gone_after_destroy);
    RUN(unknown_resolve_mode_is_rejected_with_the_argument_name);
    RUN(callbacks_resolve_marks_without_polling_the_event_status);
    RUN(out_of_order_completions_are_published_in_mark_order);
    RUN(error_status_delivered_to_the_callback_counts_as_failed_with_its_code);
    RUN(refused_callback_registration_falls_back_to_polling);
    RUN(callbacks_that_run_after_destroy_touch_no_freed_memory);
    RUN(concurrent_marks_and_callbacks_lose_nothing_and_destroy_races_safely);
    RUN(invalid_sizes_are_rejected_with_the_argument_name);
    return 0;
}
