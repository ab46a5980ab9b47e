/* The loader steps every backend shares: opening the first default that loads, resolving a symbol table with
 * precise failures, and the load-once gate under concurrent callers (run under TSan to check its ordering). */
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

#include "check.h"
#include "internal.h"

typedef double (*unary_fn)(double);

/* A table over libm, which every test machine has. */
typedef struct math_api {
    unary_fn cos;
    unary_fn sqrt;
    unary_fn optional_missing; /* resolved from the symbol "cmrp_no_such_symbol" */
} math_api;

static const char *const missing_then_libm[] = {"libcmrp-no-such-a.so.1", "libcmrp-no-such-b.so.1", "libm.so.6"};
static const char *const all_missing[] = {"libcmrp-no-such-a.so.1", "libcmrp-no-such-b.so.1"};
static const cmrp_vendor_symbol math_symbols[] = {
    CMRP_REQUIRED_SYMBOL(math_api, cos),
    CMRP_REQUIRED_SYMBOL(math_api, sqrt),
    {"cmrp_no_such_symbol", offsetof(math_api, optional_missing), 1},
};
static const cmrp_vendor_symbol required_missing[] = {
    CMRP_REQUIRED_SYMBOL(math_api, cos),
    {"cmrp_no_such_symbol", offsetof(math_api, optional_missing), 0},
};

static void first_default_that_opens_is_used_and_its_table_resolved(void) {
    cmrp_vendor_lib lib = {.cannot_load = "Math unavailable: cannot load ", .defaults = missing_then_libm,
                           .default_count = 3, .symbols = math_symbols, .symbol_count = 3};
    math_api api = {0};
    const char *opened = NULL;
    void *handle = cmrp_vendor_open(&lib, NULL, &api, &opened);
    CHECK(handle != NULL);
    CHECK_CONTAINS(opened, "libm.so.6");
    CHECK(api.cos != NULL && api.sqrt != NULL);
    CHECK(api.sqrt(16.0) == 4.0);
    CHECK(api.optional_missing == NULL);
    dlclose(handle);
}

static void failure_names_the_defaults_and_every_dlerror_text(void) {
    cmrp_vendor_lib lib = {.cannot_load = "Math unavailable: cannot load the math library ", .defaults = all_missing,
                           .default_count = 2, .defaults_text = "libcmrp-no-such-a.so.1 or -b.so.1"};
    CHECK(cmrp_vendor_open(&lib, NULL, NULL, NULL) == NULL);
    CHECK_CONTAINS(cmrp_last_error(),
                   "Math unavailable: cannot load the math library libcmrp-no-such-a.so.1 or -b.so.1: "
                   "libcmrp-no-such-a.so.1: cannot open shared object file: No such file or directory; "
                   "libcmrp-no-such-b.so.1: cannot open shared object file");
}

static void a_named_library_replaces_the_defaults(void) {
    cmrp_vendor_lib lib = {.cannot_load = "Math unavailable: cannot load ", .defaults = missing_then_libm,
                           .default_count = 3};
    CHECK(cmrp_vendor_open(&lib, "libcmrp-no-such-c.so.1", NULL, NULL) == NULL);
    CHECK_CONTAINS(cmrp_last_error(), "Math unavailable: cannot load libcmrp-no-such-c.so.1: libcmrp-no-such-c");
    CHECK(strstr(cmrp_last_error(), "no-such-a") == NULL);
}

static void missing_required_symbol_is_named_with_the_library(void) {
    cmrp_vendor_lib lib = {.cannot_load = "Math unavailable: cannot load ", .missing_symbol = "Math unavailable: ",
                           .defaults = missing_then_libm, .default_count = 3, .symbols = required_missing,
                           .symbol_count = 2};
    math_api api = {0};
    CHECK(cmrp_vendor_open(&lib, "libm.so.6", &api, NULL) == NULL);
    CHECK_CONTAINS(cmrp_last_error(), "Math unavailable: libm.so.6 has no symbol cmrp_no_such_symbol: ");
}

/* ---- load once ------------------------------------------------------------------------------------------ */

static cmrp_load_once once = {.lock = PTHREAD_MUTEX_INITIALIZER};
static int load_calls;      /* written only under once.lock */
static int fail_next_loads; /* written before the threads start */
static math_api published;  /* the table, written by load and read after cmrp_vendor_load returned 0 */

static int load_math(const void *arg) {
    load_calls++;
    if (fail_next_loads > 0) {
        fail_next_loads--;
        return cmrp_fail("load %d refused", load_calls);
    }
    const cmrp_vendor_lib *lib = arg;
    math_api api = {0};
    if (!cmrp_vendor_open(lib, "libm.so.6", &api, NULL)) {
        return -1;
    }
    published = api;
    return 0;
}

static const cmrp_vendor_lib math_lib = {.cannot_load = "Math unavailable: cannot load ",
                                         .defaults = missing_then_libm, .default_count = 3,
                                         .symbols = math_symbols, .symbol_count = 3};

static void *load_and_use(void *unused) {
    (void)unused;
    if (cmrp_vendor_load(&once, load_math, &math_lib) != 0) {
        return (void *)1;
    }
    /* Unlocked read of the table: the acquire in cmrp_vendor_load orders it after load_math's stores. */
    return published.sqrt(9.0) == 3.0 ? NULL : (void *)1;
}

static void a_failed_load_publishes_nothing_and_the_next_call_retries(void) {
    fail_next_loads = 1;
    CHECK_EQ(cmrp_vendor_load(&once, load_math, &math_lib), -1);
    CHECK_CONTAINS(cmrp_last_error(), "load 1 refused");
    CHECK_EQ(cmrp_vendor_loaded(&once), 0);
}

static void concurrent_callers_run_one_successful_load_and_all_see_its_table(void) {
    enum { THREADS = 8 };
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++) {
        CHECK_EQ(pthread_create(&threads[i], NULL, load_and_use, NULL), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        void *result = (void *)1;
        CHECK_EQ(pthread_join(threads[i], &result), 0);
        CHECK(result == NULL);
    }
    CHECK_EQ(load_calls, 2); /* the refused one above, then exactly one success */
    CHECK_EQ(cmrp_vendor_loaded(&once), 1);
    CHECK_EQ(cmrp_vendor_load(&once, load_math, &math_lib), 0);
    CHECK_EQ(load_calls, 2);
}

int main(void) {
    RUN(first_default_that_opens_is_used_and_its_table_resolved);
    RUN(failure_names_the_defaults_and_every_dlerror_text);
    RUN(a_named_library_replaces_the_defaults);
    RUN(missing_required_symbol_is_named_with_the_library);
    RUN(a_failed_load_publishes_nothing_and_the_next_call_retries);
    RUN(concurrent_callers_run_one_successful_load_and_all_see_its_table);
    return 0;
}
