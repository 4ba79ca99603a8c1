package io.github.tribuokd.timeseries.mscred;

/**
 * The feature-map distillation loss {@code L_NormMSE} of seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md)'s equation (8): the mean squared error between
 * L2-normalised feature maps, with the student's map {@code a} and the teacher's map {@code b} (a constant target).
 * Per example, over the {@code d} values of a flattened map:
 * <pre>
 *   u = a / max(‖a‖, ε)        v = b / max(‖b‖, ε)        r = u − v
 *   L = (1/d) Σ_j r_j²
 *   dL/da = (2 / (d·‖a‖)) · (r − u (uᵀr))        when ‖a‖ &gt; ε  (the normalisation's Jacobian (I − u uᵀ)/‖a‖)
 *   dL/da = (2 / (d·ε)) · r                       when ‖a‖ ≤ ε  (a/ε is linear)
 * </pre>
 * The loss is invariant to the scale of either map, so its gradient is orthogonal to {@code a} (for ‖a‖ &gt; ε):
 * only the direction of the student's map is learnt. In equation (8) it compares the attention outputs
 * ({@link TemporalAttention}) of the student's and the teacher's ConvLSTM2, weighted by λ against the
 * reconstruction MSE.
 * <p>
 * <b>The ε guard:</b> the norms are clamped below at {@link #EPSILON} = 1e-12, as PyTorch's
 * {@code F.normalize(x, p=2, eps=1e-12)} does, so that an all-zero map gives a finite loss and gradient instead of
 * NaN (u = 0, L = ‖v‖²/d). The gradient near a zero map is still of order 1/‖a‖, as for any normalisation.
 * <p>
 * Norms and sums are in double, in a fixed order; nothing is allocated.
 */
public final class NormalisedMSE {

    /** The lower clamp of both norms (PyTorch's {@code F.normalize} default). */
    public static final double EPSILON = 1e-12;

    private NormalisedMSE() { }

    /**
     * The loss of one example, and its gradient with respect to the student's map, scaled and ADDED into
     * {@code grad} (so that the distillation term of equation (8) can be added to the gradient the same map
     * receives from the decoder).
     * @param a The student's map, {@code d} values from {@code aOff}.
     * @param aOff The first value of a.
     * @param b The teacher's map (the target), {@code d} values from {@code bOff}.
     * @param bOff The first value of b.
     * @param d The number of values of one map (for a ConvLSTM map, {@code Ch·H·W}).
     * @param grad Receives {@code scale · dL/da} added into {@code [gOff, gOff + d)}; may be {@code null} when only
     *             the loss is needed.
     * @param gOff The first value of grad.
     * @param scale The factor of the gradient (for instance λ of equation (8) divided by the batch size).
     * @return The loss L of this example (unscaled).
     */
    public static double lossAndGradient(float[] a, int aOff, float[] b, int bOff, int d, float[] grad, int gOff,
                                         double scale) {
        if (d < 1) {
            throw new IllegalArgumentException("A map needs at least one value, found d = " + d);
        }
        double na = 0.0;
        double nb = 0.0;
        for (int j = 0; j < d; j++) {
            na += (double) a[aOff + j] * a[aOff + j];
            nb += (double) b[bOff + j] * b[bOff + j];
        }
        na = Math.sqrt(na);
        nb = Math.sqrt(nb);
        final boolean clamped = !(na > EPSILON);
        final double invA = 1.0 / (clamped ? EPSILON : na);
        final double invB = 1.0 / Math.max(nb, EPSILON);
        // L = (1/d) Σ r², and uᵀr for the projection
        double sum = 0.0;
        double ur = 0.0;
        for (int j = 0; j < d; j++) {
            double u = a[aOff + j] * invA;
            double r = u - b[bOff + j] * invB;
            sum += r * r;
            ur += u * r;
        }
        final double loss = sum / d;
        if (grad != null) {
            // dL/da_j = (2/(d·‖a‖)) (r_j − u_j·uᵀr), or (2/(d·ε)) r_j when clamped
            final double factor = scale * 2.0 * invA / d;
            final double proj = clamped ? 0.0 : ur;
            for (int j = 0; j < d; j++) {
                double u = a[aOff + j] * invA;
                double r = u - b[bOff + j] * invB;
                grad[gOff + j] += (float) (factor * (r - u * proj));
            }
        }
        return loss;
    }

    /**
     * The mean loss over a batch of maps, with the gradient of {@code scale ·} (that mean) ADDED into {@code grad}.
     * @param a The student's maps {@code [batch, d]}.
     * @param b The teacher's maps {@code [batch, d]}.
     * @param batch The number of examples.
     * @param d The number of values of one map.
     * @param grad Receives {@code scale · d(mean L)/da [batch, d]}, added; may be {@code null}.
     * @param scale The factor of the gradient (λ of equation (8), for instance).
     * @return The mean of the per-example losses.
     */
    public static double meanLossAndGradient(float[] a, float[] b, int batch, int d, float[] grad, double scale) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be positive, found " + batch);
        }
        long n = (long) batch * d;
        if (a.length < n || b.length < n || (grad != null && grad.length < n)) {
            throw new IllegalArgumentException("a, b and grad must hold [batch, d] = [" + batch + ", " + d
                    + "] floats");
        }
        double total = 0.0;
        for (int e = 0; e < batch; e++) {
            total += lossAndGradient(a, e * d, b, e * d, d, grad, e * d, scale / batch);
        }
        return total / batch;
    }
}
