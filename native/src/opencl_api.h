/*
 * The OpenCL entry points libcmrprobe calls, as its own function-pointer types, resolved by dlopen/dlsym.
 *
 * The types are declared here without the Khronos headers, so the library builds anywhere. Where the headers
 * exist at build time (CMRP_HAVE_CL_HEADERS, set by CMake), opencl_api.c asserts that every typedef is
 * compatible with the vendor's prototype: a signature slip fails the build instead of a user's run.
 * The struct tags (_cl_command_queue, ...) are the ones the Khronos headers use, so the types are the same.
 */
#ifndef CMRP_OPENCL_API_H
#define CMRP_OPENCL_API_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

typedef int32_t cmrp_cl_int;
typedef uint32_t cmrp_cl_uint;
typedef uint64_t cmrp_cl_ulong;
typedef uint64_t cmrp_cl_bitfield;
typedef struct _cl_platform_id *cmrp_cl_platform_id;
typedef struct _cl_device_id *cmrp_cl_device_id;
typedef struct _cl_context *cmrp_cl_context;
typedef struct _cl_command_queue *cmrp_cl_command_queue;
typedef struct _cl_event *cmrp_cl_event;

#define CMRP_CL_SUCCESS 0
#define CMRP_CL_COMPLETE 0x0
#define CMRP_CL_EVENT_COMMAND_EXECUTION_STATUS 0x11D3
#define CMRP_CL_QUEUE_CONTEXT 0x1090
#define CMRP_CL_QUEUE_DEVICE 0x1091
#define CMRP_CL_QUEUE_PROPERTIES 0x1093
#define CMRP_CL_QUEUE_PROFILING_ENABLE (1 << 1)
#define CMRP_CL_DEVICE_PROFILING_TIMER_RESOLUTION 0x1025
#define CMRP_CL_PROFILING_COMMAND_QUEUED 0x1280
#define CMRP_CL_PROFILING_COMMAND_START 0x1282
#define CMRP_CL_PROFILING_COMMAND_END 0x1283
#define CMRP_CL_INVALID_VALUE (-30)
#define CMRP_CL_INVALID_COMMAND_QUEUE (-36)

typedef cmrp_cl_int (*cmrp_clGetPlatformIDs_fn)(cmrp_cl_uint, cmrp_cl_platform_id *, cmrp_cl_uint *);
typedef cmrp_cl_int (*cmrp_clEnqueueMarkerWithWaitList_fn)(cmrp_cl_command_queue, cmrp_cl_uint,
                                                           const cmrp_cl_event *, cmrp_cl_event *);
typedef cmrp_cl_int (*cmrp_clGetEventInfo_fn)(cmrp_cl_event, cmrp_cl_uint, size_t, void *, size_t *);
typedef cmrp_cl_int (*cmrp_clGetEventProfilingInfo_fn)(cmrp_cl_event, cmrp_cl_uint, size_t, void *, size_t *);
typedef cmrp_cl_int (*cmrp_clReleaseEvent_fn)(cmrp_cl_event);
typedef cmrp_cl_int (*cmrp_clWaitForEvents_fn)(cmrp_cl_uint, const cmrp_cl_event *);
typedef cmrp_cl_int (*cmrp_clFlush_fn)(cmrp_cl_command_queue);
typedef cmrp_cl_int (*cmrp_clGetCommandQueueInfo_fn)(cmrp_cl_command_queue, cmrp_cl_uint, size_t, void *, size_t *);
typedef cmrp_cl_int (*cmrp_clRetainCommandQueue_fn)(cmrp_cl_command_queue);
typedef cmrp_cl_int (*cmrp_clReleaseCommandQueue_fn)(cmrp_cl_command_queue);
typedef cmrp_cl_int (*cmrp_clGetDeviceInfo_fn)(cmrp_cl_device_id, cmrp_cl_uint, size_t, void *, size_t *);
/* CL_CALLBACK is empty on Linux (the Khronos header: __stdcall on Windows only). */
#define CMRP_CL_CALLBACK
typedef void (CMRP_CL_CALLBACK *cmrp_cl_event_notify_fn)(cmrp_cl_event, cmrp_cl_int, void *);
typedef cmrp_cl_int (*cmrp_clSetEventCallback_fn)(cmrp_cl_event, cmrp_cl_int, cmrp_cl_event_notify_fn, void *);
typedef cmrp_cl_command_queue (*cmrp_clCreateCommandQueueWithProperties_fn)(cmrp_cl_context, cmrp_cl_device_id,
                                                                            const cmrp_cl_ulong *, cmrp_cl_int *);

typedef struct cmrp_opencl_api {
    void *library;
    cmrp_clGetPlatformIDs_fn clGetPlatformIDs;
    cmrp_clEnqueueMarkerWithWaitList_fn clEnqueueMarkerWithWaitList;
    cmrp_clGetEventInfo_fn clGetEventInfo;
    cmrp_clGetEventProfilingInfo_fn clGetEventProfilingInfo;
    cmrp_clReleaseEvent_fn clReleaseEvent;
    cmrp_clWaitForEvents_fn clWaitForEvents;
    cmrp_clFlush_fn clFlush;
    cmrp_clGetCommandQueueInfo_fn clGetCommandQueueInfo;
    cmrp_clRetainCommandQueue_fn clRetainCommandQueue;
    cmrp_clReleaseCommandQueue_fn clReleaseCommandQueue;
    cmrp_clGetDeviceInfo_fn clGetDeviceInfo;
    cmrp_clCreateCommandQueueWithProperties_fn clCreateCommandQueueWithProperties;
    /* Optional (OpenCL 1.1): NULL when the loader lacks it; the journal then polls every marker. */
    cmrp_clSetEventCallback_fn clSetEventCallback;
} cmrp_opencl_api;

/* The resolved table; valid (and immutable) once cmrp_opencl_load returned 0 (published by cmrp_vendor_load). */
CMRP_HIDDEN extern cmrp_opencl_api cmrp_cl;
CMRP_HIDDEN const char *cmrp_cl_error_name(int32_t code);

#endif
