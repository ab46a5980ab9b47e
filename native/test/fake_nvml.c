/*
 * A fake libnvidia-ml with the entry points libcmrprobe resolves, for the NVML reader's unit tests and the Java
 * sampler's end-to-end test (there is no GPU here). Two GPUs with fixed, distinct values:
 *
 *   index  name        gpu% mem%  used B      total B      power mW  energy mJ             temp C  SM MHz  reasons
 *   0      Fake GPU 0   87   41   5 GiB       16 GiB       215500    1e9 + 2500 per read   71      1755    0x44
 *   1      Fake GPU 1    5    2   1 GiB        8 GiB        30000    5e5 + 100 per read    (NOT_SUPPORTED) 300  0x1
 *
 * Energy grows by a fixed step on every nvmlDeviceGetTotalEnergyConsumption call, so that deltas are known.
 * Tests steer it through the fake_nvml_* functions (init failure, per-field errors, reason bits). Built twice:
 * as libfake_nvml.so, and with FAKE_NVML_PRE_535 as a driver older than 535 that lacks
 * nvmlDeviceGetCurrentClocksEventReasons.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SUCCESS 0u
#define ERROR_UNINITIALIZED 1u
#define ERROR_INVALID_ARGUMENT 2u
#define ERROR_NOT_SUPPORTED 3u
#define ERROR_INSUFFICIENT_SIZE 7u

struct nvmlDevice_st {
    const char *name;
    unsigned int gpu_percent, memory_percent;
    unsigned long long used, total;
    unsigned int power_mw;
    unsigned long long energy_mj, energy_step;
    int temperature_supported;
    unsigned int temperature_c, sm_mhz;
    unsigned long long reasons;
    unsigned int power_error;
};
typedef struct { unsigned long long total, free, used; } fake_memory;
typedef struct { unsigned int gpu, memory; } fake_utilization;

#define GIB (1024ULL * 1024ULL * 1024ULL)
static struct nvmlDevice_st devices[2];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int init_depth;
static unsigned int init_error;

static void reset_devices(void) {
    devices[0] = (struct nvmlDevice_st){"Fake GPU 0", 87, 41, 5 * GIB, 16 * GIB, 215500, 1000000000ULL, 2500, 1, 71,
                                        1755, 0x44, 0};
    devices[1] = (struct nvmlDevice_st){"Fake GPU 1", 5, 2, 1 * GIB, 8 * GIB, 30000, 500000ULL, 100, 0, 0, 300, 0x1, 0};
}

/* Steering (not NVML). */
void fake_nvml_set_init_error(unsigned int code);
void fake_nvml_set_power_error(unsigned int index, unsigned int code);
void fake_nvml_set_reasons(unsigned int index, unsigned long long reasons);
int fake_nvml_init_depth(void);
void fake_nvml_set_init_error(unsigned int code) { pthread_mutex_lock(&lock); init_error = code; pthread_mutex_unlock(&lock); }
void fake_nvml_set_power_error(unsigned int index, unsigned int code) {
    pthread_mutex_lock(&lock); devices[index].power_error = code; pthread_mutex_unlock(&lock);
}
void fake_nvml_set_reasons(unsigned int index, unsigned long long reasons) {
    pthread_mutex_lock(&lock); devices[index].reasons = reasons; pthread_mutex_unlock(&lock);
}
int fake_nvml_init_depth(void) { pthread_mutex_lock(&lock); int d = init_depth; pthread_mutex_unlock(&lock); return d; }

unsigned int nvmlInit_v2(void);
unsigned int nvmlShutdown(void);
const char *nvmlErrorString(unsigned int result);
unsigned int nvmlDeviceGetCount_v2(unsigned int *count);
unsigned int nvmlDeviceGetHandleByIndex_v2(unsigned int index, struct nvmlDevice_st **device);
unsigned int nvmlDeviceGetName(struct nvmlDevice_st *device, char *name, unsigned int length);
unsigned int nvmlDeviceGetUtilizationRates(struct nvmlDevice_st *device, fake_utilization *utilization);
unsigned int nvmlDeviceGetMemoryInfo(struct nvmlDevice_st *device, fake_memory *memory);
unsigned int nvmlDeviceGetPowerUsage(struct nvmlDevice_st *device, unsigned int *power);
unsigned int nvmlDeviceGetTotalEnergyConsumption(struct nvmlDevice_st *device, unsigned long long *energy);
unsigned int nvmlDeviceGetTemperature(struct nvmlDevice_st *device, unsigned int sensor, unsigned int *temp);
unsigned int nvmlDeviceGetClockInfo(struct nvmlDevice_st *device, unsigned int type, unsigned int *clock);
unsigned int nvmlDeviceGetCurrentClocksThrottleReasons(struct nvmlDevice_st *device, unsigned long long *reasons);
#ifndef FAKE_NVML_PRE_535
unsigned int nvmlDeviceGetCurrentClocksEventReasons(struct nvmlDevice_st *device, unsigned long long *reasons);
#endif

/* Like NVML: every query before nvmlInit_v2 (or after the last nvmlShutdown) is refused. */
static unsigned int ready(const void *out) {
    if (init_depth == 0) return ERROR_UNINITIALIZED;
    return out ? SUCCESS : ERROR_INVALID_ARGUMENT;
}

