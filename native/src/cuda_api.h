/*
 * The CUDA runtime entry points libcmrprobe calls (NVIDIA's documented runtime API), as its own function-pointer
 * types resolved with dlopen/dlsym. Where cuda_runtime_api.h exists at build time (CMRP_HAVE_CUDA_HEADERS),
 * cuda_api.c asserts every typedef compatible with NVIDIA's prototype.
 *
 * cudaError_t is an enum whose values are all non-negative, which GCC gives the compatible type unsigned int;
 * the mirror type below is therefore unsigned int (the compile-time check proves it for the installed header).
 */
#ifndef CMRP_CUDA_API_H
#define CMRP_CUDA_API_H

#include "internal.h"

typedef unsigned int cmrp_cuda_error;
typedef struct CUevent_st *cmrp_cuda_event;
typedef struct CUstream_st *cmrp_cuda_stream;

#define CMRP_CUDA_SUCCESS 0u
#define CMRP_CUDA_ERROR_INVALID_RESOURCE_HANDLE 400u
#define CMRP_CUDA_ERROR_NOT_READY 600u
#define CMRP_CUDA_EVENT_DEFAULT 0x00u        /* timing enabled, spin on synchronize */
#define CMRP_CUDA_STREAM_NON_BLOCKING 0x01u

typedef cmrp_cuda_error (*cmrp_cudaEventCreateWithFlags_fn)(cmrp_cuda_event *, unsigned int);
typedef cmrp_cuda_error (*cmrp_cudaEventRecord_fn)(cmrp_cuda_event, cmrp_cuda_stream);
typedef cmrp_cuda_error (*cmrp_cudaEventQuery_fn)(cmrp_cuda_event);
typedef cmrp_cuda_error (*cmrp_cudaEventElapsedTime_fn)(float *, cmrp_cuda_event, cmrp_cuda_event);
typedef cmrp_cuda_error (*cmrp_cudaEventSynchronize_fn)(cmrp_cuda_event);
typedef cmrp_cuda_error (*cmrp_cudaEventDestroy_fn)(cmrp_cuda_event);
typedef cmrp_cuda_error (*cmrp_cudaStreamCreateWithFlags_fn)(cmrp_cuda_stream *, unsigned int);
typedef cmrp_cuda_error (*cmrp_cudaStreamDestroy_fn)(cmrp_cuda_stream);
typedef cmrp_cuda_error (*cmrp_cudaStreamGetFlags_fn)(cmrp_cuda_stream, unsigned int *);
typedef cmrp_cuda_error (*cmrp_cudaSetDevice_fn)(int);
typedef cmrp_cuda_error (*cmrp_cudaGetDevice_fn)(int *);
typedef cmrp_cuda_error (*cmrp_cudaGetDeviceCount_fn)(int *);
typedef const char *(*cmrp_cudaGetErrorName_fn)(cmrp_cuda_error);

typedef struct cmrp_cuda_api {
    void *driver;
    void *runtime;
    cmrp_cudaEventCreateWithFlags_fn cudaEventCreateWithFlags;
    cmrp_cudaEventRecord_fn cudaEventRecord;
    cmrp_cudaEventQuery_fn cudaEventQuery;
    cmrp_cudaEventElapsedTime_fn cudaEventElapsedTime;
    cmrp_cudaEventSynchronize_fn cudaEventSynchronize;
    cmrp_cudaEventDestroy_fn cudaEventDestroy;
    cmrp_cudaStreamCreateWithFlags_fn cudaStreamCreateWithFlags;
    cmrp_cudaStreamDestroy_fn cudaStreamDestroy;
    cmrp_cudaStreamGetFlags_fn cudaStreamGetFlags;
    cmrp_cudaSetDevice_fn cudaSetDevice;
    cmrp_cudaGetDevice_fn cudaGetDevice;
    cmrp_cudaGetDeviceCount_fn cudaGetDeviceCount;
    cmrp_cudaGetErrorName_fn cudaGetErrorName;
} cmrp_cuda_api;

/* The resolved table; valid (and immutable) once cmrp_cuda_load returned 0 (published by cmrp_vendor_load). */
CMRP_HIDDEN extern cmrp_cuda_api cmrp_cu;
CMRP_HIDDEN const char *cmrp_cuda_error_name(int32_t code);

#endif
