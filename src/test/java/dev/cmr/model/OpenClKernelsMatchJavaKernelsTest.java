package dev.cmr.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.model.cpu.Blas;
import dev.cmr.model.cpu.NativeArray;
import dev.cmr.model.opencl.ClBuffer;
import dev.cmr.model.opencl.DeviceKernels;
import dev.cmr.testing.OpenClTestDevices;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each OpenCL kernel against its Java (or OpenBLAS) counterpart, on random inputs, on a real OpenCL device. */
class OpenClKernelsMatchJavaKernelsTest {
    private final SplittableRandom random = new SplittableRandom(17);
    private DeviceKernels cl;

    @BeforeEach
    void device() {
        cl = OpenClTestDevices.kernels();
        assertThat(cl.tileRows()).as("the shapes below assume 16-row tiles").isEqualTo(16);
    }

    private float[] randoms(int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextGaussian() * scale);
        }
        return a;
    }

    /** |actual - expected| <= 1e-4 * max|expected| over all elements, and the values are not all zero. */
    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        double maxAbs = 0;
        for (float v : expected) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        assertThat(maxAbs).as("a non-trivial expectation").isGreaterThan(0.0);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < actual.length; i++) {
            double e = Math.abs(actual[i] - expected[i]);
            if (!(e <= worst)) { // also catches NaN
                worst = e;
                at = i;
            }
        }
        assertThat(worst / maxAbs).as("relative error at %d (%s vs %s)", at,
                at < 0 ? "" : actual[at], at < 0 ? "" : expected[at]).isLessThanOrEqualTo(1e-4);
    }

    private static FloatBuffer buf(float[] a) {
        return FloatBuffer.wrap(a);
    }

    /** Shapes with fewer rows than a tile (1, 3, 7) take the one-row kernel; the others blocks of 8 rows (17, 33: partial blocks). */
    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({"1, 1, 1", "1, 768, 256", "32, 768, 256", "7, 45, 33", "17, 5, 100", "33, 1024, 256", "3, 259, 31"})
    void matmulWithBiasEqualsOpenBlasForShapesIncludingNonMultiplesOfTheTile(int m, int n, int k) {
        float[] a = randoms(m * k, 1);
        float[] b = randoms(k * n, 0.2);
        float[] bias = randoms(n, 0.5);
        float[] expected = new float[m * n];
        try (NativeArray na = NativeArray.of(a); NativeArray nb = NativeArray.of(b); NativeArray nc = new NativeArray(m * n)) {
            Kernels.fillRows(nc.view(), m, n, buf(bias));
            Blas.sgemm(false, false, m, n, k, 1f, na, 0, k, nb, 0, n, 1f, nc, 0, n);
            nc.view().get(0, expected);
        }
        try (ClBuffer da = cl.upload(a); ClBuffer db = cl.upload(b); ClBuffer dbias = cl.upload(bias);
             ClBuffer dc = cl.buffer(m * n)) {
            cl.matmulBias(da, db, dbias, dc, m, n, k);
            assertClose(cl.download(dc, m * n), expected);
        }
    }

    /** As above: m = 1 and 5 untiled, 19 and 32 tiled. */
    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({"1, 259, 256", "32, 259, 256", "5, 37, 16", "19, 3, 21"})
    void matmulAgainstATransposedMatrixEqualsOpenBlas(int m, int n, int k) {
        float[] a = randoms(m * k, 1);
        float[] b = randoms(n * k, 0.2);
        float[] expected = new float[m * n];
        try (NativeArray na = NativeArray.of(a); NativeArray nb = NativeArray.of(b); NativeArray nc = new NativeArray(m * n)) {
            Blas.sgemm(false, true, m, n, k, 1f, na, 0, k, nb, 0, k, 0f, nc, 0, n);
            nc.view().get(0, expected);
        }
        try (ClBuffer da = cl.upload(a); ClBuffer db = cl.upload(b); ClBuffer dc = cl.buffer(m * n)) {
            cl.matmulNt(da, db, dc, m, n, k);
            assertClose(cl.download(dc, m * n), expected);
        }
    }

    @ParameterizedTest(name = "rows={0} width={1}")
    @CsvSource({"1, 256", "9, 37", "32, 1024", "3, 5"})
    void layerNormEqualsTheJavaKernel(int rows, int width) {
        float[] x = randoms(rows * width, 3);
        for (int i = 0; i < x.length; i++) {
            x[i] += 2; // an offset, so that centring matters
        }
        float[] gamma = randoms(width, 1);
        float[] beta = randoms(width, 1);
        float[] expected = new float[rows * width];
        Kernels.layerNorm(buf(x), buf(expected), rows, width, buf(gamma), buf(beta), 1e-5f);
        try (ClBuffer dx = cl.upload(x); ClBuffer out = cl.buffer(rows * width); ClBuffer g = cl.upload(gamma);
             ClBuffer b = cl.upload(beta)) {
            cl.layerNorm(dx, out, rows, width, g, b, 1e-5f);
            assertClose(cl.download(out, rows * width), expected);
        }
    }

    @Test
    void geluEqualsTheJavaKernelAcrossItsRange() {
        int n = 1000;
        float[] x = randoms(n, 4);
        float[] expected = x.clone();
        Kernels.gelu(buf(expected), n);
        try (ClBuffer dx = cl.upload(x)) {
            cl.gelu(dx, n);
            float[] actual = cl.download(dx, n);
            for (int i = 0; i < n; i++) {
                assertThat(actual[i]).as("gelu(%s)", x[i])
                        .isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-5f * (1 + Math.abs(expected[i]))));
            }
        }
    }

    @Test
    void residualAddAndEmbeddingGatherEqualTheirJavaCounterparts() {
        int h = 19;
        int rows = 5;
        int past = 3;
        float[] wte = randoms(11 * h, 1);
        float[] wpe = randoms(16 * h, 1);
        int[] tokens = {4, 0, 10, 4, 7};
        float[] expected = new float[rows * h];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < h; j++) {
                expected[i * h + j] = wte[tokens[i] * h + j] + wpe[(past + i) * h + j];
            }
        }
        float[] y = randoms(rows * h, 1);
        try (ClBuffer dt = cl.buffer(rows); ClBuffer dwte = cl.upload(wte); ClBuffer dwpe = cl.upload(wpe);
             ClBuffer x = cl.buffer(rows * h); ClBuffer dy = cl.upload(y);
             org.bytedeco.javacpp.IntPointer host = new org.bytedeco.javacpp.IntPointer(tokens)) {
            cl.write(dt, host, rows, true);
            cl.embed(dt, dwte, dwpe, x, rows, h, past);
            assertThat(cl.download(x, rows * h)).containsExactly(expected);
            cl.addInPlace(x, dy, rows * h);
            Kernels.addInPlace(buf(expected), buf(y), rows * h);
            assertThat(cl.download(x, rows * h)).containsExactly(expected);
        }
    }

    /**
     * Attention with the causal mask over a cache holding {@code past} earlier positions, against the Java path:
     * scores by OpenBLAS, {@link Kernels#causalSoftmax}, weighted values by OpenBLAS; and the attention received.
     */
    @ParameterizedTest(name = "t={0} past={1} heads={2} headSize={3}")
    @CsvSource({"1, 0, 1, 8", "7, 0, 4, 16", "1, 9, 2, 5", "5, 11, 3, 7", "32, 64, 8, 32", "70, 0, 2, 4"})
    void causalAttentionWithAKvCacheEqualsTheJavaPath(int t, int past, int heads, int d) {
        int h = heads * d;
        int ctx = past + t + 3;
        int total = past + t;
        float scale = (float) (1.0 / Math.sqrt(d));
        float[] qkv = randoms(t * 3 * h, 2);
        float[] pastKeys = randoms(heads * ctx * d, 2);
        float[] pastValues = randoms(heads * ctx * d, 1);
        // The Java path, laid out as Gpt2Model lays it out.
        float[] keys = pastKeys.clone();
        float[] values = pastValues.clone();
        for (int head = 0; head < heads; head++) {
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < d; j++) {
                    keys[head * ctx * d + (past + i) * d + j] = qkv[i * 3 * h + h + head * d + j];
                    values[head * ctx * d + (past + i) * d + j] = qkv[i * 3 * h + 2 * h + head * d + j];
                }
            }
        }
        float[] expected = new float[t * h];
        float[] received = new float[t];
        try (NativeArray nk = NativeArray.of(keys); NativeArray nv = NativeArray.of(values);
             NativeArray q = new NativeArray(t * d); NativeArray scores = new NativeArray(t * total);
             NativeArray out = new NativeArray(t * d)) {
            for (int head = 0; head < heads; head++) {
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < d; j++) {
                        q.set(i * d + j, qkv[i * 3 * h + head * d + j]);
                    }
                }
                Blas.sgemm(false, true, t, total, d, scale, q, 0, d, nk, head * ctx * d, d, 0f, scores, 0, total);
                Kernels.causalSoftmax(scores.view(), t, total, past);
                for (int i = 0; i < t; i++) {
                    for (int j = past; j <= past + i; j++) {
                        received[j - past] += scores.get(i * total + j);
                    }
                }
                Blas.sgemm(false, false, t, d, total, 1f, scores, 0, total, nv, head * ctx * d, d, 0f, out, 0, d);
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < d; j++) {
                        expected[i * h + head * d + j] = out.get(i * d + j);
                    }
                }
            }
        }
        for (int j = 0; j < t; j++) {
            received[j] /= (float) heads * (t - j);
        }
        try (ClBuffer dqkv = cl.upload(qkv); ClBuffer dk = cl.upload(pastKeys); ClBuffer dv = cl.upload(pastValues);
             ClBuffer out = cl.buffer(t * h); ClBuffer probs = cl.buffer((long) heads * t * ctx);
             ClBuffer rec = cl.buffer(t)) {
            cl.kvStore(dqkv, dk, dv, t, past, h, d, ctx);
            assertThat(cl.download(dk, keys.length)).as("keys appended at past..past+t").containsExactly(keys);
            assertThat(cl.download(dv, values.length)).as("values appended").containsExactly(values);
            cl.attention(dqkv, dk, dv, out, probs, t, past, h, heads, ctx, scale);
            assertClose(cl.download(out, t * h), expected);
            cl.attentionReceived(probs, rec, t, past, heads, ctx);
            assertClose(cl.download(rec, t), received);

            // Without probabilities asked for, the output is the same.
            cl.attention(dqkv, dk, dv, out, null, t, past, h, heads, ctx, scale);
            assertClose(cl.download(out, t * h), expected);
        }
    }
}
