/*
 * Loading a vendor runtime (OpenCL, CUDA, NVML): the load-once gate and the dlopen + symbol-table step every
 * backend's loader is made of. The contracts are in internal.h.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* dlsym returns a void * that is copied into a function-pointer field: POSIX guarantees the two have the same
 * representation, and this build relies on it. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)), "function pointers are as wide as void *");

int cmrp_vendor_load(cmrp_load_once *once, int (*load)(const void *arg), const void *arg) {
    /* Acquire, pairing with the release store below: seeing 1 means seeing everything load() wrote. */
    if (atomic_load_explicit(&once->done, memory_order_acquire)) {
        return 0;
    }
    pthread_mutex_lock(&once->lock);
    /* Relaxed: a successful load stored 1 under this mutex, whose lock orders that store before this load. */
    if (atomic_load_explicit(&once->done, memory_order_relaxed)) {
        pthread_mutex_unlock(&once->lock);
        return 0;
    }
    int rc = load(arg);
    if (rc == 0) {
        atomic_store_explicit(&once->done, 1, memory_order_release);
    }
    pthread_mutex_unlock(&once->lock);
    return rc;
}

int cmrp_vendor_loaded(cmrp_load_once *once) {
    return atomic_load_explicit(&once->done, memory_order_acquire);
}

/* Appends one failed try's dlerror text to the "; "-separated list in tried. */
static void note_failure(char *tried, size_t capacity, size_t *used) {
    const char *why = dlerror();
    if (*used >= capacity) {
        return;
    }
    int n = snprintf(tried + *used, capacity - *used, "%s%s", *used ? "; " : "",
                     why ? why : "unknown dlopen error");
    *used += n > 0 ? (size_t)n : 0;
}

/* Every symbol of lib's table into api. Returns 0, or -1 with cmrp_fail naming the first missing required one. */
static int resolve_symbols(const cmrp_vendor_lib *lib, void *handle, const char *opened, void *api) {
    for (size_t i = 0; i < lib->symbol_count; i++) {
        const cmrp_vendor_symbol *symbol = &lib->symbols[i];
        dlerror();
        void *address = dlsym(handle, symbol->name);
        if (!address && !symbol->optional) {
            const char *why = dlerror();
            return cmrp_fail("%s%s has no symbol %s: %s", lib->missing_symbol ? lib->missing_symbol : "", opened,
                             symbol->name, why ? why : "NULL address");
        }
        /* memcpy, not a store through a void ** cast: the field's type is a function pointer. */
        memcpy((char *)api + symbol->offset, &address, sizeof address);
    }
    return 0;
}

void *cmrp_vendor_open(const cmrp_vendor_lib *lib, const char *library, void *api, const char **opened) {
    const char *const *names = library ? &library : lib->defaults;
    size_t count = library ? 1 : lib->default_count;
    char tried[512] = "";
    size_t used = 0;
    void *handle = NULL;
    const char *name = NULL;
    for (size_t i = 0; i < count && !handle; i++) {
        name = names[i];
        handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            note_failure(tried, sizeof tried, &used);
        }
    }
    if (!handle) {
        const char *described = library ? library : lib->defaults_text ? lib->defaults_text : lib->defaults[0];
        cmrp_fail("%s%s: %s", lib->cannot_load, described, tried);
        return NULL;
    }
    if (resolve_symbols(lib, handle, name, api) != 0) {
        dlclose(handle);
        return NULL;
    }
    if (opened) {
        *opened = name;
    }
    return handle;
}
