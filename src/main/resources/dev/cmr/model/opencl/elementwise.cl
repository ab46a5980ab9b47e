/* Element-wise kernels. Launch: global roundup(n, WG), local (WG). */

/* x[i][j] = wte[tokens[i]][j] + wpe[past + i][j] for n = rows * h elements. */
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void embed(__global const int *tokens, __global const float *wte, __global const float *wpe,
           __global float *x, int h, int past, int n) {
    int g = get_global_id(0);
    if (g < n) {
        int i = g / h;
        int j = g - i * h;
        x[g] = wte[tokens[i] * h + j] + wpe[(past + i) * h + j];
    }
}

/*
 * GPT-2's GELU (tanh approximation) in place: 0.5 v (1 + tanh(u)) = v / (1 + exp(-2u)),
 * u = sqrt(2/pi) (v + 0.044715 v^3); the same form as the Java kernel.
 */
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void gelu(__global float *x, int n) {
    int g = get_global_id(0);
    if (g < n) {
        float v = x[g];
        float u = 0.7978845608028654f * (v + 0.044715f * v * v * v);
        x[g] = v / (1.0f + exp(-2.0f * u));
    }
}

/* x += y */
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void add_in_place(__global float *x, __global const float *y, int n) {
    int g = get_global_id(0);
    if (g < n) {
        x[g] += y[g];
    }
}
