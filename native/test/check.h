/* Minimal assertion helpers for the ctest executables: print the failing expression with its location and
 * exit non-zero, so ctest reports the test as failed. */
#ifndef CMRP_CHECK_H
#define CMRP_CHECK_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                                    \
    do {                                                                                               \
        if (!(cond)) {                                                                                 \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);                   \
            exit(1);                                                                                   \
        }                                                                                              \
    } while (0)
#define CHECK_EQ(a, b)                                                                                 \
    do {                                                                                               \
        long long va_ = (long long)(a), vb_ = (long long)(b);                                          \
        if (va_ != vb_) {                                                                              \
            fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %lld, %s == %lld\n", __FILE__, __LINE__, #a, \
                    va_, #b, vb_);                                                                     \
            exit(1);                                                                                   \
        }                                                                                              \
    } while (0)
#define CHECK_CONTAINS(haystack, needle)                                                               \
    do {                                                                                               \
        const char *h_ = (haystack);                                                                   \
        if (!h_ || !strstr(h_, (needle))) {                                                            \
            fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__,             \
                    h_ ? h_ : "(null)", (needle));                                                     \
            exit(1);                                                                                   \
        }                                                                                              \
    } while (0)
#define RUN(test)                                                                                      \
    do {                                                                                               \
        test();                                                                                        \
        printf("ok %s\n", #test);                                                                      \
    } while (0)
#endif
