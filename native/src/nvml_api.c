/*
 * NVML through dlopen: loading with a reference count, and one read of every gauge of a GPU into the flat
 * cmrp_nvml_sample of cmrprobe.h.
 *
 * The library is opened and its table resolved by cmrp_vendor_open, as OpenCL's and CUDA's are; the gate around
 * it is NVML's own, not cmrp_vendor_load, because the last shutdown unloads the library and a later load opens it
 * again.
 *
 * State: `api` and `refs` change only under load_lock (load and shutdown); `loaded` publishes `api` to the query
 * functions, which take no lock, so that two GPUs' samplers never wait for each other: the release store of 1 in
 * cmrp_nvml_load pairs with the acquire load in require_loaded and cmrp_nvml_clock_event_reasons_call. Queries
 * rely on the caller's contract of holding a reference while they run.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#ifdef CMRP_HAVE_NVML_HEADERS
/* Versioned names only: nvml.h otherwise #defines nvmlInit to nvmlInit_v2 and so on. */
#define NVML_NO_UNVERSIONED_FUNC_DEFS
#include <nvml.h>
#define CMRP_NVML_MEMORY_T nvmlMemory_t
#define CMRP_NVML_UTILIZATION_T nvmlUtilization_t
#endif

#include "nvml_api.h"

#ifdef CMRP_HAVE_NVML_HEADERS
/* With NVIDIA's struct types substituted above, each typedef must be compatible with NVIDIA's prototype; the
 * mirror structs used when nvml.h is absent must have NVIDIA's layout. */
