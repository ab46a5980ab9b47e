/* The NVML reader against the fake libnvidia-ml (CMRP_FAKE_NVML, CMRP_FAKE_NVML_PRE535): every field and reason
 * bit mapped, NOT_SUPPORTED absent per field, other errors named, init failures and missing libraries reported
 * with the library's name, loads reference-counted. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>

#include "check.h"
#include "cmrprobe.h"

#define GIB (1024LL * 1024LL * 1024LL)

static const char *fake_path;
static void *fake; /* held open by the test so that steering survives cmrp's dlclose */
static void (*set_init_error)(unsigned int);
static void (*set_power_error)(unsigned int, unsigned int);
static void (*set_reasons)(unsigned int, unsigned long long);
static int (*init_depth)(void);

static void bind_fake(void) {
    fake_path = getenv("CMRP_FAKE_NVML");
    CHECK(fake_path != NULL);
    fake = dlopen(fake_path, RTLD_NOW | RTLD_LOCAL);
    CHECK(fake != NULL);
    *(void **)&set_init_error = dlsym(fake, "fake_nvml_set_init_error");
    *(void **)&set_power_error = dlsym(fake, "fake_nvml_set_power_error");
    *(void **)&set_reasons = dlsym(fake, "fake_nvml_set_reasons");
    *(void **)&init_depth = dlsym(fake, "fake_nvml_init_depth");
    CHECK(set_init_error && set_power_error && set_reasons && init_depth);
}

static void absent_nvml_is_reported_by_its_library_name(void) {
    void *real = dlopen("libnvidia-ml.so.1", RTLD_LAZY | RTLD_LOCAL);
    if (real) { /* a machine with an NVIDIA driver: the absence cannot be shown here */
        dlclose(real);
        printf("skip absent_nvml_is_reported_by_its_library_name: libnvidia-ml.so.1 is installed\n");
        return;
    }
    CHECK_EQ(cmrp_nvml_load(NULL), -1);
    CHECK_CONTAINS(cmrp_last_error(), "NVML unavailable: cannot load libnvidia-ml.so.1: ");
    CHECK_CONTAINS(cmrp_last_error(), "No such file or directory"); /* dlerror's own words */
    CHECK_EQ(cmrp_nvml_load("libnvidia-ml.so.1"), -1);
    CHECK_CONTAINS(cmrp_last_error(), "cannot load libnvidia-ml.so.1");
}

static void library_without_nvml_entry_points_names_the_symbol(void) {
    CHECK_EQ(cmrp_nvml_load("libm.so.6"), -1);
    CHECK_CONTAINS(cmrp_last_error(), "libm.so.6 has no symbol nvmlInit_v2");
}

static void failed_init_is_reported_with_nvml_error_text_and_leaves_nothing_loaded(void) {
    set_init_error(9); /* NVML_ERROR_DRIVER_NOT_LOADED */
    CHECK_EQ(cmrp_nvml_load(fake_path), -1);
    CHECK_CONTAINS(cmrp_last_error(), "NVML unavailable: nvmlInit_v2 failed: Driver Not Loaded (9)");
    set_init_error(0);
    int32_t count = -1;
    CHECK_EQ(cmrp_nvml_device_count(&count), -1);
    CHECK_CONTAINS(cmrp_last_error(), "NVML is not loaded");
    CHECK_EQ(cmrp_nvml_shutdown(), -1);
    CHECK(cmrp_nvml_clock_event_reasons_call() == NULL);
}

static void queries_before_a_load_are_refused_not_crashed(void) {
    cmrp_nvml_sample s;
    CHECK_EQ(cmrp_nvml_read(0, &s), -1);
    CHECK_CONTAINS(cmrp_last_error(), "NVML is not loaded");
    CHECK_EQ(s.valid, 0);
    char name[8];
    CHECK_EQ(cmrp_nvml_device_name(0, name, sizeof name), -1);
    CHECK_EQ(name[0], '\0');
}

