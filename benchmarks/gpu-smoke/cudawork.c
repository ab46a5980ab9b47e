/*
 * cudawork: the GPU work for the gpu-smoke run, as JNI entry points of dev.cmr.bench.gpusmoke.CudaWork.
 *
 * Copies and memsets through the CUDA runtime on one non-blocking stream, so that no CUDA kernel has to be compiled:
 * cudaMemsetAsync, cudaMemcpyAsync device to device and device to pinned host. Every call only enqueues and returns;
 * cudaworkSynchronize is the one that waits. Built by gpu-smoke/run.sh against the machine's own CUDA toolkit
 * (cuda_runtime_api.h, libcudart), so it uses whatever runtime that toolkit has; the Java side hands the path of that
 * runtime to libcmrprobe so that the timeline and this work share one runtime and one context.
 *
 * Not thread-safe: one smoke run, one thread. A CUDA error becomes an IllegalStateException naming the call.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <stdint.h>
#include <stdio.h>
#include <cuda_runtime_api.h>

static cudaStream_t stream;
static void *device_a;
static void *device_b;
static void *pinned_host;
static size_t capacity;

static int throw_new(JNIEnv *env, const char *type, const char *message) {
    jclass c = (*env)->FindClass(env, type);
    if (c) {
        (*env)->ThrowNew(env, c, message);
    }
    return -1;
}

static int check(JNIEnv *env, cudaError_t rc, const char *call) {
    if (rc == cudaSuccess) {
        return 0;
    }
    char message[512];
    snprintf(message, sizeof message, "%s failed: %s (%s)", call, cudaGetErrorName(rc), cudaGetErrorString(rc));
    return throw_new(env, "java/lang/IllegalStateException", message);
}

static int check_size(JNIEnv *env, jlong bytes) {
    if (bytes < 0 || (size_t)bytes > capacity) {
        char message[160];
        snprintf(message, sizeof message, "bytes must be in [0, %zu] (the buffers' size), was %lld", capacity,
                 (long long)bytes);
        return throw_new(env, "java/lang/IllegalArgumentException", message);
    }
    return 0;
}

/* The file the CUDA runtime was loaded from (dladdr of one of its functions), or null. */
JNIEXPORT jstring JNICALL Java_dev_cmr_bench_gpusmoke_CudaWork_runtimeLibrary(JNIEnv *env, jclass cls) {
    (void)cls;
    Dl_info info;
    if (dladdr((void *)&cudaRuntimeGetVersion, &info) && info.dli_fname) {
        return (*env)->NewStringUTF(env, info.dli_fname);
    }
    return NULL;
}

/* "runtime R, driver D" as the CUDA runtime reports them (e.g. 13010 = 13.1), and the device's name. */
JNIEXPORT jstring JNICALL Java_dev_cmr_bench_gpusmoke_CudaWork_describe(JNIEnv *env, jclass cls, jint device) {
    (void)cls;
    int runtime = 0;
    int driver = 0;
    struct cudaDeviceProp props;
    if (check(env, cudaRuntimeGetVersion(&runtime), "cudaRuntimeGetVersion")
        || check(env, cudaDriverGetVersion(&driver), "cudaDriverGetVersion")
        || check(env, cudaGetDeviceProperties(&props, device), "cudaGetDeviceProperties")) {
        return NULL;
    }
    char text[512];
    snprintf(text, sizeof text, "%s, compute capability %d.%d, %.1f GiB; CUDA runtime %d, driver supports %d",
             props.name, props.major, props.minor, props.totalGlobalMem / (1024.0 * 1024 * 1024), runtime, driver);
    return (*env)->NewStringUTF(env, text);
}

/* Selects the device, creates the stream and two device buffers plus one pinned host buffer of bytes each. */
JNIEXPORT jlong JNICALL Java_dev_cmr_bench_gpusmoke_CudaWork_open(JNIEnv *env, jclass cls, jint device,
                                                                jlong bytes) {
    (void)cls;
    if (bytes <= 0) {
        throw_new(env, "java/lang/IllegalArgumentException", "bytes must be > 0");
        return 0;
    }
    size_t size = (size_t)bytes;
    if (check(env, cudaSetDevice(device), "cudaSetDevice")
        || check(env, cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreateWithFlags")
        || check(env, cudaMalloc(&device_a, size), "cudaMalloc")
        || check(env, cudaMalloc(&device_b, size), "cudaMalloc")
        || check(env, cudaMallocHost(&pinned_host, size), "cudaMallocHost")) {
        return 0; /* capacity stays 0: every enqueue is refused */
    }
    capacity = size;
    return (jlong)(uintptr_t)stream;
}

JNIEXPORT void JNICALL Java_dev_cmr_bench_gpusmoke_CudaWork_memset(JNIEnv *env, jclass cls, jlong bytes,
                                                                 jint value) {
    (void)cls;
    if (check_size(env, bytes) == 0) {
        check(env, cudaMemsetAsync(device_a, value, (size_t)bytes, stream), "cudaMemsetAsync");
    }
}

JNIEXPORT void JNICALL Java_dev_cmr_bench_gpusmoke_CudaWork_copyDeviceToDevice(JNIEnv *env, jclass cls,
                                                                             jlong bytes) {
    (void)cls;
    if (check_size(env, bytes) == 0) {
        check(env, cudaMemcpyAsync(device_b, device_a, (size_t)bytes, cudaMemcpyDeviceToDevice, stream),
              "cudaMemcpyAsync device to device");
    }
}

JNIEXPORT void JNICALL Java_dev_cmr_bench_gpusmoke_CudaWork_copyDeviceToHost(JNIEnv *env, jclass cls,
                                                                           jlong bytes) {
    (void)cls;
    if (check_size(env, bytes) == 0) {
        check(env, cudaMemcpyAsync(pinned_host, device_b, (size_t)bytes, cudaMemcpyDeviceToHost, stream),
              "cudaMemcpyAsync device to host");
    }
}

JNIEXPORT void JNICALL Java_dev_cmr_bench_gpusmoke_CudaWork_synchronize(JNIEnv *env, jclass cls) {
    (void)cls;
    check(env, cudaStreamSynchronize(stream), "cudaStreamSynchronize");
}

/* Waits for the stream, then frees everything open created. */
JNIEXPORT void JNICALL Java_dev_cmr_bench_gpusmoke_CudaWork_close(JNIEnv *env, jclass cls) {
    (void)cls;
    if (!stream) {
        return;
    }
    cudaError_t rc = cudaStreamSynchronize(stream);
    cudaFreeHost(pinned_host);
    cudaFree(device_b);
    cudaFree(device_a);
    cudaStreamDestroy(stream);
    stream = NULL;
    check(env, rc, "cudaStreamSynchronize");
}
