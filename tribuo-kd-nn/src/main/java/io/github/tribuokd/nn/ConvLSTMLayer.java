package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.Kernels;
import io.github.tribuokd.nn.kernels.MatrixKernels;

import java.util.SplittableRandom;

/**
 * A convolutional LSTM over a sequence of images (Shi et al., "Convolutional LSTM Network: A Machine Learning
 * Approach for Precipitation Nowcasting", NeurIPS 2015), the recurrent unit of MSCRED (Zhang et al., "A Deep Neural
 * Network for Unsupervised Anomaly Detection and Diagnosis in Multivariate Time Series Data", AAAI 2019: its
 * attention-based ConvLSTM, whose hidden maps MSCRED's temporal attention weighs by its equation (6)) and of the
 * teacher and student models of seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md) ("attention-based ConvLSTM layers", its §2.1, Figure 2, and §3.3).
 * <p>
 * Per time step t, for every image of the batch, with {@code *} a "same"-padded convolution of an odd k×k kernel
 * and stride 1 over the channel concatenation {@code [x_t ; h_{t−1}]}:
 * <pre>
 *   z_t = W * [x_t ; h_{t−1}] + b          [4·Ch, H, W], split into four blocks of Ch channels, in the order
 *   i_t = σ(z_t[0:Ch])                     input gate
 *   f_t = σ(z_t[Ch:2Ch])                   forget gate
 *   o_t = σ(z_t[2Ch:3Ch])                  output gate
 *   g_t = tanh(z_t[3Ch:4Ch])               candidate cell
 *   c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
 *   h_t = o_t ⊙ tanh(c_t)
 * </pre>
 * This is the standard form without peephole terms. Shi et al.'s equation (3) adds Hadamard products
 * {@code W_c ⊙ c} to the gates; MSCRED's original TensorFlow code (its {@code cnn_lstm_attention_layer}) uses
 * {@code tf.contrib.rnn.ConvLSTMCell}, which computes the gates exactly as above: one convolution of the
 * concatenation, no peepholes, with a constant forget bias of 1.0 (here: the forget bias's initial value). (Some
 * PyTorch ports of MSCRED use a cell with peepholes instead; this layer does not.) MSCRED's code uses 2×2 kernels
 * with TensorFlow's asymmetric "same" padding; this layer takes odd kernels only, padded (k−1)/2 on every side.
 * The gate order i, f, o, g is that of the common PyTorch ConvLSTM cells ({@code i, f, o, g = split(conv([x; h]))});
 * TensorFlow's cell splits its convolution as g, i, f, o, and {@link LSTMLayer} uses i, f, g, o, so weights moved
 * between them need a permutation of the four output-channel blocks.
 * <p>
 * <b>Shapes.</b> An image is {@code [C, H, W]} flattened channel-major (NCHW, as in {@link Conv2DLayer}); x_t is
 * {@code [batch, Cin, H, W]}, h_t and c_t are {@code [batch, Ch, H, W]} (same H and W). As a {@link RecurrentLayer},
 * {@link #inputSize()} is {@code Cin·H·W} and {@link #hiddenSize()} is {@code Ch·H·W}; sequences are time-major
 * {@code [steps, batch, C·H·W]} and states ({@link RecurrentState}) are {@code [batch, Ch·H·W]}. Because an image
 * is channel-major, the channel concatenation {@code [x_t ; h_{t−1}]} of one example is the concatenation of the
 * two flat vectors.
 * <p>
 * <b>Parameter layout</b> in the flat buffer, from the bound offset: {@code W [4Ch, Cin+Ch, k, k]} (ONNX's
 * convolution weight order; input channels 0..Cin−1 act on x, Cin..Cin+Ch−1 on h), then {@code b [4Ch]}, gate
 * blocks i, f, o, g. The convolution itself is a {@link Conv2DLayer} bound to this slice (im2col and gemm).
 * <p>
 * <b>Initialisation</b>, like {@link LSTMLayer}'s: weights uniform in ±1/sqrt(fanIn) with
 * {@code fanIn = (Cin+Ch)·k·k} (PyTorch's default for the {@code nn.Conv2d} of a ConvLSTM cell, the convolutional
 * counterpart of nn.LSTM's ±1/sqrt(H)); b zero except the forget-gate block, which starts at 1.0 so that the cell
 * remembers by default (Gers et al. 2000; Jozefowicz et al., ICML 2015).
 * <p>
 * <b>Cost.</b> Forward: per step one convolution, i.e. one gemm {@code [4Ch, (Cin+Ch)k²]·[(Cin+Ch)k², batch·H·W]}
 * (grouped as {@link Conv2DLayer} does), plus O(Ch·H·W) element-wise work per image. Backward: per step the
 * weight-gradient and input-gradient gemms of that convolution, twice the forward's multiply-adds.
 * <p>
 * Everything backward needs (the concatenated inputs {@code [x_t ; h_{t−1}]}, the activated gates, c_t and
 * tanh(c_t)) is kept in a per-thread cache from {@link #newCache}; forward and backward allocate nothing once a
 * thread's convolution scratch has grown. The layer holds no per-call state: several threads may share it, each
 * with its own cache.
 */
