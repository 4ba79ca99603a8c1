package io.github.tribuokd.nn;

/**
 * Softmax cross-entropy on a student's logits with hard labels and, optionally, a teacher's soft targets: the loss of
 * soft-target knowledge distillation (Hinton, Vinyals and Dean 2015; seed 003), with the generalized-distillation
 * term of Lopez-Paz et al. 2016 / Hayashi et al. 2019 (seed 003's λ) beside it.
 * <p>
 * For one example with student logits {@code z_s [K]}, hard label {@code y} and teacher logits {@code z_t [K]}:
 * <pre>
 *   L = (1 − α − λ) · CE(σ(z_s), y)                       hard term (CE(p, y) = −ln p_y)
 *     + α · T² · CE(σ(z_s / T), σ(z_t / T))               Hinton's soft term (CE(q, t) = −Σ_k t_k ln q_k)
 *     + λ · CE(σ(z_s), σ(z_t / T))                        generalized distillation's imitation term
 * </pre>
 * σ is the softmax. (Seed 003's slide prints the soft term as {@code 2αT²·CE(σ(z_s/T), σ(z_s/T))}; the teacher's
 * logits belong in the second softmax and the factor is {@code αT²}, as in Hinton et al.: the {@code T²} keeps the
 * soft gradient's size independent of T.) With {@code λ = 0} this is exactly Hinton's loss; with {@code α = λ = 0}
 * plain softmax cross-entropy, and no teacher logits are needed.
 * <p>
 * Gradient with respect to the student logits (derived from {@code ∂CE(σ(z/T), t)/∂z = (σ(z/T) − t)/T} and
 * {@code Σ t = 1}):
 * <pre>
 *   ∂L/∂z_s = (1 − α − λ) · (p − onehot(y)) + α · T · (q_T − t_T) + λ · (p − t_T)
 *   p = σ(z_s),  q_T = σ(z_s / T),  t_T = σ(z_t / T)
 * </pre>
 * Losses are summed over the rows given and gradients divided by a normaliser (the whole minibatch's row count),
 * so that shards of a minibatch add up to the gradient of its mean loss (as {@link LossFunction} does). Each row is
 * computed in double precision with the log-sum-exp shift; teacher logits may be {@code −∞} (a probability of 0),
 * which gives a target of exactly 0.
 * <p>
 * Immutable and thread-safe: scratch is per call.
 */
public final class SoftTargetCrossEntropy {

    private final double alpha;
    private final double lambda;
    private final double temperature;

