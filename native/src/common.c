#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "internal.h"

/* Per-thread, so that concurrent setup calls on different threads never see each other's message. */
static _Thread_local char last_error[512];

int cmrp_fail(const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, args);
    va_end(args);
    return -1;
}

void cmrp_clear_error(void) {
    last_error[0] = '\0';
}

const char *cmrp_last_error(void) {
    return last_error;
}

int32_t cmrp_version(void) {
    return CMRP_VERSION;
}

int64_t cmrp_host_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int cmrp_probe_library(const char *library) {
    cmrp_clear_error();
    if (!library || !library[0]) {
        return cmrp_fail("library must be a non-empty name");
    }
    void *handle = dlopen(library, RTLD_LAZY | RTLD_LOCAL);
    if (!handle) {
        const char *why = dlerror();
        return cmrp_fail("cannot load %s: %s", library, why ? why : "unknown dlopen error");
    }
    dlclose(handle);
    return 0;
}
