/*
 * A fake OpenCL runtime with the entry points libcmrprobe resolves, for the journal's unit tests. The device
 * clock is CLOCK_MONOTONIC + 250 ms (PoCL's sits about that far away). Markers complete at once, or only when
 * the test says so (all at once, or one at a time in any order, or one with an error status); the next enqueue
 * can be made to fail, or the next marker to end in an error status. clSetEventCallback(CL_COMPLETE) works like
 * a driver's: a callback on an event that is already complete runs at once on the registering thread, others run
 * on the thread that completes the event, outside the fake's lock, while the fake still holds the event; it can
 * be made to refuse registration. Thread-safe through one mutex (the journal's threads and the test's call it).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int32_t cl_int;
typedef uint32_t cl_uint;
typedef uint64_t cl_ulong;
struct _cl_platform_id { int unused; };
struct _cl_device_id { int unused; };
struct _cl_context { int unused; };
struct _cl_command_queue { cl_ulong properties; int refs; };
struct _cl_event;
typedef void (*notify_fn)(struct _cl_event *, cl_int, void *);
struct _cl_event { cl_int status; cl_ulong queued, start, end; int refs; notify_fn notify; void *user_data; };

#define DEVICE_OFFSET_NS 250000000ULL
#define MAX_EVENTS 65536

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct _cl_platform_id platform;
static struct _cl_device_id device;
static struct _cl_context context;
static struct _cl_command_queue profiled_queue = {.properties = 2, .refs = 1};
static struct _cl_command_queue unprofiled_queue = {.properties = 0, .refs = 1};
static int complete_at_once = 1;
static cl_int fail_next_enqueue;
static cl_int error_next_status;
static struct _cl_event *pending[MAX_EVENTS];
static int pending_count;
static int live_events;
static int private_queues_live;
static int refuse_callbacks;
static int callbacks_registered;
static int callbacks_called;
static long status_queries;

static cl_ulong device_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (cl_ulong)ts.tv_sec * 1000000000ULL + (cl_ulong)ts.tv_nsec + DEVICE_OFFSET_NS;
}

/* ---- test controls ---- */
void *fake_cl_queue(void);
void *fake_cl_unprofiled_queue(void);
void fake_cl_set_complete_at_once(int on);
void fake_cl_complete_all(void);
void fake_cl_fail_next_enqueue(cl_int code);
void fake_cl_error_next_status(cl_int code);
int fake_cl_live_events(void);
int fake_cl_private_queues_live(void);
void fake_cl_complete_one(int index);
void fake_cl_terminate_one(int index, cl_int code);
void fake_cl_refuse_callbacks(int on);
int fake_cl_callbacks_registered(void);
int fake_cl_callbacks_called(void);
long fake_cl_status_queries(void);

void *fake_cl_queue(void) { return &profiled_queue; }
void *fake_cl_unprofiled_queue(void) { return &unprofiled_queue; }
void fake_cl_set_complete_at_once(int on) { pthread_mutex_lock(&lock); complete_at_once = on; pthread_mutex_unlock(&lock); }
void fake_cl_fail_next_enqueue(cl_int code) { pthread_mutex_lock(&lock); fail_next_enqueue = code; pthread_mutex_unlock(&lock); }
void fake_cl_error_next_status(cl_int code) { pthread_mutex_lock(&lock); error_next_status = code; pthread_mutex_unlock(&lock); }
int fake_cl_live_events(void) { pthread_mutex_lock(&lock); int n = live_events; pthread_mutex_unlock(&lock); return n; }
int fake_cl_private_queues_live(void) { pthread_mutex_lock(&lock); int n = private_queues_live; pthread_mutex_unlock(&lock); return n; }
void fake_cl_refuse_callbacks(int on) { pthread_mutex_lock(&lock); refuse_callbacks = on; pthread_mutex_unlock(&lock); }
int fake_cl_callbacks_registered(void) { pthread_mutex_lock(&lock); int n = callbacks_registered; pthread_mutex_unlock(&lock); return n; }
int fake_cl_callbacks_called(void) { pthread_mutex_lock(&lock); int n = callbacks_called; pthread_mutex_unlock(&lock); return n; }
long fake_cl_status_queries(void) { pthread_mutex_lock(&lock); long n = status_queries; pthread_mutex_unlock(&lock); return n; }

