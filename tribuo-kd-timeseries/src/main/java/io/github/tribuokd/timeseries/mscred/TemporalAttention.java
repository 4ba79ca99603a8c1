package io.github.tribuokd.timeseries.mscred;

import io.github.tribuokd.nn.ConvLSTMLayer;

/**
 * MSCRED's temporal attention over the hidden maps of one ConvLSTM layer (Zhang et al., "A Deep Neural Network for
 * Unsupervised Anomaly Detection and Diagnosis in Multivariate Time Series Data", AAAI 2019, its equation (6); seed
 * 002's equations (2) and (3)): the maps of the last step decide how much each step's map contributes.
 * <p>
 * For one example with hidden maps {@code H_1 … H_T} of a {@link ConvLSTMLayer}, each flattened to a vector of
 * length {@code D = Ch·H·W}:
 * <pre>
 *   s_i = vec(H_T)ᵀ vec(H_i) / χ                          i = 1..T    (scores)
 *   α_i = exp(s_i) / Σ_j exp(s_j)                                     (softmax over the T steps)
 *   Ĥ_T = Σ_i α_i H_i                                                 [D]
 * </pre>
 * χ is a rescale factor, 5.0 by default as in MSCRED's code (which divides by its {@code step_max} = 5); seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md)
 * calls it β. <b>Normalisation:</b> seed 002's equations (2)–(3) print the weight as {@code (score)/C} with
 * {@code C = Σ_j exp(score_j/β)}, which is a typo for the softmax {@code exp(score_i/β)/C} (the weights would
 * otherwise neither be positive nor sum to 1, and MSCRED's equation (6) and code use the softmax); this class
 * implements the softmax.
 * <p>
 * <b>Backward</b>, with {@code G = dL/dĤ_T}:
 * <pre>
 *   dα_i = Gᵀ H_i
 *   ds_i = α_i (dα_i − Σ_j α_j dα_j)                                   (softmax Jacobian)
 *   dH_i = α_i G + (ds_i/χ) H_T                                        for every i (the sum and the score's H_i)
 *   dH_T += Σ_i (ds_i/χ) H_i                                           (every score's H_T)
 * </pre>
 * <b>Layouts:</b> the input is the ConvLSTM's output, time-major {@code h [steps, batch, D]}; the output is
 * {@code [batch, D]}; the attention weights are {@code α [batch, steps]}, written by {@link #forward} into a
 * caller's buffer (to inspect them, and for {@link #backward}). Parameter-free, stateless apart from a per-thread
 * scratch of {@code steps} doubles, and allocation-free after a thread's first call; several threads may share one
 * instance. Scores, softmax and sums are in double with a fixed order, the exponential is {@link StrictMath#exp},
 * and the softmax subtracts the largest score first (scores of large maps reach hundreds), so results are
 * deterministic and do not overflow.
 */
public final class TemporalAttention {