unsigned int nvmlInit_v2(void) {
    pthread_mutex_lock(&lock);
    unsigned int rc = init_error;
    if (rc == SUCCESS && init_depth++ == 0) reset_devices();
    pthread_mutex_unlock(&lock);
    return rc;
}
unsigned int nvmlShutdown(void) {
    pthread_mutex_lock(&lock);
    unsigned int rc = init_depth > 0 ? (init_depth--, SUCCESS) : ERROR_UNINITIALIZED;
    pthread_mutex_unlock(&lock);
    return rc;
}
const char *nvmlErrorString(unsigned int result) {
    switch (result) {
    case 0: return "Success";
    case 1: return "Uninitialized";
    case 2: return "Invalid Argument";
    case 3: return "Not Supported";
    case 7: return "Insufficient Size";
    case 9: return "Driver Not Loaded";
    case 15: return "GPU is lost";
    default: return "Unknown Error";
    }
}
unsigned int nvmlDeviceGetCount_v2(unsigned int *count) {
    pthread_mutex_lock(&lock);
    unsigned int rc = ready(count);
    if (rc == SUCCESS) *count = 2;
    pthread_mutex_unlock(&lock);
    return rc;
}
unsigned int nvmlDeviceGetHandleByIndex_v2(unsigned int index, struct nvmlDevice_st **device) {
    pthread_mutex_lock(&lock);
    unsigned int rc = ready(device);
    if (rc == SUCCESS && index >= 2) rc = ERROR_INVALID_ARGUMENT;
    if (rc == SUCCESS) *device = &devices[index];
    pthread_mutex_unlock(&lock);
    return rc;
}
unsigned int nvmlDeviceGetName(struct nvmlDevice_st *device, char *name, unsigned int length) {
    pthread_mutex_lock(&lock);
    unsigned int rc = ready(name);
    if (rc == SUCCESS && strlen(device->name) >= length) rc = ERROR_INSUFFICIENT_SIZE;
    if (rc == SUCCESS) snprintf(name, length, "%s", device->name);
    pthread_mutex_unlock(&lock);
    return rc;
}
unsigned int nvmlDeviceGetUtilizationRates(struct nvmlDevice_st *device, fake_utilization *utilization) {
    pthread_mutex_lock(&lock);
    unsigned int rc = ready(utilization);
    if (rc == SUCCESS) *utilization = (fake_utilization){device->gpu_percent, device->memory_percent};
    pthread_mutex_unlock(&lock);
    return rc;
}
unsigned int nvmlDeviceGetMemoryInfo(struct nvmlDevice_st *device, fake_memory *memory) {
    pthread_mutex_lock(&lock);
    unsigned int rc = ready(memory);
    if (rc == SUCCESS) *memory = (fake_memory){device->total, device->total - device->used, device->used};
    pthread_mutex_unlock(&lock);
    return rc;
}
unsigned int nvmlDeviceGetPowerUsage(struct nvmlDevice_st *device, unsigned int *power) {
    pthread_mutex_lock(&lock);
    unsigned int rc = ready(power);
    if (rc == SUCCESS) rc = device->power_error;
    if (rc == SUCCESS) *power = device->power_mw;
    pthread_mutex_unlock(&lock);
    return rc;
}
unsigned int nvmlDeviceGetTotalEnergyConsumption(struct nvmlDevice_st *device, unsigned long long *energy) {
    pthread_mutex_lock(&lock);
    unsigned int rc = ready(energy);
    if (rc == SUCCESS) {
        *energy = device->energy_mj;
        device->energy_mj += device->energy_step;
    }
    pthread_mutex_unlock(&lock);
    return rc;
}
unsigned int nvmlDeviceGetTemperature(struct nvmlDevice_st *device, unsigned int sensor, unsigned int *temp) {
    pthread_mutex_lock(&lock);
    unsigned int rc = ready(temp);
    if (rc == SUCCESS && sensor != 0) rc = ERROR_INVALID_ARGUMENT; /* only NVML_TEMPERATURE_GPU exists */
    if (rc == SUCCESS && !device->temperature_supported) rc = ERROR_NOT_SUPPORTED;
    if (rc == SUCCESS) *temp = device->temperature_c;
    pthread_mutex_unlock(&lock);
    return rc;
}
unsigned int nvmlDeviceGetClockInfo(struct nvmlDevice_st *device, unsigned int type, unsigned int *clock) {
    pthread_mutex_lock(&lock);
    unsigned int rc = ready(clock);
    if (rc == SUCCESS) *clock = type == 1 ? device->sm_mhz : 1; /* NVML_CLOCK_SM = 1; other domains read 1 MHz */
    pthread_mutex_unlock(&lock);
    return rc;
}
static unsigned int reasons_of(struct nvmlDevice_st *device, unsigned long long *reasons) {
    pthread_mutex_lock(&lock);
    unsigned int rc = ready(reasons);
    if (rc == SUCCESS) *reasons = device->reasons;
    pthread_mutex_unlock(&lock);
    return rc;
}
unsigned int nvmlDeviceGetCurrentClocksThrottleReasons(struct nvmlDevice_st *device, unsigned long long *reasons) {
    return reasons_of(device, reasons);
}
#ifndef FAKE_NVML_PRE_535
unsigned int nvmlDeviceGetCurrentClocksEventReasons(struct nvmlDevice_st *device, unsigned long long *reasons) {
    return reasons_of(device, reasons);
}
#endif
