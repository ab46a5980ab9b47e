package dev.cmr.model.memory;

/** Vector arithmetic shared by the memory components; all accumulation in double. */
public final class Vectors {
    private Vectors() {
    }

    /**
     * Cosine similarity {@code dot(a, b) / (sqrt(dot(a, a)) * sqrt(dot(b, b)))}, accumulated in double in index
     * order and clamped to [-1, 1]; 0 when either vector has norm 0.
     *
     * @throws IllegalArgumentException when the lengths differ
     */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors have lengths " + a.length + " and " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return cosineOf(dot, na, nb);
    }

    static double cosine(float[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors have lengths " + a.length + " and " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += b[i] * b[i];
        }
        return cosineOf(dot, na, nb);
    }

    private static double cosineOf(double dot, double na, double nb) {
        if (na == 0 || nb == 0) {
            return 0.0;
        }
        double c = dot / (Math.sqrt(na) * Math.sqrt(nb));
        if (Double.isNaN(c)) {
            return 0.0;
        }
        return Math.max(-1.0, Math.min(1.0, c));
    }
}
