#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "cuda_api.h"

#ifdef CMRP_HAVE_CUDA_HEADERS
#include <cuda_runtime_api.h>
#define CMRP_CHECK_CUDA(name) \
    _Static_assert(__builtin_types_compatible_p(__typeof__(&name), cmrp_##name##_fn), \
                   "cmrp_" #name "_fn does not match cuda_runtime_api.h")
CMRP_CHECK_CUDA(cudaEventCreateWithFlags);
CMRP_CHECK_CUDA(cudaEventRecord);
CMRP_CHECK_CUDA(cudaEventQuery);
CMRP_CHECK_CUDA(cudaEventElapsedTime);
CMRP_CHECK_CUDA(cudaEventSynchronize);
CMRP_CHECK_CUDA(cudaEventDestroy);
CMRP_CHECK_CUDA(cudaStreamCreateWithFlags);
CMRP_CHECK_CUDA(cudaStreamDestroy);
CMRP_CHECK_CUDA(cudaStreamGetFlags);
CMRP_CHECK_CUDA(cudaSetDevice);
CMRP_CHECK_CUDA(cudaGetDevice);
CMRP_CHECK_CUDA(cudaGetDeviceCount);
CMRP_CHECK_CUDA(cudaGetErrorName);
_Static_assert(CMRP_CUDA_SUCCESS == cudaSuccess, "cudaSuccess");
_Static_assert(CMRP_CUDA_ERROR_NOT_READY == cudaErrorNotReady, "cudaErrorNotReady");
_Static_assert(CMRP_CUDA_ERROR_INVALID_RESOURCE_HANDLE == cudaErrorInvalidResourceHandle, "invalid handle");
_Static_assert(CMRP_CUDA_EVENT_DEFAULT == cudaEventDefault, "cudaEventDefault");
_Static_assert(CMRP_CUDA_STREAM_NON_BLOCKING == cudaStreamNonBlocking, "cudaStreamNonBlocking");
#endif

cmrp_cuda_api cmrp_cu;
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int loaded;

/* Newest first: a machine with several toolkits gets the newest runtime its driver was installed with. */
static const char *const runtime_candidates[] = {"libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0"};

int cmrp_cuda_load(const char *driver, const char *runtime) {
    cmrp_clear_error();
    if (atomic_load_explicit(&loaded, memory_order_acquire)) {
        return 0;
    }
    pthread_mutex_lock(&load_lock);
    if (atomic_load_explicit(&loaded, memory_order_relaxed)) {
        pthread_mutex_unlock(&load_lock);
        return 0;
    }
    /* The driver first: libcudart loads it itself on first use, and without it every runtime call fails with
     * cudaErrorInsufficientDriver, so its absence is the precise reason to report. */
    const char *driver_name = driver ? driver : "libcuda.so.1";
    void *drv = dlopen(driver_name, RTLD_NOW | RTLD_LOCAL);
    if (!drv) {
        const char *why = dlerror();
        pthread_mutex_unlock(&load_lock);
        return cmrp_fail("CUDA unavailable: cannot load the driver library %s: %s", driver_name,
                         why ? why : "unknown dlopen error");
    }
    void *rt = NULL;
    const char *rt_name = runtime;
    char tried[512] = "";
    if (runtime) {
        rt = dlopen(runtime, RTLD_NOW | RTLD_LOCAL);
        if (!rt) {
            const char *why = dlerror();
            snprintf(tried, sizeof tried, "%s", why ? why : runtime);
        }
    } else {
        size_t used = 0;
        for (size_t i = 0; i < sizeof runtime_candidates / sizeof runtime_candidates[0] && !rt; i++) {
            rt_name = runtime_candidates[i];
            rt = dlopen(rt_name, RTLD_NOW | RTLD_LOCAL);
            if (!rt && used < sizeof tried) {
                const char *why = dlerror();
                int n = snprintf(tried + used, sizeof tried - used, "%s%s", used ? "; " : "", why ? why : rt_name);
                used += n > 0 ? (size_t)n : 0;
            }
        }
    }
    if (!rt) {
        dlclose(drv);
        pthread_mutex_unlock(&load_lock);
        return cmrp_fail("CUDA unavailable: cannot load the runtime library %s: %s",
                         runtime ? runtime : "libcudart.so.13, .12 or .11.0", tried);
    }
    cmrp_cuda_api api = {.driver = drv, .runtime = rt};
    int rc = 0;
#define CMRP_RESOLVE(fn) \
    if (rc == 0) rc = cmrp_resolve_symbol(rt, rt_name, #fn, (void **)&api.fn)
    CMRP_RESOLVE(cudaEventCreateWithFlags);
    CMRP_RESOLVE(cudaEventRecord);
    CMRP_RESOLVE(cudaEventQuery);
    CMRP_RESOLVE(cudaEventElapsedTime);
    CMRP_RESOLVE(cudaEventSynchronize);
    CMRP_RESOLVE(cudaEventDestroy);
    CMRP_RESOLVE(cudaStreamCreateWithFlags);
    CMRP_RESOLVE(cudaStreamDestroy);
    CMRP_RESOLVE(cudaStreamGetFlags);
    CMRP_RESOLVE(cudaSetDevice);
    CMRP_RESOLVE(cudaGetDevice);
    CMRP_RESOLVE(cudaGetDeviceCount);
    CMRP_RESOLVE(cudaGetErrorName);
#undef CMRP_RESOLVE
    if (rc != 0) {
        dlclose(rt);
        dlclose(drv);
        pthread_mutex_unlock(&load_lock);
        return -1;
    }
    cmrp_cu = api;
    atomic_store_explicit(&loaded, 1, memory_order_release);
    pthread_mutex_unlock(&load_lock);
    return 0;
}

const char *cmrp_cuda_error_name(int32_t code) {
    if (!atomic_load_explicit(&loaded, memory_order_acquire)) {
        return NULL;
    }
    return cmrp_cu.cudaGetErrorName((cmrp_cuda_error)code);
}
