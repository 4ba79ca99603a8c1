package io.github.tribuokd.nn.kernels;

import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.DenseLayer;
import io.github.tribuokd.nn.FeedForwardNetwork;

import java.util.Arrays;

/**
 * The scoring path of a one-hidden-layer autoencoder {@code d → h → d} (the dense student of
 * {@code DenseReconstructionDistillationTrainer}): standardisation, encoder, decoder and reconstruction error fused
 * into one pass per sample, with nothing written back to the input and no intermediate matrix.
 * <pre>
 *   z_j = (x_j − μ_j) / σ_j                                    j &lt; d      (the model's standardisation)
 *   h_o = f(b1_o + Σ_j z_j · W1[j, o])                         o &lt; h
 *   S(x) = 1/d Σ_j (z_j − (b2_j + Σ_o h_o · W2[o, j]))²        (the autoencoder's score)
 * </pre>
 * The layer-by-layer path ({@link FeedForwardNetwork#forward}) pays, for a 380-8-380 student, for a standardised copy
 * of the input, a matrix product whose output is only 8 wide, separate bias and activation passes and a third pass
 * for the error; here the encoder keeps four hidden units' sums in registers over one read of {@code z}, and the
 * decoder adds the error of each block of outputs as soon as it is reconstructed.
 * <p>
 * The weights are packed once: {@code w1t [h][d]} (each hidden unit's input weights contiguous), {@code w2 [h][d]}
 * (already row-major in {@link DenseLayer}). Every sample is computed by the same code whichever batch or thread it
 * is in, so a sample scores the same bits alone and in a batch. The Vector API kernel ({@code VectorAutoencoderKernel})
 * is used when {@link Kernels#get()} is the Vector API; the scalar loop of {@link #scorePlain} is the
 * specification and the fallback. Both agree with the layer-by-layer path to float rounding (tested), not bit for
 * bit (the sums are ordered differently).
 * <p>
 * Immutable and thread-safe. {@link #score} needs a scratch buffer of {@link #scratchSize()} floats from the caller.
 */
public final class AutoencoderScorer {

    final int d;
    final int h;
    final float[] mean;
    final float[] scale;
    /** {@code [h][d]}: {@code W1[j, o]} at {@code o·d + j}. */
    final float[] w1t;
    final float[] b1;
    /** {@code [h][d]}: {@code W2[o, j]} at {@code o·d + j}. */
    final float[] w2;
    final float[] b2;
    final Activation hidden;
    private final Kernel kernel;

    /** One sample's score with the packed weights. */
    interface Kernel {
        /**
         * The score of one raw sample.
         * @param x The buffer.
         * @param offset The sample's first feature.
         * @param scratch At least {@link #scratchSize()} floats.
         * @return The mean squared reconstruction error.
         */
        double score(float[] x, int offset, float[] scratch);

        /**
         * A short name.
         * @return The name.
         */
        String name();

        /**
         * The floats of scratch memory {@link #score} needs.
         * @return The size.
         */
        int scratchSize();
    }

    private AutoencoderScorer(FeedForwardNetwork net, float[] mean, float[] scale, boolean vector) {
        int[] sizes = net.sizes();
        this.d = sizes[0];
        this.h = sizes[1];
        if (mean.length != d || scale.length != d) {
            throw new IllegalArgumentException("The standardisation has " + mean.length + " features, the network "
                    + d);
        }
        this.mean = mean.clone();
        this.scale = scale.clone();
        this.hidden = net.hiddenActivation();
        DenseLayer first = (DenseLayer) net.layers().get(0);
        DenseLayer last = (DenseLayer) net.layers().get(2);
        float[] p = net.parameters();
        w1t = new float[h * d];
        for (int j = 0; j < d; j++) {
            for (int o = 0; o < h; o++) {
                w1t[o * d + j] = p[first.weightOffset() + j * h + o];
            }
        }
        b1 = Arrays.copyOfRange(p, first.biasOffset(), first.biasOffset() + h);
        w2 = Arrays.copyOfRange(p, last.weightOffset(), last.weightOffset() + h * d);
        b2 = Arrays.copyOfRange(p, last.biasOffset(), last.biasOffset() + d);
        this.kernel = vector ? VectorHolder.create(this) : new PlainKernel(this);
    }

