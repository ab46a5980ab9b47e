package dev.cmr.model;

import java.nio.FloatBuffer;

/** The element-wise parts of a GPT-2 block, over row-major buffers. */
final class Kernels {
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);

    private Kernels() {
    }

    /** {@code out[r] = (x[r] - mean) / sqrt(var + eps) * gamma + beta} for each of {@code rows} rows. */
    static void layerNorm(FloatBuffer x, FloatBuffer out, int rows, int width, FloatBuffer gamma, FloatBuffer beta,
                          float eps) {
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            double sum = 0;
            for (int j = 0; j < width; j++) {
                sum += x.get(base + j);
            }
            float mean = (float) (sum / width);
            double squares = 0;
            for (int j = 0; j < width; j++) {
                float c = x.get(base + j) - mean;
                squares += c * c;
            }
            float inv = (float) (1.0 / Math.sqrt(squares / width + eps));
            for (int j = 0; j < width; j++) {
                out.put(base + j, (x.get(base + j) - mean) * inv * gamma.get(j) + beta.get(j));
            }
        }
    }

    /**
     * GPT-2's GELU, the tanh approximation, in place: {@code 0.5 x (1 + tanh(u))} with
     * {@code u = sqrt(2/pi) (x + 0.044715 x^3)}, computed as the equal {@code x / (1 + exp(-2u))} because
     * {@code Math.exp} is a JIT intrinsic and {@code Math.tanh} is not (it was a third of a forward pass).
     */
    static void gelu(FloatBuffer x, int n) {
        for (int i = 0; i < n; i++) {
            float v = x.get(i);
            float u = SQRT_2_OVER_PI * (v + 0.044715f * v * v * v);
            x.put(i, v / (1f + (float) Math.exp(-2.0 * u)));
        }
    }

    /**
     * Softmax of each row {@code i} of a {@code rows x cols} score matrix over columns {@code 0 .. past + i};
     * later columns (future positions) get probability 0.
     */
    static void causalSoftmax(FloatBuffer s, int rows, int cols, int past) {
        for (int i = 0; i < rows; i++) {
            int base = i * cols;
            int visible = past + i + 1;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < visible; j++) {
                max = Math.max(max, s.get(base + j));
            }
            double sum = 0;
            for (int j = 0; j < visible; j++) {
                float e = (float) Math.exp(s.get(base + j) - max);
                s.put(base + j, e);
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < visible; j++) {
                s.put(base + j, s.get(base + j) * inv);
            }
            for (int j = visible; j < cols; j++) {
                s.put(base + j, 0f);
            }
        }
    }

    /** Sets every row of a {@code rows x width} buffer to {@code row} (used to pre-load biases before a GEMM). */
    static void fillRows(FloatBuffer out, int rows, int width, FloatBuffer row) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                out.put(r * width + j, row.get(j));
            }
        }
    }

    static void addInPlace(FloatBuffer x, FloatBuffer y, int n) {
        for (int i = 0; i < n; i++) {
            x.put(i, x.get(i) + y.get(i));
        }
    }
}
