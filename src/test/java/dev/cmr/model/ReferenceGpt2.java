package dev.cmr.model;

/**
 * A deliberately plain GPT-2 forward pass (nested loops, doubles, no cache, no BLAS) to check the real model against.
 * Written from the architecture's definition, independently of Gpt2Model's code.
 */
final class ReferenceGpt2 {
    private ReferenceGpt2() {
    }

    static double[][] logits(Gpt2Weights w, int[] tokens) {
        Gpt2Config c = w.config();
        int t = tokens.length, h = c.hiddenSize(), heads = c.heads(), d = c.headSize();
        double[][] x = new double[t][h];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < h; j++) {
                x[i][j] = w.wte()[tokens[i] * h + j] + w.wpe()[i * h + j];
            }
        }
        for (Gpt2Weights.Block b : w.blocks()) {
            double[][] a = layerNorm(x, b.ln1Gamma(), b.ln1Beta(), c.layerNormEpsilon());
            double[][] qkv = linear(a, b.attnW(), b.attnB(), 3 * h);
            double[][] attn = new double[t][h];
            for (int head = 0; head < heads; head++) {
                for (int i = 0; i < t; i++) {
                    double[] s = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        double dot = 0;
                        for (int k = 0; k < d; k++) {
                            dot += qkv[i][head * d + k] * qkv[j][h + head * d + k];
                        }
                        s[j] = dot / Math.sqrt(d);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= i; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int j = 0; j <= i; j++) {
                        for (int k = 0; k < d; k++) {
                            attn[i][head * d + k] += s[j] / sum * qkv[j][2 * h + head * d + k];
                        }
                    }
                }
            }
            add(x, linear(attn, b.projW(), b.projB(), h));
            double[][] fc = linear(layerNorm(x, b.ln2Gamma(), b.ln2Beta(), c.layerNormEpsilon()), b.fcW(), b.fcB(), 4 * h);
            for (double[] row : fc) {
                for (int j = 0; j < row.length; j++) {
                    double v = row[j];
                    row[j] = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                }
            }
            add(x, linear(fc, b.mlpProjW(), b.mlpProjB(), h));
        }
        double[][] f = layerNorm(x, w.lnFGamma(), w.lnFBeta(), c.layerNormEpsilon());
        double[][] out = new double[t][c.vocabSize()];
        for (int i = 0; i < t; i++) {
            for (int v = 0; v < c.vocabSize(); v++) {
                for (int j = 0; j < h; j++) {
                    out[i][v] += f[i][j] * w.wte()[v * h + j];
                }
            }
        }
        return out;
    }

    private static double[][] layerNorm(double[][] x, float[] g, float[] b, double eps) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double mean = 0, var = 0;
            for (double v : x[i]) {
                mean += v;
            }
            mean /= x[i].length;
            for (double v : x[i]) {
                var += (v - mean) * (v - mean);
            }
            var /= x[i].length;
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = (x[i][j] - mean) / Math.sqrt(var + eps) * g[j] + b[j];
            }
        }
        return out;
    }

    private static double[][] linear(double[][] x, float[] w, float[] bias, int out) {
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double s = bias[o];
                for (int k = 0; k < x[i].length; k++) {
                    s += x[i][k] * w[k * out + o];
                }
                y[i][o] = s;
            }
        }
        return y;
    }

    private static void add(double[][] x, double[][] y) {
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] += y[i][j];
            }
        }
    }
}