    /** MSCRED's rescale factor χ (its code divides the scores by {@code step_max} = 5). */
    public static final double DEFAULT_RESCALE = 5.0;

    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[1][0]);

    private final int featureSize;
    private final double rescale;

    /**
     * An attention over maps of {@code featureSize} values with MSCRED's rescale factor χ = 5.
     * @param featureSize {@code D = Ch·H·W}, the length of one flattened hidden map.
     */
    public TemporalAttention(int featureSize) {
        this(featureSize, DEFAULT_RESCALE);
    }

    /**
     * An attention over maps of {@code featureSize} values.
     * @param featureSize {@code D = Ch·H·W}, the length of one flattened hidden map.
     * @param rescale The rescale factor χ (seed 002's β) dividing every score; positive and finite.
     */
    public TemporalAttention(int featureSize, double rescale) {
        if (featureSize < 1) {
            throw new IllegalArgumentException("The feature size must be positive, found " + featureSize);
        }
        if (!(rescale > 0.0) || Double.isInfinite(rescale)) {
            throw new IllegalArgumentException("The rescale factor must be positive and finite, found " + rescale);
        }
        this.featureSize = featureSize;
        this.rescale = rescale;
    }

    /**
     * The length of one flattened hidden map.
     * @return {@code D}.
     */
    public int featureSize() {
        return featureSize;
    }

    /**
     * The rescale factor χ (seed 002's β).
     * @return χ.
     */
    public double rescale() {
        return rescale;
    }

    private void checkSizes(float[] h, int steps, int batch, float[] out, float[] alpha) {
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException("steps and batch must be positive, found " + steps + " and " + batch);
        }
        long n = (long) steps * batch * featureSize;
        if (h.length < n) {
            throw new IllegalArgumentException("h must hold [steps, batch, D] = [" + steps + ", " + batch + ", "
                    + featureSize + "] floats, found length " + h.length);
        }
        if (out.length < (long) batch * featureSize) {
            throw new IllegalArgumentException("The output must hold [batch, D] = [" + batch + ", " + featureSize
                    + "] floats, found length " + out.length);
        }
        if (alpha.length < (long) batch * steps) {
            throw new IllegalArgumentException("alpha must hold [batch, steps] = [" + batch + ", " + steps
                    + "] floats, found length " + alpha.length);
        }
    }

    /** The thread's scratch of at least {@code n} doubles. */
    private static double[] scratch(int n) {
        double[][] s = SCRATCH.get();
        if (s[0].length < n) {
            s[0] = new double[n];
        }
        return s[0];
    }

    /**
     * The forward pass: MSCRED's equation (6) (seed 002's (2)–(3), with the softmax) for every example.
     * @param h The hidden maps {@code [steps, batch, D]}, time-major (a {@link ConvLSTMLayer}'s output).
     * @param steps The number of maps per example T (the last one, {@code H_T}, is the query).
     * @param batch The number of examples.
     * @param out Receives {@code Ĥ_T [batch, D]}, overwritten.
     * @param alpha Receives the attention weights {@code α [batch, steps]}, overwritten; each row sums to 1.
     */
    // per example b: s [T] = H_T·H_i / χ ; α = softmax(s) ; out[b] = Σ_i α_i H_i
    public void forward(float[] h, int steps, int batch, float[] out, float[] alpha) {
        checkSizes(h, steps, batch, out, alpha);
        final int D = featureSize;
        final int bd = batch * D;
        final double[] s = scratch(steps);
        for (int b = 0; b < batch; b++) {
            final int last = (steps - 1) * bd + b * D;   // H_T of this example
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < steps; i++) {
                final int hi = i * bd + b * D;
                double dot = 0.0;
                for (int j = 0; j < D; j++) {
                    dot += (double) h[last + j] * h[hi + j];
                }
                s[i] = dot / rescale;
                max = Math.max(max, s[i]);
            }
            double sum = 0.0;
            for (int i = 0; i < steps; i++) {
                s[i] = StrictMath.exp(s[i] - max);
                sum += s[i];
            }
            for (int i = 0; i < steps; i++) {
                alpha[b * steps + i] = (float) (s[i] / sum);
            }
            final int o = b * D;
            for (int j = 0; j < D; j++) {
                double acc = 0.0;
                for (int i = 0; i < steps; i++) {
                    acc += (double) alpha[b * steps + i] * h[i * bd + o + j];
                }
                out[o + j] = (float) acc;
            }
        }
    }

    /**
     * The backward pass: the gradient with respect to every hidden map, through the weighted sum and through the
     * scores (both their {@code H_T} and their {@code H_i}).
     * @param h The hidden maps of the forward call, {@code [steps, batch, D]}.
     * @param alpha The weights the forward call wrote, {@code [batch, steps]}.
     * @param outGradient dL/dĤ_T, {@code [batch, D]}.
     * @param steps The steps of the forward call.
     * @param batch The batch of the forward call.
     * @param hGradient Receives dL/dH, {@code [steps, batch, D]}, overwritten (a {@link ConvLSTMLayer}'s
     *                  {@code dH}); must not be {@code h}.
     */
    // per example b: dα_i = G·H_i ; ds_i = α_i (dα_i − Σ α_j dα_j) ; dH_i = α_i G + ds_i/χ H_T ; dH_T += Σ ds_i/χ H_i
    public void backward(float[] h, float[] alpha, float[] outGradient, int steps, int batch, float[] hGradient) {
        checkSizes(h, steps, batch, outGradient, alpha);
        if (hGradient.length < (long) steps * batch * featureSize) {
            throw new IllegalArgumentException("hGradient must hold [steps, batch, D] = [" + steps + ", " + batch
                    + ", " + featureSize + "] floats, found length " + hGradient.length);
        }
        if (hGradient == h) {
            throw new IllegalArgumentException("hGradient must not be h");
        }
        final int D = featureSize;
        final int bd = batch * D;
        final double[] ds = scratch(steps);
        for (int b = 0; b < batch; b++) {
            final int g = b * D;                         // dL/dĤ_T of this example
            final int last = (steps - 1) * bd + b * D;   // H_T
            final int a = b * steps;
            double weighted = 0.0;                       // Σ_j α_j dα_j
            for (int i = 0; i < steps; i++) {
                final int hi = i * bd + b * D;
                double dot = 0.0;
                for (int j = 0; j < D; j++) {
                    dot += (double) outGradient[g + j] * h[hi + j];
                }
                ds[i] = dot;                             // dα_i for now
                weighted += alpha[a + i] * dot;
            }
            for (int i = 0; i < steps; i++) {
                ds[i] = alpha[a + i] * (ds[i] - weighted) / rescale;   // ds_i / χ
            }
            for (int j = 0; j < D; j++) {
                final double gj = outGradient[g + j];
                final double hT = h[last + j];
                double toLast = 0.0;                     // Σ_i (ds_i/χ) H_i[j]
                for (int i = 0; i < steps; i++) {
                    final int at = i * bd + b * D + j;
                    toLast += ds[i] * h[at];
                    double v = alpha[a + i] * gj + ds[i] * hT;
                    if (i == steps - 1) {
                        v += toLast;                     // the last step is also every score's query
                    }
                    hGradient[at] = (float) v;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "TemporalAttention(D=" + featureSize + ",rescale=" + rescale + ")";
    }
}