static void reads_every_field_of_a_fully_supported_gpu(void) {
    CHECK_EQ(cmrp_nvml_load(fake_path), 0);
    CHECK_CONTAINS(cmrp_nvml_clock_event_reasons_call(), "nvmlDeviceGetCurrentClocksEventReasons");
    int32_t count = -1;
    CHECK_EQ(cmrp_nvml_device_count(&count), 0);
    CHECK_EQ(count, 2);
    char name[96];
    CHECK_EQ(cmrp_nvml_device_name(0, name, sizeof name), 0);
    CHECK_CONTAINS(name, "Fake GPU 0");
    cmrp_nvml_sample s;
    CHECK_EQ(cmrp_nvml_read(0, &s), 0);
    CHECK_EQ(s.valid, CMRP_NVML_ALL_FIELDS);
    CHECK_EQ(s.unsupported, 0);
    CHECK_EQ(s.gpu_utilization_percent, 87);
    CHECK_EQ(s.memory_utilization_percent, 41);
    CHECK_EQ(s.memory_used_bytes, 5 * GIB);
    CHECK_EQ(s.memory_total_bytes, 16 * GIB);
    CHECK_EQ(s.power_mw, 215500);
    CHECK_EQ(s.energy_mj, 1000000000LL);
    CHECK_EQ(s.temperature_c, 71);
    CHECK_EQ(s.sm_clock_mhz, 1755);
    CHECK_EQ(s.clock_event_reasons, 0x44);
    CHECK_EQ(s.reserved, 0);
    CHECK_EQ(cmrp_nvml_read(0, &s), 0);
    CHECK_EQ(s.energy_mj, 1000000000LL + 2500); /* the total energy counter moves between reads */
    CHECK_EQ(cmrp_nvml_shutdown(), 0);
    CHECK_EQ(init_depth(), 0);
}

static void unsupported_field_is_absent_and_not_a_failure(void) {
    CHECK_EQ(cmrp_nvml_load(fake_path), 0);
    cmrp_nvml_sample s;
    CHECK_EQ(cmrp_nvml_read(1, &s), 0);
    CHECK_EQ(cmrp_last_error()[0], '\0');
    CHECK_EQ(s.valid, CMRP_NVML_ALL_FIELDS & ~CMRP_NVML_TEMPERATURE);
    CHECK_EQ(s.unsupported, CMRP_NVML_TEMPERATURE);
    CHECK_EQ(s.temperature_c, 0);
    CHECK_EQ(s.gpu_utilization_percent, 5);
    CHECK_EQ(s.memory_total_bytes, 8 * GIB);
    CHECK_EQ(s.power_mw, 30000);
    CHECK_EQ(s.energy_mj, 500000);
    CHECK_EQ(s.sm_clock_mhz, 300);
    CHECK_EQ(s.clock_event_reasons, 0x1);
    CHECK_EQ(cmrp_nvml_shutdown(), 0);
}

static void failing_field_is_absent_named_and_the_rest_still_read(void) {
    CHECK_EQ(cmrp_nvml_load(fake_path), 0);
    set_power_error(0, 15); /* NVML_ERROR_GPU_IS_LOST */
    cmrp_nvml_sample s;
    CHECK_EQ(cmrp_nvml_read(0, &s), -1);
    CHECK_CONTAINS(cmrp_last_error(), "nvmlDeviceGetPowerUsage(0) failed: GPU is lost (15)");
    CHECK_EQ(s.valid, CMRP_NVML_ALL_FIELDS & ~CMRP_NVML_POWER);
    CHECK_EQ(s.unsupported, 0); /* lost this time, not unsupported for good */
    CHECK_EQ(s.power_mw, 0);
    CHECK_EQ(s.temperature_c, 71);
    set_power_error(0, 0);
    CHECK_EQ(cmrp_nvml_read(0, &s), 0);
    CHECK_EQ(s.power_mw, 215500);
    CHECK_EQ(cmrp_nvml_shutdown(), 0);
}

static void every_clock_event_reason_bit_passes_through_verbatim(void) {
    CHECK_EQ(cmrp_nvml_load(fake_path), 0);
    cmrp_nvml_sample s;
    for (int bit = 0; bit < 64; bit++) {
        unsigned long long mask = 1ULL << bit;
        set_reasons(0, mask);
        CHECK_EQ(cmrp_nvml_read(0, &s), 0);
        CHECK((unsigned long long)s.clock_event_reasons == mask);
    }
    set_reasons(0, 0x1FFULL | (1ULL << 40)); /* all nine documented reasons and one unknown */
    CHECK_EQ(cmrp_nvml_read(0, &s), 0);
    CHECK_EQ(s.clock_event_reasons, 0x1FFLL | (1LL << 40));
    CHECK_EQ(cmrp_nvml_shutdown(), 0);
}