public final class ConvLSTMLayer extends AbstractRecurrentLayer<ConvLSTMLayer.ConvLSTMCache> {

    private final int inChannels;
    private final int hiddenChannels;
    private final int height;
    private final int width;
    private final int kernel;
    /** The gate convolution: {@code [Cin+Ch, H, W] → [4Ch, H, W]}, same padding (its own initialise is unused). */
    private final Conv2DLayer conv;

    /**
     * Creates a convolutional LSTM layer.
     * @param inChannels Input channels {@code Cin} of each x_t.
     * @param hiddenChannels Hidden channels {@code Ch} of h_t and c_t.
     * @param height Rows {@code H} of every map.
     * @param width Columns {@code W} of every map.
     * @param kernel The kernel's side {@code k}: odd and positive ("same" padding, stride 1).
     */
    public ConvLSTMLayer(int inChannels, int hiddenChannels, int height, int width, int kernel) {
        super("A ConvLSTM", "A ConvLSTMLayer", ConvLSTMCache.class,
                checkedInputSize(inChannels, hiddenChannels, height, width, kernel), hiddenChannels * height * width,
                true);
        this.inChannels = inChannels;
        this.hiddenChannels = hiddenChannels;
        this.height = height;
        this.width = width;
        this.kernel = kernel;
        this.conv = new Conv2DLayer(inChannels + hiddenChannels, height, width, 4 * hiddenChannels, kernel, true,
                Activation.SIGMOID);
    }

