/* Device-to-host clock mapping and its error bound. */
#include "check.h"
#include "internal.h"

static void maps_with_the_anchor_offset_and_bounds_by_half_bracket_near_the_anchor(void) {
    cmrp_clock_map map;
    cmrp_anchor a = {.host_ns = 1000000, .device_ns = 251000000, .half_bracket_ns = 400, .resolution_ns = 1};
    cmrp_clock_map_init(&map, &a);
    int64_t bound;
    CHECK_EQ(cmrp_clock_map_to_host(&map, 251000000, &bound), 1000000);
    CHECK_EQ(bound, 401);
    /* Without a second anchor the bound charges the largest plausible drift: 1e-3 * 1 ms = 1000 ns. */
    CHECK_EQ(cmrp_clock_map_to_host(&map, 252000000, &bound), 2000000);
    CHECK_EQ(bound, 401 + 1000);
}

static void second_anchor_measures_drift_and_applies_it(void) {
    cmrp_clock_map map;
    cmrp_anchor a = {.host_ns = 0, .device_ns = 0, .half_bracket_ns = 100, .resolution_ns = 0};
    cmrp_clock_map_init(&map, &a);
    /* Host advanced 1 000 100 ns while the device advanced 1 000 000 ns: drift +1e-4. */
    cmrp_anchor b = {.host_ns = 1000100, .device_ns = 1000000, .half_bracket_ns = 100, .resolution_ns = 0};
    cmrp_clock_map_update(&map, &b);
    CHECK(map.has_previous);
    int64_t bound;
    /* 1 000 000 device ns after b: host = b.host + 1 000 000 * (1 + 1e-4). */
    CHECK_EQ(cmrp_clock_map_to_host(&map, 2000000, &bound), 1000100 + 1000100);
    /* drift error = (100 + 100) / 1e6 = 2e-4, times 1e6 ns = 200, plus the anchor's 100. */
    CHECK_EQ(bound, 300);
}

static void implausible_drift_is_ignored_and_widens_the_bound(void) {
    cmrp_clock_map map;
    cmrp_anchor a = {.host_ns = 0, .device_ns = 0, .half_bracket_ns = 10, .resolution_ns = 0};
    cmrp_clock_map_init(&map, &a);
    cmrp_anchor b = {.host_ns = 2000000, .device_ns = 1000000, .half_bracket_ns = 10, .resolution_ns = 0};
    cmrp_clock_map_update(&map, &b); /* 100% drift: a broken calibration, not a clock */
    CHECK(!map.has_previous);
    CHECK(map.drift == 0.0);
    int64_t bound;
    CHECK_EQ(cmrp_clock_map_to_host(&map, 2000000, &bound), 3000000);
    CHECK_EQ(bound, 10 + 1000);
}

static void keeps_the_tightest_bracket(void) {
    cmrp_anchor best;
    int have = 0;
    cmrp_anchor r1 = {.host_ns = 1, .half_bracket_ns = 500};
    cmrp_anchor r2 = {.host_ns = 2, .half_bracket_ns = 80};
    cmrp_anchor r3 = {.host_ns = 3, .half_bracket_ns = 900};
    cmrp_anchor_keep_best(&best, &have, &r1);
    cmrp_anchor_keep_best(&best, &have, &r2);
    cmrp_anchor_keep_best(&best, &have, &r3);
    CHECK_EQ(best.host_ns, 2);
}

int main(void) {
    RUN(maps_with_the_anchor_offset_and_bounds_by_half_bracket_near_the_anchor);
    RUN(second_anchor_measures_drift_and_applies_it);
    RUN(implausible_drift_is_ignored_and_widens_the_bound);
    RUN(keeps_the_tightest_bracket);
    return 0;
}
