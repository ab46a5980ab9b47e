/* The CUDA journal's logic against the fake runtime (CMRP_FAKE_CUDART): events recorded on the caller's stream,
 * resolved by cudaEventQuery, timed against the reference event, failures counted and named. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <time.h>

#include "check.h"
#include "internal.h"

static void (*set_complete_at_once)(int);
static void (*complete_all)(void);
static void (*fail_next_record)(unsigned int);
static int (*live_events)(void);

static void sleep_ms(int ms) {
    struct timespec ts = {.tv_sec = 0, .tv_nsec = ms * 1000000L};
    nanosleep(&ts, NULL);
}

static void await_resolved(cmrp_journal *j, int64_t n) {
    for (int i = 0; i < 2000 && cmrp_journal_resolved(j) < n; i++) sleep_ms(1);
    CHECK_EQ(cmrp_journal_resolved(j), n);
}

static void bind_fake(void) {
    const char *path = getenv("CMRP_FAKE_CUDART");
    CHECK(path != NULL);
    CHECK_EQ(cmrp_cuda_load(path, path), 0); /* the fake stands in for driver and runtime */
    void *fake = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    CHECK(fake != NULL);
    *(void **)&set_complete_at_once = dlsym(fake, "fake_cuda_set_complete_at_once");
    *(void **)&complete_all = dlsym(fake, "fake_cuda_complete_all");
    *(void **)&fail_next_record = dlsym(fake, "fake_cuda_fail_next_record");
    *(void **)&live_events = dlsym(fake, "fake_cuda_live_events");
    CHECK(set_complete_at_once && complete_all && fail_next_record && live_events);
}

static void events_on_the_default_stream_resolve_on_the_host_clock(void) {
    cmrp_journal *j = NULL;
    CHECK_EQ(cmrp_cuda_journal_create(0, 8, 8, 0, &j), 0);
    CHECK_CONTAINS(cmrp_journal_backend(j), "cuda");
    int64_t before = cmrp_host_now_ns();
    for (int i = 0; i < 4; i++) CHECK_EQ(cmrp_journal_mark(j, NULL, i), 0);
    int64_t after = cmrp_host_now_ns();
    await_resolved(j, 4);
    int64_t tags[8], device[8], queued[8], bound = 0;
    CHECK_EQ(cmrp_journal_drain(j, tags, device, queued, 8, &bound), 4);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(tags[i], i);
        CHECK(queued[i] >= before && queued[i] <= after); /* host clock read in mark: exact */
        /* The fake's event time is the host clock at record; mapped through the reference event, it lands in
         * the host bracket within the stated bound (float ms precision is inside the 500 ns resolution). */
        CHECK(device[i] >= before - bound && device[i] <= after + bound);
    }
    cmrp_journal_destroy(j);
    CHECK_EQ(live_events(), 0);
}

static void failed_record_counts_and_names_the_call(void) {
    cmrp_journal *j = NULL;
    CHECK_EQ(cmrp_cuda_journal_create(0, 8, 8, 0, &j), 0);
    fail_next_record(719);
    CHECK_EQ(cmrp_journal_mark(j, NULL, 1), -1);
    CHECK_EQ(cmrp_journal_failed(j), 1);
    char error[256];
    cmrp_journal_last_error(j, error, sizeof error);
    CHECK_CONTAINS(error, "cudaEventRecord failed: cudaErrorLaunchFailure (719)");
    cmrp_journal_destroy(j);
}

static void pending_events_fill_the_pool_then_drop(void) {
    set_complete_at_once(0);
    cmrp_journal *j = NULL;
    CHECK_EQ(cmrp_cuda_journal_create(0, 2, 8, 0, &j), 0);
    CHECK_EQ(cmrp_journal_mark(j, NULL, 1), 0);
    CHECK_EQ(cmrp_journal_mark(j, NULL, 2), 0);
    CHECK_EQ(cmrp_journal_mark(j, NULL, 3), -1);
    CHECK_EQ(cmrp_journal_dropped(j), 1);
    sleep_ms(10);
    CHECK_EQ(cmrp_journal_resolved(j), 0); /* cudaErrorNotReady keeps them pending */
    complete_all();
    await_resolved(j, 2);
    set_complete_at_once(1);
    cmrp_journal_destroy(j);
}

static void unknown_stream_is_refused_at_attach_and_at_mark(void) {
    cmrp_journal *j = NULL;
    CHECK_EQ(cmrp_cuda_journal_create(0, 8, 8, 0, &j), 0);
    int not_a_stream = 0;
    CHECK_EQ(cmrp_journal_attach(j, &not_a_stream), -1);
    CHECK_CONTAINS(cmrp_last_error(), "cudaStreamGetFlags failed: cudaErrorInvalidResourceHandle (400)");
    CHECK_EQ(cmrp_journal_mark(j, &not_a_stream, 1), -1);
    char error[256];
    cmrp_journal_last_error(j, error, sizeof error);
    CHECK_CONTAINS(error, "not attached");
    cmrp_journal_destroy(j);
}

static void invalid_device_fails_creation_with_the_vendor_name(void) {
    cmrp_journal *j = NULL;
    CHECK_EQ(cmrp_cuda_journal_create(3, 8, 8, 0, &j), -1);
    CHECK_CONTAINS(cmrp_last_error(), "cudaSetDevice failed: cudaErrorInvalidDevice (101)");
    CHECK(j == NULL);
    CHECK_EQ(live_events(), 0);
}

int main(void) {
    bind_fake();
    RUN(events_on_the_default_stream_resolve_on_the_host_clock);
    RUN(failed_record_counts_and_names_the_call);
    RUN(pending_events_fill_the_pool_then_drop);
    RUN(unknown_stream_is_refused_at_attach_and_at_mark);
    RUN(invalid_device_fails_creation_with_the_vendor_name);
    return 0;
}
