/* Missing vendor libraries: the load fails with a message naming the library and dlerror's reason; a library
 * without the entry points names the missing symbol. Journals refuse to start without their runtime. */
#include "check.h"
#include "internal.h"

static void missing_opencl_library_is_named_with_dlerror_text(void) {
    CHECK_EQ(cmrp_opencl_load("libcmrp-no-such-opencl.so.1"), -1);
    CHECK_CONTAINS(cmrp_last_error(), "cannot load libcmrp-no-such-opencl.so.1");
    CHECK_CONTAINS(cmrp_last_error(), "No such file or directory"); /* dlerror's own words */
}

static void opencl_library_without_entry_points_names_the_symbol(void) {
    CHECK_EQ(cmrp_opencl_load("libm.so.6"), -1);
    CHECK_CONTAINS(cmrp_last_error(), "libm.so.6 has no symbol clGetPlatformIDs");
}

static void missing_cuda_driver_is_named_before_the_runtime(void) {
    CHECK_EQ(cmrp_cuda_load("libcmrp-no-such-cuda.so.1", "libcmrp-no-such-cudart.so.13"), -1);
    CHECK_CONTAINS(cmrp_last_error(), "driver library libcmrp-no-such-cuda.so.1");
}

static void missing_cuda_runtime_is_named_when_the_driver_loads(void) {
    CHECK_EQ(cmrp_cuda_load("libm.so.6", "libcmrp-no-such-cudart.so.13"), -1);
    CHECK_CONTAINS(cmrp_last_error(), "runtime library libcmrp-no-such-cudart.so.13");
}

static void failed_loads_leave_the_library_usable_for_errors(void) {
    cmrp_journal *j = NULL;
    int queue = 0;
    CHECK_EQ(cmrp_opencl_journal_create(&queue, 0, 4, 0, CMRP_RESOLVE_POLL, &j), -1); /* bad pool size is reported first ... */
    CHECK(j == NULL);
    CHECK(cmrp_last_error()[0] != '\0');
    CHECK_EQ(cmrp_journal_mark(NULL, NULL, 1), -1); /* ... and NULL journals are refused, not dereferenced */
    CHECK_EQ(cmrp_journal_drain(NULL, NULL, NULL, NULL, 4, NULL), -1);
    CHECK_EQ(cmrp_journal_failed(NULL), 0);
    cmrp_journal_destroy(NULL);
}

static void probe_names_a_missing_library_and_accepts_a_present_one(void) {
    CHECK_EQ(cmrp_probe_library("libcmrp-no-such-nvml.so.1"), -1);
    CHECK_CONTAINS(cmrp_last_error(), "cannot load libcmrp-no-such-nvml.so.1: ");
    CHECK_EQ(cmrp_probe_library("libm.so.6"), 0);
    CHECK_EQ(cmrp_last_error()[0], '\0');
}

int main(void) {
    RUN(probe_names_a_missing_library_and_accepts_a_present_one);
    RUN(missing_opencl_library_is_named_with_dlerror_text);
    RUN(opencl_library_without_entry_points_names_the_symbol);
    RUN(missing_cuda_driver_is_named_before_the_runtime);
    RUN(missing_cuda_runtime_is_named_when_the_driver_loads);
    RUN(failed_loads_leave_the_library_usable_for_errors);
    return 0;
}