static void bad_indices_are_named(void) {
    CHECK_EQ(cmrp_nvml_load(fake_path), 0);
    cmrp_nvml_sample s;
    CHECK_EQ(cmrp_nvml_read(5, &s), -1);
    CHECK_CONTAINS(cmrp_last_error(), "nvmlDeviceGetHandleByIndex_v2(5) failed: Invalid Argument (2)");
    CHECK_EQ(s.valid, 0);
    CHECK_EQ(cmrp_nvml_read(-1, &s), -1);
    CHECK_CONTAINS(cmrp_last_error(), "index must be >= 0, was -1");
    CHECK_EQ(cmrp_nvml_read(0, NULL), -1);
    CHECK_CONTAINS(cmrp_last_error(), "out must not be NULL");
    char name[5];
    CHECK_EQ(cmrp_nvml_device_name(0, name, sizeof name), 0);
    CHECK_CONTAINS(name, "Fake"); /* truncated to the caller's capacity, NUL-terminated */
    CHECK_EQ(strlen(name), 4);
    CHECK_EQ(cmrp_nvml_shutdown(), 0);
}

static void loads_are_counted_and_the_last_shutdown_unloads(void) {
    CHECK_EQ(cmrp_nvml_load(fake_path), 0);
    CHECK_EQ(cmrp_nvml_load(fake_path), 0);
    CHECK_EQ(init_depth(), 1); /* one nvmlInit_v2 for both references */
    CHECK_EQ(cmrp_nvml_load("libm.so.6"), -1);
    CHECK_CONTAINS(cmrp_last_error(), "already loaded from");
    CHECK_EQ(cmrp_nvml_shutdown(), 0);
    int32_t count = 0;
    CHECK_EQ(cmrp_nvml_device_count(&count), 0); /* the second reference keeps NVML up */
    CHECK_EQ(count, 2);
    CHECK_EQ(cmrp_nvml_shutdown(), 0);
    CHECK_EQ(init_depth(), 0);
    CHECK_EQ(cmrp_nvml_device_count(&count), -1);
    CHECK_EQ(cmrp_nvml_shutdown(), -1);
    CHECK_CONTAINS(cmrp_last_error(), "NVML is not loaded");
}

static void drivers_before_535_fall_back_to_the_throttle_reasons_call(void) {
    const char *old = getenv("CMRP_FAKE_NVML_PRE535");
    CHECK(old != NULL);
    CHECK_EQ(cmrp_nvml_load(old), 0);
    CHECK_CONTAINS(cmrp_nvml_clock_event_reasons_call(), "nvmlDeviceGetCurrentClocksThrottleReasons");
    cmrp_nvml_sample s;
    CHECK_EQ(cmrp_nvml_read(0, &s), 0);
    CHECK((s.valid & CMRP_NVML_CLOCK_EVENT_REASONS) != 0);
    CHECK_EQ(s.clock_event_reasons, 0x44);
    CHECK_EQ(cmrp_nvml_shutdown(), 0);
}

int main(void) {
    bind_fake();
    RUN(absent_nvml_is_reported_by_its_library_name);
    RUN(library_without_nvml_entry_points_names_the_symbol);
    RUN(failed_init_is_reported_with_nvml_error_text_and_leaves_nothing_loaded);
    RUN(queries_before_a_load_are_refused_not_crashed);
    RUN(reads_every_field_of_a_fully_supported_gpu);
    RUN(unsupported_field_is_absent_and_not_a_failure);
    RUN(failing_field_is_absent_named_and_the_rest_still_read);
    RUN(every_clock_event_reason_bit_passes_through_verbatim);
    RUN(bad_indices_are_named);
    RUN(loads_are_counted_and_the_last_shutdown_unloads);
    RUN(drivers_before_535_fall_back_to_the_throttle_reasons_call);
    return 0;
}