    /** Checks the sizes (before anything is computed from them) and returns {@code Cin·H·W}. */
    private static int checkedInputSize(int inChannels, int hiddenChannels, int height, int width, int kernel) {
        if (inChannels < 1 || hiddenChannels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("ConvLSTM sizes must be positive, found input channels " + inChannels
                    + ", hidden channels " + hiddenChannels + ", maps " + height + "x" + width);
        }
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("The kernel must be odd and positive, found " + kernel);
        }
        long hid = (long) hiddenChannels * height * width;
        if (4L * hid > Integer.MAX_VALUE || (long) (inChannels + hiddenChannels) * height * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ConvLSTM too large for int indexing");
        }
        return inChannels * height * width;
    }

    /**
     * Input channels.
     * @return {@code Cin}.
     */
    public int inChannels() {
        return inChannels;
    }

    /**
     * Hidden channels.
     * @return {@code Ch}.
     */
    public int hiddenChannels() {
        return hiddenChannels;
    }

    /**
     * Rows of every map.
     * @return {@code H}.
     */
    public int height() {
        return height;
    }

    /**
     * Columns of every map.
     * @return {@code W}.
     */
    public int width() {
        return width;
    }

    /**
     * The kernel's side.
     * @return {@code k}.
     */
    public int kernel() {
        return kernel;
    }

    /**
     * {@code 4Ch·(Cin+Ch)·k·k + 4Ch}.
     * @return The parameter count.
     */
    @Override
    public int numParameters() {
        return conv.numParameters();
    }

    /**
     * Multiply-accumulates of one forward step for one image (the gate convolution; the element-wise work is
     * O(Ch·H·W) besides).
     * @return {@code 4Ch·(Cin+Ch)·k·k·H·W}.
     */
    public long multiplyAccumulatesPerStep() {
        return conv.multiplyAccumulates();
    }

    /**
     * Binds this layer, and its gate convolution, to its slice of a flat parameter buffer.
     * @param parameters The parameter buffer.
     * @param offset The first index of this layer's parameters.
     */
    @Override
    public void bind(float[] parameters, int offset) {
        super.bind(parameters, offset);
        conv.bind(parameters, offset);
    }

    /**
     * Offset of the weights {@code W [4Ch, Cin+Ch, k, k]} (gate blocks i, f, o, g) in the flat buffer.
     * @return The offset.
     */
    public int weightOffset() {
        return boundOffset();
    }

    /**
     * Offset of the bias {@code b [4Ch]} (blocks i, f, o, g) in the flat buffer.
     * @return The offset.
     */
    public int biasOffset() {
        return conv.biasOffset();
    }

    /**
     * W uniform in ±1/sqrt((Cin+Ch)·k·k) (row-major), b zero except the forget-gate block at 1.0.
     * @param rng The random source.
     */
    @Override
    public void initialise(SplittableRandom rng) {
        double limit = 1.0 / Math.sqrt((double) (inChannels + hiddenChannels) * kernel * kernel);
        final float[] params = boundParameters();
        int w = weightOffset();
        int nWeights = biasOffset() - w;
        for (int i = 0; i < nWeights; i++) {
            params[w + i] = (float) ((rng.nextDouble() * 2.0 - 1.0) * limit);
        }
        int b = biasOffset();
        for (int j = 0; j < 4 * hiddenChannels; j++) {
            params[b + j] = (j >= hiddenChannels && j < 2 * hiddenChannels) ? 1f : 0f;
        }
    }

    @Override
    public Cache newCache(int maxBatch, int maxSteps) {
        return new ConvLSTMCache(inputSize(), hiddenSize(), maxBatch, maxSteps);
    }

    // x [T, B, Cin·H·W], h_0, c_0 [B, Ch·H·W] (block 0 of k.h, k.c) -> h_t, c_t in block t of k.h, k.c;
    // keeps [x_t ; h_{t−1}], the activated gates and tanh(c_t) in the cache.
    @Override
    void forwardSteps(float[] x, int batch, int steps, ConvLSTMCache k) {
        final int I = inputSize();
        final int D = hiddenSize();          // Ch·H·W: one gate block of one image
        final int G = 4 * D;                 // one image's gates [4Ch, H, W]
        final int XH = I + D;                // one image's [x_t ; h_{t−1}]
        final int bd = batch * D;
        final MatrixKernels mk = Kernels.get();
        for (int t = 0; t < steps; t++) {
            final float[] xh = k.xh[t];       // [B, Cin+Ch, H, W]
            final float[] z = k.gates[t];     // [B, 4Ch, H, W]
            // xh[b] = [x_t[b] ; h_{t−1}[b]]   (h_{t−1} is block t of k.h)
            for (int b = 0; b < batch; b++) {
                System.arraycopy(x, (t * batch + b) * I, xh, b * XH, I);
                System.arraycopy(k.h, t * bd + b * D, xh, b * XH + I, D);
            }
            // z [B, 4Ch, H, W] = W * xh + b
            conv.forward(xh, 0, z, batch);
            for (int b = 0; b < batch; b++) {
                int zr = b * G;                  // this image's gates: i at zr, f at zr+D, o at zr+2D, g at zr+3D
                int sr = (t * batch + b) * D;    // row in [T, B, D] arrays (tanh c)
                int prev = t * bd + b * D;       // row of block t (state before the step)
                int cur = prev + bd;             // row of block t + 1 (state after the step)
                mk.activate(Activation.SIGMOID, z, zr, z, zr, 3 * D);          // i, f, o
                mk.activate(Activation.TANH, z, zr + 3 * D, z, zr + 3 * D, D);  // g
                for (int j = 0; j < D; j++) {
                    // c_t = f ⊙ c_{t−1} + i ⊙ g
                    k.c[cur + j] = z[zr + D + j] * k.c[prev + j] + z[zr + j] * z[zr + 3 * D + j];
                }
                mk.activate(Activation.TANH, k.c, cur, k.tanhC, sr, D);
                for (int j = 0; j < D; j++) {
                    // h_t = o ⊙ tanh(c_t)
                    k.h[cur + j] = z[zr + 2 * D + j] * k.tanhC[sr + j];
                }
            }
        }
    }

    // dH [T, B, Ch·H·W], dh_T, dc_T [B, Ch·H·W] (in k.dhNext, k.dcNext) -> dX [T, B, Cin·H·W], dW, db (added),
    // dh_0, dc_0 [B, Ch·H·W] (left in k.dhNext, k.dcNext)
    @Override
    void backwardSteps(float[] dH, int batch, int steps, ConvLSTMCache k, float[] dX, float[] gradients,
                       boolean needInitial) {
        final int D = hiddenSize();
        final int I = inputSize();
        final int G = 4 * D;
        final int XH = I + D;
        final int bd = batch * D;
        final float[] dz = k.dZ;         // [B, 4Ch, H, W]: dLoss/dz_t of the current step
        final float[] dxh = k.dXH;       // [B, Cin+Ch, H, W]: dLoss/d[x_t ; h_{t−1}]
        final float[] dhNext = k.dhNext; // [B, D]: dLoss/dh_t flowing back from step t + 1
        final float[] dcNext = k.dcNext; // [B, D]: dLoss/dc_t flowing back from step t + 1
        for (int t = steps - 1; t >= 0; t--) {
            final float[] z = k.gates[t];
            for (int b = 0; b < batch; b++) {
                int zr = b * G;
                int sr = (t * batch + b) * D;
                int prev = t * bd + b * D;
                int nb = b * D;
                for (int j = 0; j < D; j++) {
                    float ig = z[zr + j];
                    float fg = z[zr + D + j];
                    float og = z[zr + 2 * D + j];
                    float gg = z[zr + 3 * D + j];
                    float tc = k.tanhC[sr + j];
                    // dh_t = dH_t + (from step t+1); dc_t = (from t+1) + dh_t ⊙ o_t ⊙ (1 − tanh²c_t)
                    float dh = (dH == null ? 0f : dH[sr + j]) + dhNext[nb + j];
                    float dc = dcNext[nb + j] + dh * og * (1f - tc * tc);
                    dz[zr + j] = dc * gg * ig * (1f - ig);                   // d z_i
                    dz[zr + D + j] = dc * k.c[prev + j] * fg * (1f - fg);    // d z_f
                    dz[zr + 2 * D + j] = dh * tc * og * (1f - og);           // d z_o
                    dz[zr + 3 * D + j] = dc * ig * (1f - gg * gg);           // d z_g
                    dcNext[nb + j] = dc * fg;                                // dc_{t−1}
                }
            }
            // dW += dZ ⊛ xh, db += Σ dZ, dxh [B, Cin+Ch, H, W] = Wᵀ ⊛ dZ   (the convolution's backward);
            // the first step's dxh is only needed for dX or dInitial
            if (t == 0 && dX == null && !needInitial) {
                conv.backward(k.xh[t], z, dz, null, gradients, batch);
                break;
            }
            conv.backward(k.xh[t], z, dz, dxh, gradients, batch);
            // split dxh[b] = [dx_t[b] ; dh_{t−1}[b]]
            for (int b = 0; b < batch; b++) {
                if (dX != null) {
                    System.arraycopy(dxh, b * XH, dX, (t * batch + b) * I, I);
                }
                System.arraycopy(dxh, b * XH + I, dhNext, b * D, D);
            }
        }
    }

    @Override
    public String toString() {
        return "ConvLSTMLayer(in=" + inChannels + ",hidden=" + hiddenChannels + ",maps=" + height + "x" + width
                + ",kernel=" + kernel + ")";
    }

    /**
     * Scratch of a ConvLSTM: per step the concatenated inputs and the activated gates (one array per step, since
     * the convolution reads and writes whole arrays), tanh of the cell, and one step's gradients.
     */
    static final class ConvLSTMCache extends StepCache {
        final float[][] xh;    // [T][B, Cin+Ch, H, W]: [x_t ; h_{t−1}]
        final float[][] gates; // [T][B, 4Ch, H, W]: i, f, o, g after their nonlinearity
        final float[] tanhC;   // [T, B, Ch·H·W]: tanh(c_t)
        final float[] dZ;      // [B, 4Ch, H, W]
        final float[] dXH;     // [B, Cin+Ch, H, W]

        ConvLSTMCache(int in, int hidden, int maxBatch, int maxSteps) {
            super(in, hidden, maxBatch, maxSteps, true);
            int xhSize = Math.multiplyExact(maxBatch, in + hidden);
            int gateSize = Math.multiplyExact(maxBatch, Math.multiplyExact(4, hidden));
            xh = new float[maxSteps][xhSize];
            gates = new float[maxSteps][gateSize];
            tanhC = new float[Math.multiplyExact(Math.multiplyExact(maxSteps, maxBatch), hidden)];
            dZ = new float[gateSize];
            dXH = new float[xhSize];
        }
    }
}
