/*
 * A fake CUDA runtime with the entry points libcmrprobe resolves, for the CUDA journal's unit tests (there is no
 * GPU here). An event's time is CLOCK_MONOTONIC when recorded; it completes at once or when the test says so.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

struct CUevent_st { int64_t time_ns; int recorded; int complete; };
struct CUstream_st { unsigned int flags; };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int complete_at_once = 1;
static unsigned int fail_next_record;
static struct CUevent_st *pending[65536];
static int pending_count;
static int live_events;

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void fake_cuda_set_complete_at_once(int on);
void fake_cuda_complete_all(void);
void fake_cuda_fail_next_record(unsigned int code);
int fake_cuda_live_events(void);
void fake_cuda_set_complete_at_once(int on) { pthread_mutex_lock(&lock); complete_at_once = on; pthread_mutex_unlock(&lock); }
void fake_cuda_fail_next_record(unsigned int code) { pthread_mutex_lock(&lock); fail_next_record = code; pthread_mutex_unlock(&lock); }
int fake_cuda_live_events(void) { pthread_mutex_lock(&lock); int n = live_events; pthread_mutex_unlock(&lock); return n; }
void fake_cuda_complete_all(void) {
    pthread_mutex_lock(&lock);
    for (int i = 0; i < pending_count; i++) pending[i]->complete = 1;
    pending_count = 0;
    pthread_mutex_unlock(&lock);
}

unsigned int cudaEventCreateWithFlags(struct CUevent_st **event, unsigned int flags);
unsigned int cudaEventRecord(struct CUevent_st *event, struct CUstream_st *stream);
unsigned int cudaEventQuery(struct CUevent_st *event);
unsigned int cudaEventElapsedTime(float *ms, struct CUevent_st *start, struct CUevent_st *end);
unsigned int cudaEventSynchronize(struct CUevent_st *event);
unsigned int cudaEventDestroy(struct CUevent_st *event);
unsigned int cudaStreamCreateWithFlags(struct CUstream_st **stream, unsigned int flags);
unsigned int cudaStreamDestroy(struct CUstream_st *stream);
unsigned int cudaStreamGetFlags(struct CUstream_st *stream, unsigned int *flags);
unsigned int cudaSetDevice(int device);
unsigned int cudaGetDevice(int *device);
unsigned int cudaGetDeviceCount(int *count);
const char *cudaGetErrorName(unsigned int error);

unsigned int cudaEventCreateWithFlags(struct CUevent_st **event, unsigned int flags) {
    (void)flags;
    *event = calloc(1, sizeof **event);
    pthread_mutex_lock(&lock); live_events++; pthread_mutex_unlock(&lock);
    return 0;
}
unsigned int cudaEventRecord(struct CUevent_st *event, struct CUstream_st *stream) {
    pthread_mutex_lock(&lock);
    if (fail_next_record && stream == NULL) {
        unsigned int rc = fail_next_record;
        fail_next_record = 0;
        pthread_mutex_unlock(&lock);
        return rc;
    }
    event->time_ns = now_ns();
    event->recorded = 1;
    event->complete = complete_at_once || stream != NULL; /* the private stream is never held back */
    if (!event->complete) pending[pending_count++] = event;
    pthread_mutex_unlock(&lock);
    return 0;
}
unsigned int cudaEventQuery(struct CUevent_st *event) {
    pthread_mutex_lock(&lock);
    unsigned int rc = !event->recorded ? 400u : event->complete ? 0u : 600u;
    pthread_mutex_unlock(&lock);
    return rc;
}
unsigned int cudaEventElapsedTime(float *ms, struct CUevent_st *start, struct CUevent_st *end) {
    pthread_mutex_lock(&lock);
    unsigned int rc = 0;
    if (!start->recorded || !end->recorded) rc = 400;
    else if (!start->complete || !end->complete) rc = 600;
    else *ms = (float)((double)(end->time_ns - start->time_ns) / 1e6);
    pthread_mutex_unlock(&lock);
    return rc;
}
unsigned int cudaEventSynchronize(struct CUevent_st *event) { return event->recorded ? 0u : 400u; }
unsigned int cudaEventDestroy(struct CUevent_st *event) {
    free(event);
    pthread_mutex_lock(&lock); live_events--; pthread_mutex_unlock(&lock);
    return 0;
}
unsigned int cudaStreamCreateWithFlags(struct CUstream_st **stream, unsigned int flags) {
    *stream = calloc(1, sizeof **stream);
    (*stream)->flags = flags;
    return 0;
}
unsigned int cudaStreamDestroy(struct CUstream_st *stream) { free(stream); return 0; }
unsigned int cudaStreamGetFlags(struct CUstream_st *stream, unsigned int *flags) {
    (void)stream;
    *flags = 0;
    return 400; /* the fake knows no user streams */
}
unsigned int cudaSetDevice(int device) { return device == 0 ? 0u : 101u; }
unsigned int cudaGetDevice(int *device) { *device = 0; return 0; }
unsigned int cudaGetDeviceCount(int *count) { *count = 1; return 0; }
const char *cudaGetErrorName(unsigned int error) {
    switch (error) {
    case 0: return "cudaSuccess";
    case 101: return "cudaErrorInvalidDevice";
    case 400: return "cudaErrorInvalidResourceHandle";
    case 600: return "cudaErrorNotReady";
    case 719: return "cudaErrorLaunchFailure";
    default: return "cudaErrorUnknown";
    }
}
