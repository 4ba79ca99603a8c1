package io.github.tribuokd.nn;

import java.util.Arrays;

/**
 * The total loss of multiresolution knowledge distillation (Salehi et al., "Multiresolution Knowledge Distillation
 * for Anomaly Detection", CVPR 2021): a student (the paper's cloner) matches a frozen teacher's (the source's)
 * activations at several layers, the critical points {@code CP_i}. Per example:
 * <pre>
 *   L_val   = Σ_i (1/N_i) Σ_j (a_s^{CP_i}(j) − a_c^{CP_i}(j))²                 value term, N_i = width of layer i
 *   L_dir   = Σ_i [1 − cos(vec(a_s^{CP_i}), vec(a_c^{CP_i}))]                   direction term ({@link CosineDirectionLoss})
 *   L_total = L_val + λ · L_dir
 * </pre>
 * The slide of the paper writes {@code L_dir = 1 − Σ_i cos(…)}; this class sums {@code 1 − cos} per layer, which is
 * the same for one layer, non-negative for any number of layers, and has the same gradient. The anomaly score of an
 * example is its {@code L_total}, higher = more anomalous, 0 for a perfect copy; the value term is in squared units
 * of the features, the direction term in {@code [0, 2]} per layer.
 * <p>
 * Gradients are with respect to the student's activations only, per layer {@code [rows, N_i]}:
 * <pre>
 *   ∂L_total/∂a_c^{CP_i}(j) = 2 (a_c(j) − a_s(j)) / N_i + λ · ∂D_i/∂a_c(j)
 * </pre>
 * As in {@link LossFunction}, losses are summed over the rows given and gradients divided by a normaliser (the whole
 * minibatch's row count), so that shards of a minibatch add up to the gradient of its mean loss. Rows are computed in
 * double precision. Immutable and thread-safe.
 */
public final class FeatureMatchingLoss {

    private final int[] widths;
    private final double lambda;

    /**
     * Creates the loss.
     * @param widths The width {@code N_i} of every matched layer, at least one, each positive.
     * @param lambda λ, the weight of the direction term: finite and non-negative.
     */
    public FeatureMatchingLoss(int[] widths, double lambda) {
        if (widths == null || widths.length == 0 || Arrays.stream(widths).anyMatch(w -> w < 1)) {
            throw new IllegalArgumentException("At least one layer of positive width is needed, found "
                    + Arrays.toString(widths));
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and non-negative, found " + lambda);
        }
        this.widths = widths.clone();
        this.lambda = lambda;
    }

    /**
     * The widths of the matched layers.
     * @return A copy of {@code N_i}.
     */
    public int[] widths() {
        return widths.clone();
    }

    /**
     * λ.
     * @return The weight of the direction term.
     */
    public double lambda() {
        return lambda;
    }

    /**
     * The per-example {@code L_total} of {@code rows} rows (scoring: no gradient).
     * @param teacher The teacher's activations per layer, {@code teacher[i]} is {@code [rows, N_i]}.
     * @param student The student's activations per layer, same shapes.
     * @param rows The number of rows.
     * @param out Receives {@code L_total} of row r at {@code out[offset + r]}.
     * @param offset Where to write.
     */
    public void score(float[][] teacher, float[][] student, int rows, double[] out, int offset) {
        checkLayers(teacher, student);
        for (int r = 0; r < rows; r++) {
            double total = 0;
            for (int i = 0; i < widths.length; i++) {
                int w = widths[i];
                int o = r * w;
                float[] t = teacher[i];
                float[] s = student[i];
                double sq = 0;
                for (int j = 0; j < w; j++) {
                    double d = s[o + j] - t[o + j];
                    sq += d * d;
                }
                total += sq / w;
                if (lambda > 0) {
                    total += lambda * CosineDirectionLoss.loss(t, o, s, o, w);
                }
            }
            out[offset + r] = total;
        }
    }

    /**
     * The summed {@code L_total} of {@code rows} rows and the gradient of (summed loss) / {@code normaliser} with
     * respect to the student's activations.
     * @param teacher The teacher's activations per layer, {@code teacher[i]} is {@code [rows, N_i]}.
     * @param student The student's activations per layer, same shapes.
     * @param gradients Output per layer, {@code [rows, N_i]}, overwritten.
     * @param rows The number of rows.
     * @param normaliser The row count of the whole minibatch.
     * @return The summed (not averaged) loss.
     */
    // per layer i: dS_i [rows, N_i] = (2 (S_i − T_i) / N_i + λ ∂D/∂S_i) / normaliser
    public double lossAndGradient(float[][] teacher, float[][] student, float[][] gradients, int rows,
                                  int normaliser) {
        checkLayers(teacher, student);
        if (gradients == null || gradients.length != widths.length) {
            throw new IllegalArgumentException("One gradient buffer per layer is needed (" + widths.length + ")");
        }
        double inv = 1.0 / normaliser;
        double sum = 0;
        for (int i = 0; i < widths.length; i++) {
            int w = widths[i];
            float[] t = teacher[i];
            float[] s = student[i];
            float[] g = gradients[i];
            double valueScale = 2.0 * inv / w;
            for (int r = 0; r < rows; r++) {
                int o = r * w;
                double sq = 0;
                for (int j = 0; j < w; j++) {
                    double d = s[o + j] - t[o + j];
                    sq += d * d;
                    g[o + j] = (float) (valueScale * d);
                }
                sum += sq / w;
                if (lambda > 0) {
                    sum += lambda * CosineDirectionLoss.lossAndGradient(t, o, s, o, w, lambda * inv, g, o);
                }
            }
        }
        return sum;
    }

    private void checkLayers(float[][] teacher, float[][] student) {
        if (teacher == null || student == null || teacher.length != widths.length
                || student.length != widths.length) {
            throw new IllegalArgumentException("Expected the activations of " + widths.length
                    + " layers for the teacher and the student");
        }
    }
}