static void complete(struct _cl_event *e) {
    e->start = device_now();
    e->end = e->start + 100;
    e->status = 0;
}

/* Called with the lock held and the event referenced; runs the callback (if any) without the lock, as a driver
 * must (the callback may call back into the runtime), then drops the reference. */
static void notify_and_unref(struct _cl_event *e) {
    notify_fn notify = e->notify;
    void *user_data = e->user_data;
    cl_int status = e->status;
    e->notify = NULL;
    if (notify) {
        callbacks_called++;
        pthread_mutex_unlock(&lock);
        notify(e, status, user_data);
        pthread_mutex_lock(&lock);
    }
    if (--e->refs == 0) { free(e); live_events--; }
}

/* Ends pending event `index` (enqueue order since the last complete_all) with status (0: complete). */
static void finish_one(int index, cl_int status) {
    pthread_mutex_lock(&lock);
    struct _cl_event *e = index < pending_count ? pending[index] : NULL;
    if (e) {
        pending[index] = NULL;
        complete(e);
        e->status = status;
        notify_and_unref(e);
    }
    pthread_mutex_unlock(&lock);
}

void fake_cl_complete_one(int index) { finish_one(index, 0); }
void fake_cl_terminate_one(int index, cl_int code) { finish_one(index, code); }

void fake_cl_complete_all(void) {
    pthread_mutex_lock(&lock);
    for (int i = 0; i < pending_count; i++) {
        struct _cl_event *e = pending[i];
        if (e) {
            pending[i] = NULL;
            complete(e);
            notify_and_unref(e);
        }
    }
    pending_count = 0;
    pthread_mutex_unlock(&lock);
}

/* ---- OpenCL entry points ---- */
cl_int clGetPlatformIDs(cl_uint n, struct _cl_platform_id **out, cl_uint *count);
cl_int clEnqueueMarkerWithWaitList(struct _cl_command_queue *q, cl_uint n, struct _cl_event *const *wait,
                                   struct _cl_event **event);
cl_int clGetEventInfo(struct _cl_event *e, cl_uint param, size_t size, void *value, size_t *ret);
cl_int clGetEventProfilingInfo(struct _cl_event *e, cl_uint param, size_t size, void *value, size_t *ret);
cl_int clReleaseEvent(struct _cl_event *e);
cl_int clWaitForEvents(cl_uint n, struct _cl_event *const *events);
cl_int clFlush(struct _cl_command_queue *q);
cl_int clGetCommandQueueInfo(struct _cl_command_queue *q, cl_uint param, size_t size, void *value, size_t *ret);
cl_int clRetainCommandQueue(struct _cl_command_queue *q);
cl_int clReleaseCommandQueue(struct _cl_command_queue *q);
cl_int clGetDeviceInfo(struct _cl_device_id *d, cl_uint param, size_t size, void *value, size_t *ret);
struct _cl_command_queue *clCreateCommandQueueWithProperties(struct _cl_context *c, struct _cl_device_id *d,
                                                             const cl_ulong *props, cl_int *err);
cl_int clSetEventCallback(struct _cl_event *e, cl_int type, notify_fn notify, void *user_data);

cl_int clSetEventCallback(struct _cl_event *e, cl_int type, notify_fn notify, void *user_data) {
    if (!e) return -58;
    if (type != 0 || !notify) return -30;
    pthread_mutex_lock(&lock);
    if (refuse_callbacks) {
        pthread_mutex_unlock(&lock);
        return -59; /* CL_INVALID_OPERATION */
    }
    callbacks_registered++;
    e->notify = notify;
    e->user_data = user_data;
    if (e->status <= 0) {
        /* Already complete (or terminated): run it now, on this thread. */
        e->refs++;
        notify_and_unref(e);
    }
    pthread_mutex_unlock(&lock);
    return 0;
}

cl_int clGetPlatformIDs(cl_uint n, struct _cl_platform_id **out, cl_uint *count) {
    if (out && n > 0) out[0] = &platform;
    if (count) *count = 1;
    return 0;
}

