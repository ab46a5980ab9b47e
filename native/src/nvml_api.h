/*
 * The NVML entry points libcmrprobe calls (NVIDIA's documented NVML API), as its own types and function-pointer
 * types resolved with dlopen/dlsym from libnvidia-ml.so.1. No nvml.h is needed to build; where one exists at
 * build time (CMRP_HAVE_NVML_HEADERS), nvml_api.c asserts every typedef, constant and struct layout below against
 * it.
 *
 * nvmlReturn_t, nvmlTemperatureSensors_t and nvmlClockType_t are enums whose values are all non-negative, which
 * GCC gives the compatible type unsigned int; their mirrors are therefore unsigned int.
 *
 * The struct parameters are spelled through CMRP_NVML_MEMORY_T / CMRP_NVML_UTILIZATION_T so that the checking
 * translation unit can substitute NVIDIA's own struct types and compare whole prototypes; everywhere else they
 * are the mirror structs, whose layout the same check proves identical.
 */
#ifndef CMRP_NVML_API_H
#define CMRP_NVML_API_H

#include "internal.h"

typedef unsigned int cmrp_nvml_return;
typedef struct nvmlDevice_st *cmrp_nvml_device;

#define CMRP_NVML_SUCCESS 0u
#define CMRP_NVML_ERROR_NOT_SUPPORTED 3u
#define CMRP_NVML_ERROR_FUNCTION_NOT_FOUND 13u
#define CMRP_NVML_TEMPERATURE_GPU 0u
#define CMRP_NVML_CLOCK_SM 1u
#define CMRP_NVML_DEVICE_NAME_V2_BUFFER_SIZE 96u

/* nvmlMemory_t: bytes. */
typedef struct cmrp_nvml_memory_mirror {
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
} cmrp_nvml_memory_mirror;

/* nvmlUtilization_t: percent of the last sample period (1/6 s to 1 s, product dependent). */
typedef struct cmrp_nvml_utilization_mirror {
    unsigned int gpu;
    unsigned int memory;
} cmrp_nvml_utilization_mirror;

#ifndef CMRP_NVML_MEMORY_T
#define CMRP_NVML_MEMORY_T cmrp_nvml_memory_mirror
#endif
#ifndef CMRP_NVML_UTILIZATION_T
#define CMRP_NVML_UTILIZATION_T cmrp_nvml_utilization_mirror
#endif

typedef cmrp_nvml_return (*cmrp_nvmlInit_v2_fn)(void);
typedef cmrp_nvml_return (*cmrp_nvmlShutdown_fn)(void);
typedef const char *(*cmrp_nvmlErrorString_fn)(cmrp_nvml_return);
typedef cmrp_nvml_return (*cmrp_nvmlDeviceGetCount_v2_fn)(unsigned int *);
typedef cmrp_nvml_return (*cmrp_nvmlDeviceGetHandleByIndex_v2_fn)(unsigned int, cmrp_nvml_device *);
typedef cmrp_nvml_return (*cmrp_nvmlDeviceGetName_fn)(cmrp_nvml_device, char *, unsigned int);
typedef cmrp_nvml_return (*cmrp_nvmlDeviceGetUtilizationRates_fn)(cmrp_nvml_device, CMRP_NVML_UTILIZATION_T *);
typedef cmrp_nvml_return (*cmrp_nvmlDeviceGetMemoryInfo_fn)(cmrp_nvml_device, CMRP_NVML_MEMORY_T *);
typedef cmrp_nvml_return (*cmrp_nvmlDeviceGetPowerUsage_fn)(cmrp_nvml_device, unsigned int *);
typedef cmrp_nvml_return (*cmrp_nvmlDeviceGetTotalEnergyConsumption_fn)(cmrp_nvml_device, unsigned long long *);
typedef cmrp_nvml_return (*cmrp_nvmlDeviceGetTemperature_fn)(cmrp_nvml_device, unsigned int, unsigned int *);
typedef cmrp_nvml_return (*cmrp_nvmlDeviceGetClockInfo_fn)(cmrp_nvml_device, unsigned int, unsigned int *);
/* Both names share one signature: the EventReasons name (driver 535+) replaced the ThrottleReasons one. */
typedef cmrp_nvml_return (*cmrp_nvmlDeviceGetCurrentClocksEventReasons_fn)(cmrp_nvml_device, unsigned long long *);
typedef cmrp_nvmlDeviceGetCurrentClocksEventReasons_fn cmrp_nvmlDeviceGetCurrentClocksThrottleReasons_fn;

typedef struct cmrp_nvml_api {
    void *library;
    cmrp_nvmlInit_v2_fn nvmlInit_v2;
    cmrp_nvmlShutdown_fn nvmlShutdown;
    cmrp_nvmlErrorString_fn nvmlErrorString;
    cmrp_nvmlDeviceGetCount_v2_fn nvmlDeviceGetCount_v2;
    cmrp_nvmlDeviceGetHandleByIndex_v2_fn nvmlDeviceGetHandleByIndex_v2;
    cmrp_nvmlDeviceGetName_fn nvmlDeviceGetName;
    cmrp_nvmlDeviceGetUtilizationRates_fn nvmlDeviceGetUtilizationRates;
    cmrp_nvmlDeviceGetMemoryInfo_fn nvmlDeviceGetMemoryInfo;
    cmrp_nvmlDeviceGetPowerUsage_fn nvmlDeviceGetPowerUsage;
    cmrp_nvmlDeviceGetTotalEnergyConsumption_fn nvmlDeviceGetTotalEnergyConsumption;
    cmrp_nvmlDeviceGetTemperature_fn nvmlDeviceGetTemperature;
    cmrp_nvmlDeviceGetClockInfo_fn nvmlDeviceGetClockInfo;
    /* nvmlDeviceGetCurrentClocksEventReasons, or on drivers before 535 nvmlDeviceGetCurrentClocksThrottleReasons */
    cmrp_nvmlDeviceGetCurrentClocksEventReasons_fn clock_event_reasons;
    const char *clock_event_reasons_symbol;
} cmrp_nvml_api;

#endif
