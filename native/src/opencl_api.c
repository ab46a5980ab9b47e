#define _GNU_SOURCE
#include <pthread.h>

#include "opencl_api.h"

#ifdef CMRP_HAVE_CL_HEADERS
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
/* Each typedef must be compatible with the Khronos prototype (same check an assignment of &fn would make). */
#define CMRP_CHECK_CL(name) \
    _Static_assert(__builtin_types_compatible_p(__typeof__(&name), cmrp_##name##_fn), \
                   "cmrp_" #name "_fn does not match the OpenCL header's prototype")
CMRP_CHECK_CL(clGetPlatformIDs);
CMRP_CHECK_CL(clEnqueueMarkerWithWaitList);
CMRP_CHECK_CL(clGetEventInfo);
CMRP_CHECK_CL(clGetEventProfilingInfo);
CMRP_CHECK_CL(clReleaseEvent);
CMRP_CHECK_CL(clWaitForEvents);
CMRP_CHECK_CL(clFlush);
CMRP_CHECK_CL(clGetCommandQueueInfo);
CMRP_CHECK_CL(clRetainCommandQueue);
CMRP_CHECK_CL(clReleaseCommandQueue);
CMRP_CHECK_CL(clGetDeviceInfo);
CMRP_CHECK_CL(clCreateCommandQueueWithProperties);
CMRP_CHECK_CL(clSetEventCallback);
_Static_assert(CMRP_CL_COMPLETE == CL_COMPLETE, "CL_COMPLETE");
_Static_assert(CMRP_CL_EVENT_COMMAND_EXECUTION_STATUS == CL_EVENT_COMMAND_EXECUTION_STATUS, "status");
_Static_assert(CMRP_CL_QUEUE_CONTEXT == CL_QUEUE_CONTEXT, "CL_QUEUE_CONTEXT");
_Static_assert(CMRP_CL_QUEUE_DEVICE == CL_QUEUE_DEVICE, "CL_QUEUE_DEVICE");
_Static_assert(CMRP_CL_QUEUE_PROPERTIES == CL_QUEUE_PROPERTIES, "CL_QUEUE_PROPERTIES");
_Static_assert(CMRP_CL_QUEUE_PROFILING_ENABLE == CL_QUEUE_PROFILING_ENABLE, "CL_QUEUE_PROFILING_ENABLE");
_Static_assert(CMRP_CL_DEVICE_PROFILING_TIMER_RESOLUTION == CL_DEVICE_PROFILING_TIMER_RESOLUTION, "resolution");
_Static_assert(CMRP_CL_PROFILING_COMMAND_QUEUED == CL_PROFILING_COMMAND_QUEUED, "QUEUED");
_Static_assert(CMRP_CL_PROFILING_COMMAND_START == CL_PROFILING_COMMAND_START, "START");
_Static_assert(CMRP_CL_PROFILING_COMMAND_END == CL_PROFILING_COMMAND_END, "END");
_Static_assert(CMRP_CL_INVALID_COMMAND_QUEUE == CL_INVALID_COMMAND_QUEUE, "CL_INVALID_COMMAND_QUEUE");
#endif

cmrp_opencl_api cmrp_cl;
static cmrp_load_once opencl_once = {.lock = PTHREAD_MUTEX_INITIALIZER};

static const char *const opencl_defaults[] = {"libOpenCL.so.1"};
static const cmrp_vendor_symbol opencl_symbols[] = {
    CMRP_REQUIRED_SYMBOL(cmrp_opencl_api, clGetPlatformIDs),
    CMRP_REQUIRED_SYMBOL(cmrp_opencl_api, clEnqueueMarkerWithWaitList),
    CMRP_REQUIRED_SYMBOL(cmrp_opencl_api, clGetEventInfo),
    CMRP_REQUIRED_SYMBOL(cmrp_opencl_api, clGetEventProfilingInfo),
    CMRP_REQUIRED_SYMBOL(cmrp_opencl_api, clReleaseEvent),
    CMRP_REQUIRED_SYMBOL(cmrp_opencl_api, clWaitForEvents),
    CMRP_REQUIRED_SYMBOL(cmrp_opencl_api, clFlush),
    CMRP_REQUIRED_SYMBOL(cmrp_opencl_api, clGetCommandQueueInfo),
    CMRP_REQUIRED_SYMBOL(cmrp_opencl_api, clRetainCommandQueue),
    CMRP_REQUIRED_SYMBOL(cmrp_opencl_api, clReleaseCommandQueue),
    CMRP_REQUIRED_SYMBOL(cmrp_opencl_api, clGetDeviceInfo),
    CMRP_REQUIRED_SYMBOL(cmrp_opencl_api, clCreateCommandQueueWithProperties),
    /* Without it every marker is polled. */
    CMRP_OPTIONAL_SYMBOL(cmrp_opencl_api, clSetEventCallback),
};
static const cmrp_vendor_lib opencl_library = {
    .cannot_load = "OpenCL unavailable: cannot load ",
    .defaults = opencl_defaults,
    .default_count = CMRP_LENGTH(opencl_defaults),
    .symbols = opencl_symbols,
    .symbol_count = CMRP_LENGTH(opencl_symbols),
};

/* Under opencl_once's lock; cmrp_vendor_load publishes cmrp_cl when this returns 0. */
static int load_opencl(const void *library) {
    cmrp_opencl_api api = {0};
    api.library = cmrp_vendor_open(&opencl_library, library, &api, NULL);
    if (!api.library) {
        return -1;
    }
    cmrp_cl = api;
    return 0;
}

int cmrp_opencl_load(const char *library) {
    cmrp_clear_error();
    return cmrp_vendor_load(&opencl_once, load_opencl, library);
}

int cmrp_opencl_platform_count(int32_t *platforms) {
    if (!platforms) {
        return cmrp_fail("platforms must not be NULL");
    }
    if (cmrp_opencl_load(NULL) != 0) {
        return -1;
    }
    cmrp_cl_uint n = 0;
    cmrp_cl_int rc = cmrp_cl.clGetPlatformIDs(0, NULL, &n);
    /* The ICD loader answers -1001 (CL_PLATFORM_NOT_FOUND_KHR) when no vendor is installed: zero platforms. */
    if (rc == -1001) {
        *platforms = 0;
        return 0;
    }
    if (rc != CMRP_CL_SUCCESS) {
        return cmrp_fail("clGetPlatformIDs failed: %s (%d)", cmrp_cl_error_name(rc) ? cmrp_cl_error_name(rc) : "unknown",
                         rc);
    }
    *platforms = (int32_t)n;
    return 0;
}

const char *cmrp_cl_error_name(int32_t code) {
    switch (code) {
    case 0: return "CL_SUCCESS";
    case -1: return "CL_DEVICE_NOT_FOUND";
    case -2: return "CL_DEVICE_NOT_AVAILABLE";
    case -4: return "CL_MEM_OBJECT_ALLOCATION_FAILURE";
    case -5: return "CL_OUT_OF_RESOURCES";
    case -6: return "CL_OUT_OF_HOST_MEMORY";
    case -7: return "CL_PROFILING_INFO_NOT_AVAILABLE";
    case -14: return "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST";
    case -30: return "CL_INVALID_VALUE";
    case -33: return "CL_INVALID_DEVICE";
    case -34: return "CL_INVALID_CONTEXT";
    case -35: return "CL_INVALID_QUEUE_PROPERTIES";
    case -36: return "CL_INVALID_COMMAND_QUEUE";
    case -57: return "CL_INVALID_EVENT_WAIT_LIST";
    case -58: return "CL_INVALID_EVENT";
    case -59: return "CL_INVALID_OPERATION";
    case -1001: return "CL_PLATFORM_NOT_FOUND_KHR";
    default: return NULL;
    }
}
