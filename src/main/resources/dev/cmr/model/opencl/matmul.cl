/*
 * Matrix products over row-major float matrices; dimension 0 of every launch runs over output columns, so that
 * neighbouring work-items read neighbouring columns of b (coalesced on a GPU, vectorized across work-items by PoCL).
 */

/* c[m x n] = a[m x k] b[n x k]^T  (the LM head against the tied token embeddings) */
__kernel __attribute__((reqd_work_group_size(TILE, TILE, 1)))
void matmul_nt(__global const float *a, __global const float *b, __global float *c, int m, int n, int k) {
    __local float as[TILE][TILE];
    __local float bs[TILE][TILE]; /* bs[j][i] = b[col0 + j][k0 + i] */
    int col = get_global_id(0);
    int row = get_global_id(1);
    int lc = get_local_id(0);
    int lr = get_local_id(1);
    int col0 = get_group_id(0) * TILE;
    float acc = 0.0f;
    for (int k0 = 0; k0 < k; k0 += TILE) {
        int ak = k0 + lc;
        int bRow = col0 + lr;
        as[lr][lc] = (row < m && ak < k) ? a[row * k + ak] : 0.0f;
        bs[lr][lc] = (bRow < n && ak < k) ? b[bRow * k + ak] : 0.0f;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int i = 0; i < TILE; i++) {
            acc += as[lr][i] * bs[lc][i];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (row < m && col < n) {
        c[row * n + col] = acc;
    }
}

/*
 * c[m x n] = a[m x k] b[k x n] + bias[n] without tiles: one work-item per output, neighbours in dimension 0 read
 * neighbouring columns of b. For few rows (a decoding step has one) the tiled kernel would compute TILE rows to
 * keep one; and on a CPU device (PoCL) this barrier-free form vectorizes across work-items.
 * Launch: global (roundup(n, WG), m), local (WG, 1).
 */
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void matmul_bias_rows(__global const float *a, __global const float *b, __global const float *bias,
                      __global float *c, int m, int n, int k) {
    int col = get_global_id(0);
    int row = get_global_id(1);
    if (col < n && row < m) {
        __global const float *ar = a + row * k;
        float acc = 0.0f;
        for (int i = 0; i < k; i++) {
            acc += ar[i] * b[i * n + col];
        }
        c[row * n + col] = acc + bias[col];
    }
}

/* c[m x n] = a[m x k] b[n x k]^T without tiles (see matmul_bias_rows). Launch: global (roundup(n, WG), m), local (WG, 1). */
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void matmul_nt_rows(__global const float *a, __global const float *b, __global float *c, int m, int n, int k) {
    int col = get_global_id(0);
    int row = get_global_id(1);
    if (col < n && row < m) {
        __global const float *ar = a + row * k;
        __global const float *br = b + col * k;
        float acc = 0.0f;
        for (int i = 0; i < k; i++) {
            acc += ar[i] * br[i];
        }
        c[row * n + col] = acc;
    }
}

/*
 * c[m x n] = a[m x k] b[k x n] + bias[n]  (GPT-2's Conv1D: y = x W + b), ROWS rows of one column per work-item:
 * each element of b is loaded once for ROWS multiply-adds. Rows past m re-read row m-1 (no branch in the inner
 * loop) and are not written. On PoCL this ran 2.6x faster than 16 x 16 local-memory tiles at m = 32.
 * Launch: global (roundup(n, WG), ceil(m / ROWS)), local (WG, 1).
 */
#define ROWS 8
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void matmul_bias_block(__global const float *a, __global const float *b, __global const float *bias,
                       __global float *c, int m, int n, int k) {
    int col = get_global_id(0);
    int r0 = get_global_id(1) * ROWS;
    if (col < n) {
        float acc[ROWS] = {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f};
        int rows = min(ROWS, m - r0);
        for (int i = 0; i < k; i++) {
            float bv = b[i * n + col];
            for (int r = 0; r < ROWS; r++) {
                acc[r] += a[min(r0 + r, m - 1) * k + i] * bv;
            }
        }
        for (int r = 0; r < rows; r++) {
            c[(r0 + r) * n + col] = acc[r] + bias[col];
        }
    }
}
