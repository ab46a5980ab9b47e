package dev.cmr.model.cpu;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.cblas_sgemm;

import org.bytedeco.javacpp.FloatPointer;

/**
 * Single-precision matrix products through OpenBLAS (JavaCPP preset). Matrices are row-major sub-arrays of
 * {@link NativeArray}s given by an offset and a leading dimension. Calls block until the product is done.
 */
public final class Blas {
    private Blas() {
    }

    /**
     * {@code C[m x n] = alpha * op(A) * op(B) + beta * C}, where op(A) is {@code m x k} and op(B) is {@code k x n}.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             NativeArray a, int offA, int lda, NativeArray b, int offB, int ldb,
                             float beta, NativeArray c, int offC, int ldc) {
        FloatPointer pa = a.pointer();
        FloatPointer pb = b.pointer();
        FloatPointer pc = c.pointer();
        // JavaCPP passes address + position; the positions are reset so that the arrays stay reusable.
        pa.position(offA);
        pb.position(offB);
        pc.position(offC);
        try {
            cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        } finally {
            pa.position(0);
            pb.position(0);
            pc.position(0);
        }
    }
}
