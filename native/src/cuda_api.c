#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>

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
static cmrp_load_once cuda_once = {.lock = PTHREAD_MUTEX_INITIALIZER};

static const char *const driver_defaults[] = {"libcuda.so.1"};
static const cmrp_vendor_lib cuda_driver_library = {
    .cannot_load = "CUDA unavailable: cannot load the driver library ",
    .defaults = driver_defaults,
    .default_count = CMRP_LENGTH(driver_defaults),
};

/* Newest first: a machine with several toolkits gets the newest runtime its driver was installed with. */
static const char *const runtime_defaults[] = {"libcudart.so.13", "libcudart.so.12", "libcudart.so.11.0"};
static const cmrp_vendor_symbol runtime_symbols[] = {
    CMRP_REQUIRED_SYMBOL(cmrp_cuda_api, cudaEventCreateWithFlags),
    CMRP_REQUIRED_SYMBOL(cmrp_cuda_api, cudaEventRecord),
    CMRP_REQUIRED_SYMBOL(cmrp_cuda_api, cudaEventQuery),
    CMRP_REQUIRED_SYMBOL(cmrp_cuda_api, cudaEventElapsedTime),
    CMRP_REQUIRED_SYMBOL(cmrp_cuda_api, cudaEventSynchronize),
    CMRP_REQUIRED_SYMBOL(cmrp_cuda_api, cudaEventDestroy),
    CMRP_REQUIRED_SYMBOL(cmrp_cuda_api, cudaStreamCreateWithFlags),
    CMRP_REQUIRED_SYMBOL(cmrp_cuda_api, cudaStreamDestroy),
    CMRP_REQUIRED_SYMBOL(cmrp_cuda_api, cudaStreamGetFlags),
    CMRP_REQUIRED_SYMBOL(cmrp_cuda_api, cudaSetDevice),
    CMRP_REQUIRED_SYMBOL(cmrp_cuda_api, cudaGetDevice),
    CMRP_REQUIRED_SYMBOL(cmrp_cuda_api, cudaGetDeviceCount),
    CMRP_REQUIRED_SYMBOL(cmrp_cuda_api, cudaGetErrorName),
};
static const cmrp_vendor_lib cuda_runtime_library = {
    .cannot_load = "CUDA unavailable: cannot load the runtime library ",
    .defaults = runtime_defaults,
    .default_count = CMRP_LENGTH(runtime_defaults),
    .defaults_text = "libcudart.so.13, .12 or .11.0",
    .symbols = runtime_symbols,
    .symbol_count = CMRP_LENGTH(runtime_symbols),
};

typedef struct cuda_library_names {
    const char *driver;  /* NULL: driver_defaults */
    const char *runtime; /* NULL: runtime_defaults */
} cuda_library_names;

/* Under cuda_once's lock; cmrp_vendor_load publishes cmrp_cu when this returns 0. */
static int load_cuda(const void *arg) {
    const cuda_library_names *names = arg;
    cmrp_cuda_api api = {0};
    /* The driver first: libcudart loads it itself on first use, and without it every runtime call fails with
     * cudaErrorInsufficientDriver, so its absence is the precise reason to report. */
    api.driver = cmrp_vendor_open(&cuda_driver_library, names->driver, NULL, NULL);
    if (!api.driver) {
        return -1;
    }
    api.runtime = cmrp_vendor_open(&cuda_runtime_library, names->runtime, &api, NULL);
    if (!api.runtime) {
        dlclose(api.driver);
        return -1;
    }
    cmrp_cu = api;
    return 0;
}

int cmrp_cuda_load(const char *driver, const char *runtime) {
    cmrp_clear_error();
    cuda_library_names names = {.driver = driver, .runtime = runtime};
    return cmrp_vendor_load(&cuda_once, load_cuda, &names);
}

const char *cmrp_cuda_error_name(int32_t code) {
    if (!cmrp_vendor_loaded(&cuda_once)) {
        return NULL;
    }
    return cmrp_cu.cudaGetErrorName((cmrp_cuda_error)code);
}
