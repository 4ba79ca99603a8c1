package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.Kernels;
import io.github.tribuokd.nn.kernels.MatrixKernels;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A 2-D transposed convolution ("deconvolution") with a square kernel and a stride, on NCHW images: the adjoint of
 * the strided {@link Conv2DLayer} that maps an {@code outH × outW} image to {@code inH × inW}, as in MSCRED's
 * decoder (ONNX {@code ConvTranspose} with {@code group = 1}, {@code dilations = 1}).
 * <p>
 * Each example is one image {@code [Cin, inH, inW]} flattened channel-major; its output is
 * {@code [Cout, outH, outW]} with the output size given explicitly. Every input pixel spreads a {@code k × k}
 * patch of weights onto the output, the patches {@code s} pixels apart:
 * <pre>
 *   y[co, oy, ox] = b[co] + Σ_{ci, iy, ix, ky, kx : oy = iy·s + ky − padTop, ox = ix·s + kx − padLeft}
 *                                x[ci, iy, ix] · W[ci, co, ky, kx]
 * </pre>
 * Parameter layout in the flat buffer: {@code W [Cin, Cout, k, k]} (ONNX ConvTranspose's weight order), then
 * {@code b [Cout]}. Without the bias, this is exactly the input gradient of a {@link Conv2DLayer} from
 * {@code Cout} to {@code Cin} channels with the same weights (read as {@code [M = Cin, C = Cout, k, k]}), kernel,
 * stride and padding, i.e. {@code ⟨conv(x), y⟩ = ⟨x, convT(y)⟩}.
 * <p>
 * Padding (TensorFlow's "SAME" rule for {@code conv2d_transpose}): per axis, the full output of the patches has
 * {@code (in−1)·s + k} positions, and {@code total = (in−1)·s + k − out} of them are cropped, {@code floor(total/2)}
 * at the top/left and the rest at the bottom/right. When {@code total < 0} nothing is cropped and the last
 * {@code −total} output rows (columns) receive only the bias. This is ONNX ConvTranspose with
 * {@code pads = [padTop, padLeft, padBottom, padRight]} and {@code output_padding = [max(−totalH, 0),
 * max(−totalW, 0)]}, whose output size {@code s·(in−1) + output_padding + k − padBegin − padEnd} is then
 * {@code out}. An output size is reachable when {@code −(s−1) ≤ total ≤ 2(k−1)}: the strided convolution of an
 * {@code out}-sized image with these pads then has {@code in} positions, and every input pixel reaches the output
 * (each pad is at most {@code k−1}). For {@code out = in·s} (the default of {@link ConvNetSpec}'s {@code t} token)
 * {@code total = k − s}; for MSCRED's {@code 28 → 55} with {@code k = 3, s = 2} the pads are 1 and 1.
 * <p>
 * The products are gemm calls through {@link Kernels#get()}. Per group of {@code G} images (as many as fit 2048
 * input pixels):
 * <ul>
 *   <li>forward: {@code col [Cout·k·k, G·inH·inW] = Wᵀ · x [Cin, G·inH·inW]}, then col2im adds every entry
 *       {@code (co, ky, kx), (g, iy, ix)} to output pixel {@code (iy·s+ky−padTop, ix·s+kx−padLeft)} (dropping those
 *       in the padding) of an output initialised with the bias;</li>
 *   <li>backward: {@code colY [Cout·k·k, G·inH·inW] = im2col(dY)} (the patches that the forward pass wrote, read
 *       back: a strided convolution's im2col), then {@code dX [Cin, G·inH·inW] = W · colY} and
 *       {@code dW [Cin, Cout·k·k] += x · colYᵀ} (computed as {@code dWᵀ = colY · xᵀ} when {@code Cin ≤ Cout·k·k});
 *       no scatter in the backward pass.</li>
 * </ul>
 * The im2col and col2im routines are {@link Conv2DLayer}'s. Scratch is per thread and grows on demand: after the
 * first call of a thread, forward and backward allocate nothing, and several threads may use one layer at once.
 */
public final class ConvTranspose2DLayer implements Layer {

    /** The largest number of input pixels of a group of images (columns of col). */
    private static final int MAX_GROUP_COLUMNS = 2048;

    /** Per-thread scratch shared by every transposed convolution of the thread. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);
    /** Scratch slots: col or colY [Cout·k·k, G·P]; x or dX as [Cin, G·P]; dWᵀ [Cout·k·k, Cin]. */
    private static final int COL = 0, GATHER = 1, SMALL = 2;

    private final int inChannels;
    private final int inHeight;
    private final int inWidth;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int outHeight;
    private final int outWidth;
    private final int padTop;
    private final int padLeft;
    private final int padBottom;
    private final int padRight;
    private final int outputPaddingHeight;
    private final int outputPaddingWidth;
    private final Activation followingActivation;
    private float[] params;
    private int offset;

    /**
     * Creates a transposed convolution.
     * @param inChannels Input channels {@code Cin}.
     * @param inHeight Input rows {@code inH}.
     * @param inWidth Input columns {@code inW}.
     * @param outChannels Output channels {@code Cout}.
     * @param kernel The kernel's side {@code k ≥ 1}.
     * @param stride The stride {@code s ≥ 1}.
     * @param outHeight Output rows, with {@code (inH−1)·s − k + 2 ≤ outH ≤ (inH−1)·s + k + s − 1}.
     * @param outWidth Output columns, likewise.
     * @param followingActivation The activation applied after this layer; it picks the initialisation
     *                            (He uniform before ReLU, Glorot uniform otherwise).
     * @throws IllegalArgumentException If a size is not positive or an output size is not reachable.
     */
    public ConvTranspose2DLayer(int inChannels, int inHeight, int inWidth, int outChannels, int kernel, int stride,
                                int outHeight, int outWidth, Activation followingActivation) {
        if (inChannels < 1 || inHeight < 1 || inWidth < 1 || outChannels < 1 || outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("Transposed convolution sizes must be positive, found [" + inChannels
                    + ", " + inHeight + ", " + inWidth + "] -> [" + outChannels + ", " + outHeight + ", " + outWidth
                    + "]");
        }
        if (kernel < 1 || stride < 1) {
            throw new IllegalArgumentException("The kernel and stride must be positive, found kernel " + kernel
                    + ", stride " + stride);
        }
        checkReachable("rows", inHeight, outHeight, kernel, stride);
        checkReachable("columns", inWidth, outWidth, kernel, stride);
        this.inChannels = inChannels;
        this.inHeight = inHeight;
        this.inWidth = inWidth;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        int totalH = (inHeight - 1) * stride + kernel - outHeight;
        int totalW = (inWidth - 1) * stride + kernel - outWidth;
        this.padTop = Math.max(totalH, 0) / 2;
        this.padBottom = Math.max(totalH, 0) - padTop;
        this.padLeft = Math.max(totalW, 0) / 2;
        this.padRight = Math.max(totalW, 0) - padLeft;
        this.outputPaddingHeight = Math.max(-totalH, 0);
        this.outputPaddingWidth = Math.max(-totalW, 0);
        this.followingActivation = followingActivation;
        long in = (long) inChannels * inHeight * inWidth;
        long out = (long) outChannels * outHeight * outWidth;
        long weights = (long) inChannels * outChannels * kernel * kernel + outChannels;
        long col = (long) outChannels * kernel * kernel * Math.max(inHeight * inWidth, MAX_GROUP_COLUMNS);
        if (in > Integer.MAX_VALUE || out > Integer.MAX_VALUE || weights > Integer.MAX_VALUE
                || col > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Transposed convolution too large for int indexing");
        }
    }

    /** {@code −(s−1) ≤ (in−1)·s + k − out ≤ 2(k−1)}, with a message giving the reachable range. */
    private static void checkReachable(String axis, int in, int out, int kernel, int stride) {
        long full = (long) (in - 1) * stride + kernel;
        long min = full - 2L * (kernel - 1);
        long max = full + stride - 1;
        if (out < min || out > max) {
            throw new IllegalArgumentException("A transposed convolution with kernel " + kernel + " and stride "
                    + stride + " maps " + in + " " + axis + " to " + Math.max(min, 1) + ".." + max + " " + axis
                    + " (" + full + " without cropping), not " + out);
        }
    }

    /**
     * Input channels.
     * @return {@code Cin}.
     */
    public int inChannels() {
        return inChannels;
    }

    /**
     * Output channels.
     * @return {@code Cout}.
     */
    public int outChannels() {
        return outChannels;
    }

    /**
     * Input rows.
     * @return {@code inH}.
     */
    public int inHeight() {
        return inHeight;
    }

    /**
     * Input columns.
     * @return {@code inW}.
     */
    public int inWidth() {
        return inWidth;
    }

    /**
     * Output rows.
     * @return {@code outH}.
     */
    public int outHeight() {
        return outHeight;
    }

    /**
     * Output columns.
     * @return {@code outW}.
     */
    public int outWidth() {
        return outWidth;
    }

    /**
     * The kernel's side.
     * @return {@code k}.
     */
    public int kernel() {
        return kernel;
    }

    /**
     * The stride along both axes.
     * @return {@code s}.
     */
    public int stride() {
        return stride;
    }

    /**
     * Rows cropped at the top of the full output (ONNX {@code pads[0]}).
     * @return {@code padTop}.
     */
    public int padTop() {
        return padTop;
    }

    /**
     * Columns cropped at the left of the full output (ONNX {@code pads[1]}).
     * @return {@code padLeft}.
     */
    public int padLeft() {
        return padLeft;
    }

    /**
     * Rows cropped at the bottom of the full output (ONNX {@code pads[2]}).
     * @return {@code padBottom}.
     */
    public int padBottom() {
        return padBottom;
    }

    /**
     * Columns cropped at the right of the full output (ONNX {@code pads[3]}).
     * @return {@code padRight}.
     */
    public int padRight() {
        return padRight;
    }

    /**
     * Bias-only rows added below the full output (ONNX {@code output_padding[0]}), non-zero only when
     * {@code outH > (inH−1)·s + k}.
     * @return The extra rows, less than the stride.
     */
    public int outputPaddingHeight() {
        return outputPaddingHeight;
    }

    /**
     * Bias-only columns added right of the full output (ONNX {@code output_padding[1]}).
     * @return The extra columns, less than the stride.
     */
    public int outputPaddingWidth() {
        return outputPaddingWidth;
    }

    /**
     * Multiply-accumulates of one example's forward pass, counting every product of the gemm (also those that
     * col2im then drops in the cropped border).
     * @return {@code Cin·Cout·k·k·inH·inW}.
     */
    public long multiplyAccumulates() {
        return (long) inChannels * outChannels * kernel * kernel * inHeight * inWidth;
    }

    @Override
    public int inputSize() {
        return inChannels * inHeight * inWidth;
    }

    @Override
    public int outputSize() {
        return outChannels * outHeight * outWidth;
    }

    @Override
    public int numParameters() {
        return inChannels * patchSize() + outChannels;
    }

    /** Rows of col: {@code Cout·k·k}. */
    private int patchSize() {
        return outChannels * kernel * kernel;
    }

    @Override
    public void bind(float[] parameters, int offset) {
        this.params = parameters;
        this.offset = offset;
    }

    /**
     * Offset of the weights {@code W [Cin, Cout, k, k]} in the flat buffer.
     * @return The offset.
     */
    public int weightOffset() {
        return offset;
    }

    /**
     * Offset of the bias {@code b [Cout]} in the flat buffer.
     * @return The offset.
     */
    public int biasOffset() {
        return offset + inChannels * patchSize();
    }

    /**
     * He uniform before ReLU, Glorot uniform otherwise, with the fan-in taken as the number of terms of an
     * output pixel, {@code Cin·ceil(k/s)²} (at most; fewer near the border), and the fan-out likewise
     * {@code Cout·ceil(k/s)²}.
     * @param rng The random source.
     */
    @Override
    public void initialise(SplittableRandom rng) {
        int taps = (kernel + stride - 1) / stride;
        int fanIn = inChannels * taps * taps;
        int fanOut = outChannels * taps * taps;
        double limit = followingActivation == Activation.RELU ? Math.sqrt(6.0 / fanIn)
                : Math.sqrt(6.0 / (fanIn + fanOut));
        int w = weightOffset();
        int n = inChannels * patchSize();
        for (int i = 0; i < n; i++) {
            params[w + i] = (float) ((rng.nextDouble() * 2.0 - 1.0) * limit);
        }
        int b = biasOffset();
        for (int o = 0; o < outChannels; o++) {
            params[b + o] = 0f;
        }
    }

    /** Images per group: as many as fit {@link #MAX_GROUP_COLUMNS} input pixels, at least one. */
    private int groupSize(int batch) {
        return Math.max(1, Math.min(batch, MAX_GROUP_COLUMNS / (inHeight * inWidth)));
    }

    /** The thread's scratch, slot {@code i} grown to at least {@code n} floats. */
    private static float[] scratch(float[][] s, int i, int n) {
        if (s[i].length < n) {
            s[i] = new float[n];
        }
        return s[i];
    }

    @Override
    public void forward(float[] input, float[] output, int batch) {
        forward(input, 0, output, batch);
    }

    /**
     * The forward pass reading the images from an offset of a larger buffer.
     * @param input {@code [.., Cin·inH·inW]}.
     * @param inputOffset The first element of the first image.
     * @param output {@code [batch, Cout·outH·outW]}, overwritten.
     * @param batch The number of images.
     */
    // output [B, Cout, outH·outW] = b [Cout] (broadcast)
    // per group of G images (P = inH·inW):
    //   xs [Cin, G·P] gathered from x [G, Cin, P]   (x used in place when G = 1)
    //   col [Cout·k·k, G·P] = Wᵀ · xs               (W stored [Cin, Cout·k·k])
    //   output[g] += col2im(col columns of image g): entry ((co, ky, kx), (iy, ix)) goes to
    //     output[g, co, iy·s+ky−padTop, ix·s+kx−padLeft] when inside [0, outH) × [0, outW)
    public void forward(float[] input, int inputOffset, float[] output, int batch) {
        final int kk = patchSize();
        final int pixels = inHeight * inWidth;
        final int inSize = inputSize();
        final int outSize = outputSize();
        final int outPlane = outHeight * outWidth;
        final int group = groupSize(batch);
        final int bo = biasOffset();
        for (int b = 0; b < batch; b++) {
            for (int co = 0; co < outChannels; co++) {
                int row = b * outSize + co * outPlane;
                Arrays.fill(output, row, row + outPlane, params[bo + co]);
            }
        }
        float[][] s = SCRATCH.get();
        float[] col = scratch(s, COL, kk * group * pixels);
        float[] xs = group == 1 ? null : scratch(s, GATHER, inChannels * group * pixels);
        MatrixKernels kernels = Kernels.get();
        for (int b0 = 0; b0 < batch; b0 += group) {
            int g = Math.min(group, batch - b0);
            int cols = g * pixels;
            float[] xBuf;
            int xOff;
            if (g == 1) { // one image is already [Cin, P]
                xBuf = input;
                xOff = inputOffset + b0 * inSize;
            } else {
                Conv2DLayer.gather(input, inputOffset + b0 * inSize, inChannels, pixels, g, xs, cols);
                xBuf = xs;
                xOff = 0;
            }
            kernels.gemm(true, false, kk, cols, inChannels, 1f, params, weightOffset(), kk, xBuf, xOff, cols,
                    0f, col, 0, cols);
            for (int i = 0; i < g; i++) {
                Conv2DLayer.col2im(col, i * pixels, cols, outChannels, outHeight, outWidth, kernel, stride, padTop,
                        padLeft, inHeight, inWidth, output, (b0 + i) * outSize);
            }
        }
    }

    // db [Cout] += Σ_{images, pixels} dY
    // per group of G images (P = inH·inW):
    //   colY [Cout·k·k, G·P] = im2col(dY [G, Cout, outH, outW]) with stride s, pads padTop/padLeft: entry
    //     ((co, ky, kx), (g, iy, ix)) = dY[g, co, iy·s+ky−padTop, ix·s+kx−padLeft] (0 outside), i.e. dy/dcol
    //   xs [Cin, G·P] gathered from x [G, Cin, P]   (x used in place when G = 1)
    //   dW [Cin, Cout·k·k] += xs · colYᵀ, computed as dWᵀ [Cout·k·k, Cin] = colY · xsᵀ when Cin ≤ Cout·k·k
    //   dX [Cin, G·P] = W [Cin, Cout·k·k] · colY (straight into dX when G = 1, else into xs, then scattered)
    @Override
    public void backward(float[] input, float[] output, float[] outputGradient, float[] inputGradient,
                         float[] gradients, int batch) {
        final int kk = patchSize();
        final int pixels = inHeight * inWidth;
        final int inSize = inputSize();
        final int outSize = outputSize();
        final int outPlane = outHeight * outWidth;
        final int group = groupSize(batch);
        final int bo = biasOffset();
        final int wo = weightOffset();
        for (int b = 0; b < batch; b++) {
            for (int co = 0; co < outChannels; co++) {
                int row = b * outSize + co * outPlane;
                float sum = 0f;
                for (int p = 0; p < outPlane; p++) {
                    sum += outputGradient[row + p];
                }
                gradients[bo + co] += sum;
            }
        }
        final boolean transposedWeightGradient = inChannels <= kk;
        float[][] s = SCRATCH.get();
        float[] colY = scratch(s, COL, kk * group * pixels);
        float[] xs = group == 1 ? null : scratch(s, GATHER, inChannels * group * pixels);
        float[] dwt = transposedWeightGradient ? scratch(s, SMALL, kk * inChannels) : null;
        MatrixKernels kernels = Kernels.get();
        for (int b0 = 0; b0 < batch; b0 += group) {
            int g = Math.min(group, batch - b0);
            int cols = g * pixels;
            for (int i = 0; i < g; i++) {
                Conv2DLayer.im2col(outputGradient, (b0 + i) * outSize, outChannels, outHeight, outWidth, kernel,
                        stride, padTop, padLeft, inHeight, inWidth, colY, i * pixels, cols);
            }
            float[] xBuf;
            int xOff;
            if (g == 1) {
                xBuf = input;
                xOff = b0 * inSize;
            } else {
                Conv2DLayer.gather(input, b0 * inSize, inChannels, pixels, g, xs, cols);
                xBuf = xs;
                xOff = 0;
            }
            if (transposedWeightGradient) {
                kernels.gemm(false, true, kk, inChannels, cols, 1f, colY, 0, cols, xBuf, xOff, cols,
                        b0 == 0 ? 0f : 1f, dwt, 0, inChannels);
            } else {
                kernels.gemm(false, true, inChannels, kk, cols, 1f, xBuf, xOff, cols, colY, 0, cols,
                        1f, gradients, wo, kk);
            }
            if (inputGradient != null) {
                if (g == 1) {
                    kernels.gemm(false, false, inChannels, pixels, kk, 1f, params, wo, kk, colY, 0, pixels,
                            0f, inputGradient, b0 * inSize, pixels);
                } else { // xs is free again: the weight gradient is done with it
                    kernels.gemm(false, false, inChannels, cols, kk, 1f, params, wo, kk, colY, 0, cols,
                            0f, xs, 0, cols);
                    Conv2DLayer.scatter(xs, cols, inChannels, pixels, g, inputGradient, b0 * inSize);
                }
            }
        }
        if (transposedWeightGradient) {
            Conv2DLayer.addTransposed(dwt, 0, kk, inChannels, gradients, wo);
        }
    }
}