cl_int clEnqueueMarkerWithWaitList(struct _cl_command_queue *q, cl_uint n, struct _cl_event *const *wait,
                                   struct _cl_event **event) {
    (void)n;
    (void)wait;
    if (!q) return -36;
    pthread_mutex_lock(&lock);
    if (fail_next_enqueue) {
        cl_int rc = fail_next_enqueue;
        fail_next_enqueue = 0;
        pthread_mutex_unlock(&lock);
        return rc;
    }
    struct _cl_event *e = calloc(1, sizeof *e);
    e->queued = device_now();
    e->refs = 1;
    live_events++;
    int is_private = q != &profiled_queue && q != &unprofiled_queue;
    if (error_next_status && !is_private) {
        e->status = error_next_status;
        error_next_status = 0;
    } else if (complete_at_once || is_private) {
        complete(e);
    } else {
        e->status = 3; /* CL_QUEUED */
        e->refs++;     /* held by the pending list */
        pending[pending_count++] = e;
    }
    *event = e;
    pthread_mutex_unlock(&lock);
    return 0;
}

cl_int clGetEventInfo(struct _cl_event *e, cl_uint param, size_t size, void *value, size_t *ret) {
    (void)ret;
    if (param != 0x11D3 || size != sizeof(cl_int)) return -30;
    pthread_mutex_lock(&lock);
    *(cl_int *)value = e->status;
    status_queries++;
    pthread_mutex_unlock(&lock);
    return 0;
}

cl_int clGetEventProfilingInfo(struct _cl_event *e, cl_uint param, size_t size, void *value, size_t *ret) {
    (void)ret;
    if (size != sizeof(cl_ulong)) return -30;
    pthread_mutex_lock(&lock);
    cl_int rc = 0;
    if (e->status != 0) rc = -7;
    else if (param == 0x1280) *(cl_ulong *)value = e->queued;
    else if (param == 0x1282) *(cl_ulong *)value = e->start;
    else if (param == 0x1283) *(cl_ulong *)value = e->end;
    else rc = -30;
    pthread_mutex_unlock(&lock);
    return rc;
}

cl_int clReleaseEvent(struct _cl_event *e) {
    pthread_mutex_lock(&lock);
    if (--e->refs == 0) { free(e); live_events--; }
    pthread_mutex_unlock(&lock);
    return 0;
}

cl_int clWaitForEvents(cl_uint n, struct _cl_event *const *events) {
    (void)n;
    (void)events;
    return 0; /* private-queue markers complete at once */
}

cl_int clFlush(struct _cl_command_queue *q) { (void)q; return 0; }

cl_int clGetCommandQueueInfo(struct _cl_command_queue *q, cl_uint param, size_t size, void *value, size_t *ret) {
    (void)ret;
    (void)size;
    switch (param) {
    case 0x1090: *(struct _cl_context **)value = &context; return 0;
    case 0x1091: *(struct _cl_device_id **)value = &device; return 0;
    case 0x1093: *(cl_ulong *)value = q->properties; return 0;
    default: return -30;
    }
}

cl_int clRetainCommandQueue(struct _cl_command_queue *q) {
    pthread_mutex_lock(&lock); q->refs++; pthread_mutex_unlock(&lock); return 0;
}

cl_int clReleaseCommandQueue(struct _cl_command_queue *q) {
    pthread_mutex_lock(&lock);
    int is_private = q != &profiled_queue && q != &unprofiled_queue;
    if (--q->refs == 0 && is_private) { free(q); private_queues_live--; }
    pthread_mutex_unlock(&lock);
    return 0;
}

cl_int clGetDeviceInfo(struct _cl_device_id *d, cl_uint param, size_t size, void *value, size_t *ret) {
    (void)d; (void)ret;
    if (param == 0x1025 && size == sizeof(size_t)) { *(size_t *)value = 1; return 0; }
    return -30;
}

struct _cl_command_queue *clCreateCommandQueueWithProperties(struct _cl_context *c, struct _cl_device_id *d,
                                                             const cl_ulong *props, cl_int *err) {
    (void)c; (void)d;
    struct _cl_command_queue *q = calloc(1, sizeof *q);
    q->properties = props && props[0] == 0x1093 ? props[1] : 0;
    q->refs = 1;
    pthread_mutex_lock(&lock); private_queues_live++; pthread_mutex_unlock(&lock);
    *err = 0;
    return q;
}