    /**
     * Creates the loss.
     * @param alpha α ∈ [0, 1], the weight of Hinton's soft term.
     * @param temperature T &gt; 0, finite.
     * @param lambda λ ∈ [0, 1], the weight of the generalized-distillation term; {@code α + λ ≤ 1}.
     */
    public SoftTargetCrossEntropy(double alpha, double temperature, double lambda) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], found " + alpha);
        }
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda must be in [0, 1], found " + lambda);
        }
        if (!(alpha + lambda <= 1)) {
            throw new IllegalArgumentException("alpha + lambda must be at most 1, found " + alpha + " + " + lambda);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and positive, found " + temperature);
        }
        this.alpha = alpha;
        this.lambda = lambda;
        this.temperature = temperature;
    }

    /**
     * Plain softmax cross-entropy on hard labels ({@code α = λ = 0}).
     * @return The loss.
     */
    public static SoftTargetCrossEntropy hardLabels() {
        return new SoftTargetCrossEntropy(0, 1, 0);
    }

    /**
     * α.
     * @return The weight of Hinton's soft term.
     */
    public double alpha() {
        return alpha;
    }

    /**
     * λ.
     * @return The weight of the generalized-distillation term.
     */
    public double lambda() {
        return lambda;
    }

    /**
     * T.
     * @return The temperature.
     */
    public double temperature() {
        return temperature;
    }

    /**
     * Whether the loss reads teacher logits ({@code α > 0} or {@code λ > 0}).
     * @return True when soft targets are needed.
     */
    public boolean needsTeacher() {
        return alpha > 0 || lambda > 0;
    }

    /**
     * The summed loss of {@code rows} rows and the gradient of (summed loss) / {@code normaliser}.
     * @param logits Student logits {@code [rows, k]} row-major.
     * @param labels Hard labels {@code [rows]}, each in {@code [0, k)}.
     * @param teacherLogits Teacher logits {@code [rows, k]} (finite or −∞), or null when {@link #needsTeacher()} is
     *                      false; when given with {@code α = λ = 0} the soft terms are computed with weight 0.
     * @param gradient Output {@code [rows, k]}: d(sum/normaliser)/dlogits; may be null when only the value is needed.
     * @param rows The number of rows.
     * @param k The number of classes.
     * @param normaliser The row count of the whole minibatch.
     * @return The summed (not averaged) loss.
     */
    public double lossAndGradient(float[] logits, int[] labels, float[] teacherLogits, float[] gradient, int rows,
                                  int k, int normaliser) {
        if (teacherLogits == null && needsTeacher()) {
            throw new IllegalArgumentException("alpha = " + alpha + ", lambda = " + lambda + " need teacher logits");
        }
        double hardWeight = 1.0 - alpha - lambda;
        double inv = 1.0 / normaliser;
        double invT = 1.0 / temperature;
        double[] p = new double[k];     // σ(z_s)
        double[] q = new double[k];     // σ(z_s / T)
        double[] t = new double[k];     // σ(z_t / T)
        double sum = 0.0;
        for (int r = 0; r < rows; r++) {
            int o = r * k;
            int y = labels[r];
            if (y < 0 || y >= k) {
                throw new IllegalArgumentException("Label " + y + " of row " + r + " is not in [0, " + k + ")");
            }
            // hard term: -ln p_y = logsumexp(z) - z_y
            double lseS = softmax(logits, o, k, 1.0, p);
            double loss = hardWeight * (lseS - logits[o + y]);
            if (teacherLogits != null) {
                softmax(teacherLogits, o, k, invT, t);
                double lseT = softmax(logits, o, k, invT, q);
                // CE(q, t) = -Σ t_k ln q_k, ln q_k = z_k/T - logsumexp(z/T); CE(p, t) likewise at T = 1
                double ceQ = 0.0, ceP = 0.0;
                for (int j = 0; j < k; j++) {
                    if (t[j] > 0) {
                        ceQ -= t[j] * (logits[o + j] * invT - lseT);
                        ceP -= t[j] * (logits[o + j] - lseS);
                    }
                }
                loss += alpha * temperature * temperature * ceQ + lambda * ceP;
            }
            sum += loss;
            if (gradient != null) {
                for (int j = 0; j < k; j++) {
                    double g = hardWeight * (p[j] - (j == y ? 1.0 : 0.0));
                    if (teacherLogits != null) {
                        g += alpha * temperature * (q[j] - t[j]) + lambda * (p[j] - t[j]);
                    }
                    gradient[o + j] = (float) (g * inv);
                }
            }
        }
        return sum;
    }

    /**
     * Softmax of {@code scale · x[o .. o+k)} into {@code out}, in double with the max shift.
     * @return {@code logsumexp(scale · x)}.
     */
    static double softmax(float[] x, int o, int k, double scale, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, scale * x[o + j]);
        }
        if (!(max > Double.NEGATIVE_INFINITY) || Double.isNaN(max) || max == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("Logits " + java.util.Arrays.toString(
                    java.util.Arrays.copyOfRange(x, o, o + k)) + " have no finite maximum");
        }
        double z = 0.0;
        for (int j = 0; j < k; j++) {
            out[j] = Math.exp(scale * x[o + j] - max);
            z += out[j];
        }
        for (int j = 0; j < k; j++) {
            out[j] /= z;
        }
        return max + Math.log(z);
    }
}
