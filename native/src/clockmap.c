/*
 * Device clock -> host clock. host(d) = a.host + (d - a.device) * (1 + drift), where a is the latest anchor.
 *
 * Error bound at distance delta = |d - a.device| from the anchor:
 *   a.half_bracket + a.resolution          the anchor's own uncertainty
 *   + drift_error * delta                   the uncertainty of the drift rate, which the bracket of both anchors
 *                                           bounds: (half_prev + half_cur + resolutions) / (anchor interval)
 * Before a second anchor exists no drift is applied; the bound then charges CMRP_MAX_PLAUSIBLE_DRIFT * delta,
 * the largest rate a real pair of clocks should show (NTP slews CLOCK_MONOTONIC by at most 500 ppm).
 */
#include <math.h>

#include "internal.h"

void cmrp_clock_map_init(cmrp_clock_map *map, const cmrp_anchor *first) {
    map->current = *first;
    map->has_previous = 0;
    map->drift = 0.0;
    map->drift_error = CMRP_MAX_PLAUSIBLE_DRIFT;
}

void cmrp_clock_map_update(cmrp_clock_map *map, const cmrp_anchor *next) {
    const cmrp_anchor prev = map->current;
    int64_t device_span = next->device_ns - prev.device_ns;
    map->current = *next;
    if (device_span <= 0) {
        /* A device clock that did not advance cannot give a rate; keep the old one. */
        return;
    }
    double host_span = (double)(next->host_ns - prev.host_ns);
    double drift = host_span / (double)device_span - 1.0;
    double uncertainty = (double)(prev.half_bracket_ns + prev.resolution_ns + next->half_bracket_ns +
                                  next->resolution_ns) / (double)device_span;
    if (fabs(drift) > CMRP_MAX_PLAUSIBLE_DRIFT) {
        map->drift = 0.0;
        map->drift_error = CMRP_MAX_PLAUSIBLE_DRIFT;
        map->has_previous = 0;
        return;
    }
    map->drift = drift;
    map->drift_error = uncertainty;
    map->has_previous = 1;
}

/* Called once or twice per resolved mark: rounding inline (|x| < 2^62 here), not through libm's llround/ceil. */
static inline int64_t round_half_away(double x) {
    return (int64_t)(x < 0 ? x - 0.5 : x + 0.5);
}

static inline int64_t ceil_non_negative(double x) {
    int64_t t = (int64_t)x;
    return t + ((double)t < x);
}

int64_t cmrp_clock_map_to_host(const cmrp_clock_map *map, int64_t device_ns, int64_t *bound_ns) {
    const cmrp_anchor *a = &map->current;
    int64_t delta = device_ns - a->device_ns;
    double scaled = (double)delta * map->drift;
    int64_t host = a->host_ns + delta + round_half_away(scaled);
    if (bound_ns) {
        double spread = fabs((double)delta) * map->drift_error;
        *bound_ns = a->half_bracket_ns + a->resolution_ns + ceil_non_negative(spread);
    }
    return host;
}

void cmrp_anchor_keep_best(cmrp_anchor *best, int *have_best, const cmrp_anchor *candidate) {
    if (!*have_best || candidate->half_bracket_ns < best->half_bracket_ns) {
        *best = *candidate;
        *have_best = 1;
    }
}
