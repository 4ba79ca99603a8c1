package io.github.tribuokd.nn;

/**
 * The direction loss of multiresolution knowledge distillation (Salehi et al., "Multiresolution Knowledge
 * Distillation for Anomaly Detection", CVPR 2021, the term {@code L_dir}) for one layer: per example,
 * {@code 1 − cos(a, b)} between the teacher's (source's) activation vector {@code a} and the student's (cloner's)
 * {@code b}, with its gradient with respect to {@code b} (the teacher is frozen).
 * <p>
 * <b>Zero vectors.</b> Norms are smoothed, {@code n_v = sqrt(‖v‖² + ε²)} with {@code ε = }{@value #EPSILON}, so
 * that the loss and its gradient are defined and smooth everywhere:
 * <pre>
 *   cos_ε(a, b) = a·b / (n_a · n_b)              (differs from the cosine by a relative ε²/(2‖v‖²) at most)
 *   D(a, b)     = 1 − cos_ε(a, b)
 *               = ½ ‖a/n_a − b/n_b‖² + ½ ε² (1/n_a² + 1/n_b²)     (the same number, written as a sum of
 *                                                                  non-negative terms: no cancellation near cos = 1)
 *   ∂D/∂b       = −(1 / (n_a n_b)) · (a − (a·b / n_b²) · b)
 * </pre>
 * A zero student (or teacher) vector gives {@code D = 1} (orthogonal), and a zero student vector the finite
 * gradient {@code −a / (n_a ε)}. The loss is computed in double precision per row from the second form, which keeps
 * its relative precision for nearly parallel vectors (the anomaly score of normal data is small).
 * <p>
 * Immutable, stateless: all methods are static.
 */
public final class CosineDirectionLoss {

    /** ε of the smoothed norms {@code sqrt(‖v‖² + ε²)}. */
    public static final double EPSILON = 1e-6;

    private CosineDirectionLoss() { }

    /**
     * {@code D(a, b) = 1 − cos_ε(a, b)} for one row.
     * @param a The teacher's vectors, row-major.
     * @param aOffset The first element of the row in {@code a}.
     * @param b The student's vectors, row-major.
     * @param bOffset The first element of the row in {@code b}.
     * @param width The vector length.
     * @return The loss, in {@code [0, 2]}.
     */
    // a [width], b [width] -> D (scalar)
    public static double loss(float[] a, int aOffset, float[] b, int bOffset, int width) {
        double aa = 0, bb = 0;
        for (int j = 0; j < width; j++) {
            double x = a[aOffset + j];
            double y = b[bOffset + j];
            aa += x * x;
            bb += y * y;
        }
        double e2 = EPSILON * EPSILON;
        double na = Math.sqrt(aa + e2);
        double nb = Math.sqrt(bb + e2);
        double diff = 0;
        for (int j = 0; j < width; j++) {
            double d = a[aOffset + j] / na - b[bOffset + j] / nb;
            diff += d * d;
        }
        return 0.5 * diff + 0.5 * e2 * (1 / (na * na) + 1 / (nb * nb));
    }

    /**
     * {@code D(a, b)} for one row, and {@code scale · ∂D/∂b} added to {@code gradient}.
     * @param a The teacher's vectors, row-major.
     * @param aOffset The first element of the row in {@code a}.
     * @param b The student's vectors, row-major.
     * @param bOffset The first element of the row in {@code b}.
     * @param width The vector length.
     * @param scale The factor of the gradient (e.g. λ / batch size).
     * @param gradient Receives {@code gradient[gOffset + j] += scale · ∂D/∂b_j}.
     * @param gOffset The first element of the row in {@code gradient}.
     * @return The loss {@code D(a, b)}.
     */
    // a [width], b [width] -> D ; dB [width] += scale · −(a − (a·b/n_b²) b) / (n_a n_b)
    public static double lossAndGradient(float[] a, int aOffset, float[] b, int bOffset, int width, double scale,
                                         float[] gradient, int gOffset) {
        double aa = 0, bb = 0, ab = 0;
        for (int j = 0; j < width; j++) {
            double x = a[aOffset + j];
            double y = b[bOffset + j];
            aa += x * x;
            bb += y * y;
            ab += x * y;
        }
        double e2 = EPSILON * EPSILON;
        double na = Math.sqrt(aa + e2);
        double nb = Math.sqrt(bb + e2);
        double diff = 0;
        double k = ab / (nb * nb);
        double f = -scale / (na * nb);
        for (int j = 0; j < width; j++) {
            double x = a[aOffset + j];
            double y = b[bOffset + j];
            double d = x / na - y / nb;
            diff += d * d;
            gradient[gOffset + j] += (float) (f * (x - k * y));
        }
        return 0.5 * diff + 0.5 * e2 * (1 / (na * na) + 1 / (nb * nb));
    }
}