#define CMRP_CHECK_NVML(name) \
    _Static_assert(__builtin_types_compatible_p(__typeof__(&name), cmrp_##name##_fn), \
                   "cmrp_" #name "_fn does not match nvml.h")
/* The throttle-named entry point is marked deprecated in newer headers; naming it here is the point. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
CMRP_CHECK_NVML(nvmlInit_v2);
CMRP_CHECK_NVML(nvmlShutdown);
CMRP_CHECK_NVML(nvmlErrorString);
CMRP_CHECK_NVML(nvmlDeviceGetCount_v2);
CMRP_CHECK_NVML(nvmlDeviceGetHandleByIndex_v2);
CMRP_CHECK_NVML(nvmlDeviceGetName);
CMRP_CHECK_NVML(nvmlDeviceGetUtilizationRates);
CMRP_CHECK_NVML(nvmlDeviceGetMemoryInfo);
CMRP_CHECK_NVML(nvmlDeviceGetPowerUsage);
CMRP_CHECK_NVML(nvmlDeviceGetTotalEnergyConsumption);
CMRP_CHECK_NVML(nvmlDeviceGetTemperature);
CMRP_CHECK_NVML(nvmlDeviceGetClockInfo);
CMRP_CHECK_NVML(nvmlDeviceGetCurrentClocksThrottleReasons);
#ifdef nvmlClocksEventReasonGpuIdle /* headers of driver 535 and later */
CMRP_CHECK_NVML(nvmlDeviceGetCurrentClocksEventReasons);
#endif
#pragma GCC diagnostic pop
_Static_assert(__builtin_types_compatible_p(nvmlDevice_t, cmrp_nvml_device), "nvmlDevice_t");
_Static_assert(CMRP_NVML_SUCCESS == NVML_SUCCESS, "NVML_SUCCESS");
_Static_assert(CMRP_NVML_ERROR_NOT_SUPPORTED == NVML_ERROR_NOT_SUPPORTED, "NVML_ERROR_NOT_SUPPORTED");
_Static_assert(CMRP_NVML_ERROR_FUNCTION_NOT_FOUND == NVML_ERROR_FUNCTION_NOT_FOUND, "FUNCTION_NOT_FOUND");
_Static_assert(CMRP_NVML_TEMPERATURE_GPU == NVML_TEMPERATURE_GPU, "NVML_TEMPERATURE_GPU");
_Static_assert(CMRP_NVML_CLOCK_SM == NVML_CLOCK_SM, "NVML_CLOCK_SM");
_Static_assert(CMRP_NVML_DEVICE_NAME_V2_BUFFER_SIZE == NVML_DEVICE_NAME_V2_BUFFER_SIZE, "name buffer");
_Static_assert(sizeof(cmrp_nvml_memory_mirror) == sizeof(nvmlMemory_t), "nvmlMemory_t size");
_Static_assert(offsetof(cmrp_nvml_memory_mirror, total) == offsetof(nvmlMemory_t, total), "nvmlMemory_t.total");
_Static_assert(offsetof(cmrp_nvml_memory_mirror, free) == offsetof(nvmlMemory_t, free), "nvmlMemory_t.free");
_Static_assert(offsetof(cmrp_nvml_memory_mirror, used) == offsetof(nvmlMemory_t, used), "nvmlMemory_t.used");
_Static_assert(sizeof(cmrp_nvml_utilization_mirror) == sizeof(nvmlUtilization_t), "nvmlUtilization_t size");
_Static_assert(offsetof(cmrp_nvml_utilization_mirror, gpu) == offsetof(nvmlUtilization_t, gpu), "gpu");
_Static_assert(offsetof(cmrp_nvml_utilization_mirror, memory) == offsetof(nvmlUtilization_t, memory), "memory");
/* The reason bits cmrprobe.h documents and the Java decoder names (the throttle-named macros are in every
 * header; the event-named ones only from driver 535). */
_Static_assert(nvmlClocksThrottleReasonGpuIdle == 0x1ULL, "GpuIdle");
_Static_assert(nvmlClocksThrottleReasonApplicationsClocksSetting == 0x2ULL, "ApplicationsClocksSetting");
_Static_assert(nvmlClocksThrottleReasonSwPowerCap == 0x4ULL, "SwPowerCap");
_Static_assert(nvmlClocksThrottleReasonHwSlowdown == 0x8ULL, "HwSlowdown");
_Static_assert(nvmlClocksThrottleReasonSyncBoost == 0x10ULL, "SyncBoost");
_Static_assert(nvmlClocksThrottleReasonSwThermalSlowdown == 0x20ULL, "SwThermalSlowdown");
_Static_assert(nvmlClocksThrottleReasonHwThermalSlowdown == 0x40ULL, "HwThermalSlowdown");
_Static_assert(nvmlClocksThrottleReasonHwPowerBrakeSlowdown == 0x80ULL, "HwPowerBrakeSlowdown");
_Static_assert(nvmlClocksThrottleReasonDisplayClockSetting == 0x100ULL, "DisplayClockSetting");
#endif

_Static_assert(sizeof(cmrp_nvml_sample) == 64, "cmrp_nvml_sample is 64 bytes (the Java binding relies on it)");

#define CMRP_NVML_DEFAULT_LIBRARY "libnvidia-ml.so.1"

static cmrp_nvml_api api;
static int refs;
static char loaded_name[512];
static atomic_int loaded;
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const nvml_defaults[] = {CMRP_NVML_DEFAULT_LIBRARY};
static const cmrp_vendor_symbol nvml_symbols[] = {
    CMRP_REQUIRED_SYMBOL(cmrp_nvml_api, nvmlInit_v2),
    CMRP_REQUIRED_SYMBOL(cmrp_nvml_api, nvmlShutdown),
    CMRP_REQUIRED_SYMBOL(cmrp_nvml_api, nvmlErrorString),
    CMRP_REQUIRED_SYMBOL(cmrp_nvml_api, nvmlDeviceGetCount_v2),
    CMRP_REQUIRED_SYMBOL(cmrp_nvml_api, nvmlDeviceGetHandleByIndex_v2),
    CMRP_REQUIRED_SYMBOL(cmrp_nvml_api, nvmlDeviceGetName),
    CMRP_REQUIRED_SYMBOL(cmrp_nvml_api, nvmlDeviceGetUtilizationRates),
    CMRP_REQUIRED_SYMBOL(cmrp_nvml_api, nvmlDeviceGetMemoryInfo),
    CMRP_REQUIRED_SYMBOL(cmrp_nvml_api, nvmlDeviceGetPowerUsage),
    CMRP_REQUIRED_SYMBOL(cmrp_nvml_api, nvmlDeviceGetTotalEnergyConsumption),
    CMRP_REQUIRED_SYMBOL(cmrp_nvml_api, nvmlDeviceGetTemperature),
    CMRP_REQUIRED_SYMBOL(cmrp_nvml_api, nvmlDeviceGetClockInfo),
};
static const cmrp_vendor_lib nvml_library = {
    .cannot_load = "NVML unavailable: cannot load ",
    .missing_symbol = "NVML unavailable: ",
    .defaults = nvml_defaults,
    .default_count = CMRP_LENGTH(nvml_defaults),
    .symbols = nvml_symbols,
    .symbol_count = CMRP_LENGTH(nvml_symbols),
};

static const char *error_text(const cmrp_nvml_api *a, cmrp_nvml_return code) {
    const char *text = a->nvmlErrorString ? a->nvmlErrorString(code) : NULL;
    return text ? text : "unknown error";
}

/* The clock-event-reasons entry point under either of its names into a->clock_event_reasons; 0, or -1 with
 * cmrp_fail naming both. */
static int resolve_clock_event_reasons(cmrp_nvml_api *a, const char *library) {
    /* The new name first: drivers from 535 on export both, and may drop the deprecated one. */
    static const char *const names[] = {"nvmlDeviceGetCurrentClocksEventReasons",
                                        "nvmlDeviceGetCurrentClocksThrottleReasons"};
    for (size_t i = 0; i < CMRP_LENGTH(names); i++) {
        void *address = dlsym(a->library, names[i]);
        if (address) {
            memcpy(&a->clock_event_reasons, &address, sizeof address);
            a->clock_event_reasons_symbol = names[i];
            return 0;
        }
    }
    return cmrp_fail("NVML unavailable: %s has neither symbol %s nor %s", library, names[0], names[1]);
}

int cmrp_nvml_load(const char *library) {
    cmrp_clear_error();
    const char *name = library ? library : CMRP_NVML_DEFAULT_LIBRARY;
    if (!name[0] || strlen(name) >= sizeof loaded_name) {
        return cmrp_fail("library must be a non-empty name shorter than %zu characters", sizeof loaded_name);
    }
    pthread_mutex_lock(&load_lock);
    if (refs > 0) {
        int same = strcmp(name, loaded_name) == 0;
        if (same) {
            refs++;
        }
        pthread_mutex_unlock(&load_lock);
        return same ? 0 : cmrp_fail("NVML is already loaded from %s; cannot also load %s", loaded_name, name);
    }
    cmrp_nvml_api a = {0};
    void *lib = cmrp_vendor_open(&nvml_library, name, &a, NULL);
    if (!lib) {
        pthread_mutex_unlock(&load_lock);
        return -1;
    }
    a.library = lib;
    int rc = resolve_clock_event_reasons(&a, name);
    if (rc == 0) {
        cmrp_nvml_return r = a.nvmlInit_v2();
        if (r != CMRP_NVML_SUCCESS) {
            rc = cmrp_fail("NVML unavailable: nvmlInit_v2 failed: %s (%u)", error_text(&a, r), r);
        }
    }
    if (rc != 0) {
        dlclose(lib);
        pthread_mutex_unlock(&load_lock);
        return -1;
    }
    api = a;
    refs = 1;
    snprintf(loaded_name, sizeof loaded_name, "%s", name);
    atomic_store_explicit(&loaded, 1, memory_order_release);
    pthread_mutex_unlock(&load_lock);
    return 0;
}

int cmrp_nvml_shutdown(void) {
    cmrp_clear_error();
    pthread_mutex_lock(&load_lock);
    if (refs == 0) {
        pthread_mutex_unlock(&load_lock);
        return cmrp_fail("NVML is not loaded");
    }
    if (--refs > 0) {
        pthread_mutex_unlock(&load_lock);
        return 0;
    }
    atomic_store_explicit(&loaded, 0, memory_order_release);
    cmrp_nvml_return r = api.nvmlShutdown();
    int rc = r == CMRP_NVML_SUCCESS ? 0 : cmrp_fail("nvmlShutdown failed: %s (%u)", error_text(&api, r), r);
    dlclose(api.library);
    memset(&api, 0, sizeof api);
    loaded_name[0] = '\0';
    pthread_mutex_unlock(&load_lock);
    return rc;
}

const char *cmrp_nvml_clock_event_reasons_call(void) {
    return atomic_load_explicit(&loaded, memory_order_acquire) ? api.clock_event_reasons_symbol : NULL;
}

static int require_loaded(void) {
    if (!atomic_load_explicit(&loaded, memory_order_acquire)) {
        return cmrp_fail("NVML is not loaded: call cmrp_nvml_load first");
    }
    return 0;
}

static int device(int32_t index, cmrp_nvml_device *dev) {
    if (index < 0) {
        return cmrp_fail("index must be >= 0, was %d", index);
    }
    cmrp_nvml_return r = api.nvmlDeviceGetHandleByIndex_v2((unsigned int)index, dev);
    if (r != CMRP_NVML_SUCCESS) {
        return cmrp_fail("nvmlDeviceGetHandleByIndex_v2(%d) failed: %s (%u)", index, error_text(&api, r), r);
    }
    return 0;
}

int cmrp_nvml_device_count(int32_t *count) {
    cmrp_clear_error();
    if (!count) {
        return cmrp_fail("count must not be NULL");
    }
    if (require_loaded() != 0) {
        return -1;
    }
    unsigned int n = 0;
    cmrp_nvml_return r = api.nvmlDeviceGetCount_v2(&n);
    if (r != CMRP_NVML_SUCCESS) {
        return cmrp_fail("nvmlDeviceGetCount_v2 failed: %s (%u)", error_text(&api, r), r);
    }
    *count = (int32_t)n;
    return 0;
}

int cmrp_nvml_device_name(int32_t index, char *buf, int32_t capacity) {
    cmrp_clear_error();
    if (!buf || capacity <= 0) {
        return cmrp_fail("buf must not be NULL and capacity must be > 0, was %d", capacity);
    }
    buf[0] = '\0';
    cmrp_nvml_device dev;
    if (require_loaded() != 0 || device(index, &dev) != 0) {
        return -1;
    }
    /* NVML refuses a buffer shorter than the name (INSUFFICIENT_SIZE), so read into a full-size one and
     * truncate here, as documented. */
    char name[CMRP_NVML_DEVICE_NAME_V2_BUFFER_SIZE];
    cmrp_nvml_return r = api.nvmlDeviceGetName(dev, name, sizeof name);
    if (r != CMRP_NVML_SUCCESS) {
        return cmrp_fail("nvmlDeviceGetName(%d) failed: %s (%u)", index, error_text(&api, r), r);
    }
    name[sizeof name - 1] = '\0';
    snprintf(buf, (size_t)capacity, "%s", name);
    return 0;
}

/*
 * Accounts for one query's result: 1 when the caller may store its values; on NOT_SUPPORTED marks the fields
 * unsupported; on any other error keeps the first failure's text for cmrp_last_error().
 */
static int took(cmrp_nvml_sample *out, cmrp_nvml_return r, uint32_t fields, const char *call, int32_t index,
                int *failed) {
    if (r == CMRP_NVML_SUCCESS) {
        out->valid |= fields;
        return 1;
    }
    if (r == CMRP_NVML_ERROR_NOT_SUPPORTED) {
        out->unsupported |= fields;
    } else if (!*failed) {
        *failed = 1;
        cmrp_fail("%s(%d) failed: %s (%u)", call, index, error_text(&api, r), r);
    }
    return 0;
}

int cmrp_nvml_read(int32_t index, cmrp_nvml_sample *out) {
    cmrp_clear_error();
    if (!out) {
        return cmrp_fail("out must not be NULL");
    }
    memset(out, 0, sizeof *out);
    cmrp_nvml_device dev;
    if (require_loaded() != 0 || device(index, &dev) != 0) {
        return -1;
    }
    int failed = 0;
    CMRP_NVML_UTILIZATION_T utilization;
    if (took(out, api.nvmlDeviceGetUtilizationRates(dev, &utilization),
             CMRP_NVML_GPU_UTILIZATION | CMRP_NVML_MEMORY_UTILIZATION, "nvmlDeviceGetUtilizationRates", index,
             &failed)) {
        out->gpu_utilization_percent = (int32_t)utilization.gpu;
        out->memory_utilization_percent = (int32_t)utilization.memory;
    }
    CMRP_NVML_MEMORY_T memory;
    if (took(out, api.nvmlDeviceGetMemoryInfo(dev, &memory), CMRP_NVML_MEMORY_USED | CMRP_NVML_MEMORY_TOTAL,
             "nvmlDeviceGetMemoryInfo", index, &failed)) {
        out->memory_used_bytes = (int64_t)memory.used;
        out->memory_total_bytes = (int64_t)memory.total;
    }
    unsigned int power_mw;
    if (took(out, api.nvmlDeviceGetPowerUsage(dev, &power_mw), CMRP_NVML_POWER, "nvmlDeviceGetPowerUsage", index,
             &failed)) {
        out->power_mw = (int32_t)power_mw;
    }
    unsigned long long energy_mj;
    if (took(out, api.nvmlDeviceGetTotalEnergyConsumption(dev, &energy_mj), CMRP_NVML_ENERGY,
             "nvmlDeviceGetTotalEnergyConsumption", index, &failed)) {
        out->energy_mj = (int64_t)energy_mj;
    }
    unsigned int temperature_c;
    if (took(out, api.nvmlDeviceGetTemperature(dev, CMRP_NVML_TEMPERATURE_GPU, &temperature_c),
             CMRP_NVML_TEMPERATURE, "nvmlDeviceGetTemperature", index, &failed)) {
        out->temperature_c = (int32_t)temperature_c;
    }
    unsigned int sm_mhz;
    if (took(out, api.nvmlDeviceGetClockInfo(dev, CMRP_NVML_CLOCK_SM, &sm_mhz), CMRP_NVML_SM_CLOCK,
             "nvmlDeviceGetClockInfo", index, &failed)) {
        out->sm_clock_mhz = (int32_t)sm_mhz;
    }
    unsigned long long reasons;
    if (took(out, api.clock_event_reasons(dev, &reasons), CMRP_NVML_CLOCK_EVENT_REASONS,
             api.clock_event_reasons_symbol, index, &failed)) {
        out->clock_event_reasons = (int64_t)reasons;
    }
    return failed ? -1 : 0;
}
