/*
 * Shared by every kernel of the GPT-2 program. Built once, with:
 *   -DWG=<n>    work-group size of the 1-D kernels (a power of two; every reduction assumes it)
 *   -DTILE=<n>  side of the square tiles of the matrix products (work-groups of TILE x TILE)
 * Every kernel checks its bounds, so a global size rounded up to a whole number of work-groups is safe.
 */

/* Sum of v over the work-group; every work-item gets it. scratch: WG floats of local memory. */
inline float group_sum(__local float *scratch, float v, int lid) {
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = WG / 2; s > 0; s >>= 1) {
        if (lid < s) {
            scratch[lid] += scratch[lid + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = scratch[0];
    /* Nobody may overwrite scratch[0] for the next reduction before everyone has read it. */
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

/* Maximum of v over the work-group; every work-item gets it. */
inline float group_max(__local float *scratch, float v, int lid) {
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = WG / 2; s > 0; s >>= 1) {
        if (lid < s) {
            scratch[lid] = fmax(scratch[lid], scratch[lid + s]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}
