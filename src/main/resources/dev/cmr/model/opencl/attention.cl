/*
 * Causal multi-head self-attention against the KV cache. The cache of one layer holds, per head, a
 * [context][headSize] matrix: keys[head * ctx * d + position * d + j].
 */

/* Appends the keys and values of the pass's t rows of qkv ([t][3h]: q | k | v) at positions past .. past+t-1.
   Launch: global roundup(t * h, WG), local (WG). */
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void kv_store(__global const float *qkv, __global float *keys, __global float *values,
              int t, int past, int h, int d, int ctx) {
    int g = get_global_id(0);
    if (g < t * h) {
        int i = g / h;
        int c = g - i * h;
        int head = c / d;
        int j = c - head * d;
        int at = head * ctx * d + (past + i) * d + j;
        keys[at] = qkv[i * 3 * h + h + c];
        values[at] = qkv[i * 3 * h + 2 * h + c];
    }
}

/*
 * One work-group per (query row i, head): scores = scale * q . k over the visible positions 0 .. past+i, a
 * softmax, and out[i][head * d + c] = sum_j p_j v_j[c]. If store_probs, the probabilities also go to
 * probs[(head * t + i) * ctx + j] (for the attention each position received).
 * p: ctx floats of local memory. Launch: global (t * WG, heads), local (WG, 1).
 */
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void attention(__global const float *qkv, __global const float *keys, __global const float *values,
               __global float *out, __global float *probs, int store_probs, __local float *p,
               int t, int past, int h, int d, int ctx, float scale) {
    __local float scratch[WG];
    int i = get_group_id(0);
    int head = get_group_id(1);
    int lid = get_local_id(0);
    int visible = past + i + 1;
    __global const float *q = qkv + i * 3 * h + head * d;
    __global const float *kh = keys + head * ctx * d;
    __global const float *vh = values + head * ctx * d;

    float mx = -INFINITY;
    for (int j = lid; j < visible; j += WG) {
        float s = 0.0f;
        for (int c = 0; c < d; c++) {
            s += q[c] * kh[j * d + c];
        }
        s *= scale;
        p[j] = s;
        mx = fmax(mx, s);
    }
    mx = group_max(scratch, mx, lid);
    float sum = 0.0f;
    for (int j = lid; j < visible; j += WG) {
        float e = exp(p[j] - mx);
        p[j] = e;
        sum += e;
    }
    float inv = 1.0f / group_sum(scratch, sum, lid);
    for (int j = lid; j < visible; j += WG) {
        p[j] *= inv;
    }
    barrier(CLK_LOCAL_MEM_FENCE); /* every p[j] is final before anyone reads all of them */
    for (int c = lid; c < d; c += WG) {
        float acc = 0.0f;
        for (int j = 0; j < visible; j++) {
            acc += p[j] * vh[j * d + c];
        }
        out[i * h + head * d + c] = acc;
    }
    if (store_probs) {
        __global float *pr = probs + (head * t + i) * ctx;
        for (int j = lid; j < visible; j += WG) {
            pr[j] = p[j];
        }
    }
}

/*
 * received[j] = attention position past+j received in this pass, averaged over heads and over the queries
 * j .. t-1 that may see it. Launch: global roundup(t, WG), local (WG).
 */
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void attention_received(__global const float *probs, __global float *received, int t, int past, int heads,
                        int ctx) {
    int j = get_global_id(0);
    if (j < t) {
        float sum = 0.0f;
        for (int head = 0; head < heads; head++) {
            for (int i = j; i < t; i++) {
                sum += probs[(head * t + i) * ctx + past + j];
            }
        }
        received[j] = sum / ((float) heads * (t - j));
    }
}
