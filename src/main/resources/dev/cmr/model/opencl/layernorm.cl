/*
 * out[r] = (x[r] - mean) / sqrt(var + eps) * gamma + beta, one work-group per row; two passes (mean, then the
 * variance of the centred values) as the Java kernel does, for the same rounding behaviour.
 * Launch: global (rows * WG), local (WG).
 */
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void layer_norm(__global const float *x, __global float *out, __global const float *gamma,
                __global const float *beta, int width, float eps) {
    __local float scratch[WG];
    int row = get_group_id(0);
    int lid = get_local_id(0);
    __global const float *xr = x + row * width;
    __global float *yr = out + row * width;
    float s = 0.0f;
    for (int j = lid; j < width; j += WG) {
        s += xr[j];
    }
    float mean = group_sum(scratch, s, lid) / width;
    float q = 0.0f;
    for (int j = lid; j < width; j += WG) {
        float c = xr[j] - mean;
        q += c * c;
    }
    float inv = 1.0f / sqrt(group_sum(scratch, q, lid) / width + eps);
    for (int j = lid; j < width; j += WG) {
        yr[j] = (xr[j] - mean) * inv * gamma[j] + beta[j];
    }
}