    /**
     * Whether the network is a one-hidden-layer autoencoder {@code d → h → d} with a linear output.
     * @param net The network.
     * @return True when this class scores it.
     */
    public static boolean applies(FeedForwardNetwork net) {
        int[] s = net.sizes();
        return s.length == 3 && s[0] == s[2] && net.outputActivation() == Activation.IDENTITY;
    }

    /**
     * The fused scorer of a one-hidden-layer autoencoder, or null for any other network.
     * @param net The network (its parameters are copied).
     * @param mean The standardisation's means.
     * @param scale The standardisation's scales.
     * @return The scorer (Vector API kernel when available, else scalar), or null.
     */
    public static AutoencoderScorer of(FeedForwardNetwork net, float[] mean, float[] scale) {
        if (!applies(net)) {
            return null;
        }
        return new AutoencoderScorer(net, mean, scale, Kernels.get() != Kernels.plainJava());
    }

    /**
     * The scalar scorer (the specification; for tests and JVMs without the Vector API).
     * @param net The network.
     * @param mean The standardisation's means.
     * @param scale The standardisation's scales.
     * @return The scorer.
     */
    public static AutoencoderScorer plain(FeedForwardNetwork net, float[] mean, float[] scale) {
        if (!applies(net)) {
            throw new IllegalArgumentException("Not a one-hidden-layer autoencoder: sizes "
                    + Arrays.toString(net.sizes()));
        }
        return new AutoencoderScorer(net, mean, scale, false);
    }

    /**
     * The floats of scratch memory {@link #score} needs: the standardised sample (padded to whole registers by the
     * Vector API kernel) and the hidden layer.
     * @return The size.
     */
    public int scratchSize() {
        return kernel.scratchSize();
    }

    /**
     * The mean squared reconstruction error of one raw (unstandardised) sample; the input is not modified.
     * @param x The buffer.
     * @param offset The sample's first feature.
     * @param scratch At least {@link #scratchSize()} floats, overwritten.
     * @return The score.
     */
    public double score(float[] x, int offset, float[] scratch) {
        return kernel.score(x, offset, scratch);
    }

    /**
     * The kernel's name ("vector" or "plain").
     * @return The name.
     */
    public String name() {
        return kernel.name();
    }

    /** The scalar specification of the score. */
    double scorePlain(float[] x, int offset, float[] scratch) {
        // z [d] = (x − μ) / σ
        for (int j = 0; j < d; j++) {
            scratch[j] = (x[offset + j] - mean[j]) / scale[j];
        }
        // h [h] = f(b1 + z · W1)
        for (int o = 0; o < h; o++) {
            float a = 0f;
            int row = o * d;
            for (int j = 0; j < d; j++) {
                a = Math.fma(scratch[j], w1t[row + j], a);
            }
            scratch[d + o] = hidden.apply(a + b1[o]);
        }
        // S = mean_j (z_j − (b2_j + Σ_o h_o · W2[o, j]))²
        float err = 0f;
        for (int j = 0; j < d; j++) {
            float r = b2[j];
            for (int o = 0; o < h; o++) {
                r = Math.fma(scratch[d + o], w2[o * d + j], r);
            }
            float e = scratch[j] - r;
            err = Math.fma(e, e, err);
        }
        return (double) err / d;
    }


    /** The scalar kernel: {@link #scorePlain}. */
    private static final class PlainKernel implements Kernel {
        private final AutoencoderScorer s;

        PlainKernel(AutoencoderScorer s) {
            this.s = s;
        }

        @Override
        public double score(float[] x, int offset, float[] scratch) {
            return s.scorePlain(x, offset, scratch);
        }

        @Override
        public String name() {
            return "plain";
        }

        @Override
        public int scratchSize() {
            return s.d + s.h;
        }
    }

    /** Loads the Vector API kernel only when the module is present. */
    private static final class VectorHolder {
        static Kernel create(AutoencoderScorer s) {
            return new VectorAutoencoderKernel(s);
        }
    }
}
