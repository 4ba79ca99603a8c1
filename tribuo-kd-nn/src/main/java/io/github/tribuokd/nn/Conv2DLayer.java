// Over 600 lines: one layer with its forward and backward passes side by side (as every layer of the engine),
// the im2col/col2im lowering they share and the strided/padded index arithmetic; splitting would separate a pass
// from its gradient.
package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.Kernels;
import io.github.tribuokd.nn.kernels.MatrixKernels;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A 2-D convolution with a square kernel, a stride and explicit zero padding, on NCHW images (ONNX {@code Conv}
 * with {@code group = 1}, {@code dilations = 1}, {@code strides = [s, s]},
 * {@code pads = [padTop, padLeft, padBottom, padRight]}).
 * <p>
 * Each example is one image {@code [Cin, H, W]} flattened channel-major (channels, then rows, then columns); its
 * output is {@code [Cout, outH, outW]} flattened the same way, with
 * <pre>
 *   outH = floor((H + padTop + padBottom − k) / s) + 1          outW = floor((W + padLeft + padRight − k) / s) + 1
 *   y[co, oy, ox] = b[co] + Σ_{ci, ky, kx} W[co, ci, ky, kx] · x[ci, oy·s+ky−padTop, ox·s+kx−padLeft]   (x = 0 outside)
 * </pre>
 * The classic constructor {@link #Conv2DLayer(int, int, int, int, int, boolean, Activation)} makes the stride-1
 * layers of the seed: "same" padding ({@code (k−1)/2} zeros on every side, odd k, output {@code H × W}) or "valid"
 * (no padding, output {@code (H−k+1) × (W−k+1)}). {@link #tfSame} makes TensorFlow's "SAME" padding for any stride
 * and kernel (output {@code ceil(H/s) × ceil(W/s)}, the odd zero of an uneven total at the bottom/right, as in
 * MSCRED's encoder), and the general constructor takes any stride and padding.
 * Parameter layout in the flat buffer: {@code W [Cout, Cin, k, k]} (ONNX's weight order), then {@code b [Cout]}.
 * <p>
 * The products are gemm calls through {@link Kernels#get()} on im2col matrices. Per group of {@code G} images (as
 * many as fit 2048 columns; several images per product widen its n, which is what a small
 * {@code Cout} needs):
 * <ul>
 *   <li>forward: {@code col [Cin·k·k, G·outH·outW]} holds in row {@code (ci, ky, kx)} and column
 *       {@code (g, oy, ox)} the input pixel that weight meets at that output pixel, and
 *       {@code Y [Cout, G·outH·outW] = W [Cout, Cin·k·k] · col};</li>
 *   <li>weight gradient: {@code dW += dY · colᵀ}, computed as {@code dWᵀ = col · dYᵀ} when {@code Cout ≤ Cin·k·k}
 *       (the kernels then pack the smaller operand);</li>
 *   <li>input gradient, stride 1: a stride-1 convolution's input gradient is the convolution of dY, padded by
 *       {@code k−1−padTop} above and {@code k−1−padLeft} on the left, with the kernel flipped in both axes and its
 *       channel axes swapped, so it is an im2col of dY and one more forward-shaped product, with no scatter-add
 *       (col2im);</li>
 *   <li>input gradient, stride {@code s > 1}: {@code dcol [Cin·k·k, G·outH·outW] = Wᵀ · dY}, scattered back to the
 *       pixels each column entry came from (col2im, the adjoint of im2col). This is the forward pass of
 *       {@link ConvTranspose2DLayer}, which shares these im2col and col2im routines.</li>
 * </ul>
 * Each element of a product is summed over its inner index in a fixed order whatever the grouping, so an image's
 * output does not depend on the batch around it (with the Vector API kernels bit for bit, except for 1-pixel
 * outputs, where a single image takes the kernels' dot-product path).
 * <p>
 * Scratch (the im2col matrices, products before they are scattered to NCHW, the flipped kernel) is per thread,
 * shared by the convolutions of that thread, and grows on demand: after the first call of a thread, forward and
 * backward allocate nothing, and several threads may use one layer at once.
 */
public final class Conv2DLayer implements Layer {

    /** The largest im2col width (columns of a group of images), so that col stays around a megabyte or less. */
    private static final int MAX_GROUP_COLUMNS = 2048;

    /** The side of the square blocks in which {@link #addTransposed} and the flipped kernel's copy walk a matrix. */
    private static final int TILE = 32;

    /** Per-thread scratch shared by every convolution (layers of one thread run one at a time). */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[5][0]);
    /** Scratch slots: im2col of x; Y or dY as [Cout, G·P]; im2col of dY; dX as [Cin, G·H·W]; dWᵀ and Wf. */
    private static final int COL = 0, GATHER = 1, COL_DY = 2, GATHER_DX = 3, SMALL = 4;

    private final int inChannels;
    private final int height;
    private final int width;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padTop;
    private final int padLeft;
    private final int padBottom;
    private final int padRight;
    private final int outHeight;
    private final int outWidth;
    private final Activation followingActivation;
    private float[] params;
    private int offset;

    /**
     * Creates a stride-1 convolution with "same" or "valid" padding.
     * @param inChannels Input channels {@code Cin}.
     * @param height Input rows {@code H}.
     * @param width Input columns {@code W}.
     * @param outChannels Output channels {@code Cout}.
     * @param kernel The kernel's side {@code k}, odd.
     * @param samePadding True pads {@code (k−1)/2} zeros on every side (output {@code H × W}); false uses no padding
     *                    (output {@code (H−k+1) × (W−k+1)}).
     * @param followingActivation The activation applied after this layer; it picks the initialisation
     *                            (He uniform before ReLU, Glorot uniform otherwise).
     */
    public Conv2DLayer(int inChannels, int height, int width, int outChannels, int kernel, boolean samePadding,
                       Activation followingActivation) {
        this(inChannels, height, width, outChannels, kernel, 1, classicPadding(kernel, samePadding, height, width),
                followingActivation);
    }

    /**
     * Creates a convolution with any stride and explicit, possibly asymmetric, zero padding.
     * @param inChannels Input channels {@code Cin}.
     * @param height Input rows {@code H}.
     * @param width Input columns {@code W}.
     * @param outChannels Output channels {@code Cout}.
     * @param kernel The kernel's side {@code k ≥ 1} (odd or even).
     * @param stride The stride {@code s ≥ 1}, the same along both axes.
     * @param padTop Zero rows above the image.
     * @param padLeft Zero columns left of the image.
     * @param padBottom Zero rows below the image.
     * @param padRight Zero columns right of the image.
     * @param followingActivation The activation applied after this layer; it picks the initialisation
     *                            (He uniform before ReLU, Glorot uniform otherwise).
     * @throws IllegalArgumentException If a size is not positive, a pad is negative, or the kernel does not fit
     *                                  the padded image.
     */
    public Conv2DLayer(int inChannels, int height, int width, int outChannels, int kernel, int stride,
                       int padTop, int padLeft, int padBottom, int padRight, Activation followingActivation) {
        this(inChannels, height, width, outChannels, kernel, stride, new int[]{padTop, padLeft, padBottom, padRight},
                followingActivation);
    }

    /** @param pads {@code [top, left, bottom, right]}. */
    private Conv2DLayer(int inChannels, int height, int width, int outChannels, int kernel, int stride, int[] pads,
                        Activation followingActivation) {
        if (inChannels < 1 || height < 1 || width < 1 || outChannels < 1) {
            throw new IllegalArgumentException("Convolution sizes must be positive, found [" + inChannels + ", "
                    + height + ", " + width + "] -> " + outChannels + " channels");
        }
        if (kernel < 1 || stride < 1) {
            throw new IllegalArgumentException("The kernel and stride must be positive, found kernel " + kernel
                    + ", stride " + stride);
        }
        if (pads[0] < 0 || pads[1] < 0 || pads[2] < 0 || pads[3] < 0) {
            throw new IllegalArgumentException("Padding must not be negative, found [top, left, bottom, right] = "
                    + Arrays.toString(pads));
        }
        long paddedH = (long) height + pads[0] + pads[2];
        long paddedW = (long) width + pads[1] + pads[3];
        if (kernel > paddedH || kernel > paddedW) {
            throw new IllegalArgumentException("A " + kernel + "x" + kernel + " kernel does not fit a " + height + "x"
                    + width + " image padded to " + paddedH + "x" + paddedW);
        }
        this.inChannels = inChannels;
        this.height = height;
        this.width = width;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padTop = pads[0];
        this.padLeft = pads[1];
        this.padBottom = pads[2];
        this.padRight = pads[3];
        this.outHeight = (int) ((paddedH - kernel) / stride + 1);
        this.outWidth = (int) ((paddedW - kernel) / stride + 1);
        this.followingActivation = followingActivation;
        long in = (long) inChannels * height * width;
        long out = (long) outChannels * outHeight * outWidth;
        long weights = (long) outChannels * inChannels * kernel * kernel + outChannels;
        if (in > Integer.MAX_VALUE || out > Integer.MAX_VALUE || weights > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Convolution too large for int indexing");
        }
    }

    /** The four pads of the classic constructor, after its checks (odd kernel; a valid kernel fits). */
    private static int[] classicPadding(int kernel, boolean samePadding, int height, int width) {
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("The kernel must be odd and positive, found " + kernel);
        }
        if (!samePadding && (kernel > height || kernel > width)) {
            throw new IllegalArgumentException("A " + kernel + "x" + kernel + " kernel without padding does not fit a "
                    + height + "x" + width + " image");
        }
        int p = samePadding ? (kernel - 1) / 2 : 0;
        return new int[]{p, p, p, p};
    }

    /**
     * A convolution with TensorFlow's "SAME" padding (MSCRED's encoder): output {@code ceil(H/s) × ceil(W/s)},
     * padding per axis from {@link #tfSamePadding(int, int, int)}. For stride 1 and an odd kernel this is the
     * classic same padding.
     * @param inChannels Input channels {@code Cin}.
     * @param height Input rows {@code H}.
     * @param width Input columns {@code W}.
     * @param outChannels Output channels {@code Cout}.
     * @param kernel The kernel's side {@code k ≥ 1}.
     * @param stride The stride {@code s ≥ 1}.
     * @param followingActivation The activation applied after this layer.
     * @return The layer.
     */
    public static Conv2DLayer tfSame(int inChannels, int height, int width, int outChannels, int kernel, int stride,
                                     Activation followingActivation) {
        int[] v = tfSamePadding(height, kernel, stride);
        int[] h = tfSamePadding(width, kernel, stride);
        return new Conv2DLayer(inChannels, height, width, outChannels, kernel, stride, v[0], h[0], v[1], h[1],
                followingActivation);
    }

    /**
     * TensorFlow's "SAME" padding along one axis: the output has {@code out = ceil(in/s)} positions, the total
     * padding is {@code max((out−1)·s + k − in, 0)}, of which {@code floor(total/2)} goes before the image
     * (top/left) and the rest after it (bottom/right), one more when the total is odd.
     * @param in The input size along the axis.
     * @param kernel The kernel size {@code k ≥ 1}.
     * @param stride The stride {@code s ≥ 1}.
     * @return {@code {before, after}}.
     */
    public static int[] tfSamePadding(int in, int kernel, int stride) {
        if (in < 1 || kernel < 1 || stride < 1) {
            throw new IllegalArgumentException("TF-SAME padding needs positive sizes, found in " + in + ", kernel "
                    + kernel + ", stride " + stride);
        }
        int out = (in + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + kernel - in, 0);
        return new int[]{total / 2, total - total / 2};
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
     * @return {@code H}.
     */
    public int inHeight() {
        return height;
    }

    /**
     * Input columns.
     * @return {@code W}.
     */
    public int inWidth() {
        return width;
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
     * Zero rows above the image.
     * @return {@code padTop}.
     */
    public int padTop() {
        return padTop;
    }

    /**
     * Zero columns left of the image.
     * @return {@code padLeft}.
     */
    public int padLeft() {
        return padLeft;
    }

    /**
     * Zero rows below the image.
     * @return {@code padBottom}.
     */
    public int padBottom() {
        return padBottom;
    }

    /**
     * Zero columns right of the image.
     * @return {@code padRight}.
     */
    public int padRight() {
        return padRight;
    }

    /**
     * Whether the layer keeps the image size: stride 1 and {@code outH × outW = H × W} (the classic same padding,
     * or TF-SAME padding with stride 1; also a 1×1 kernel without padding).
     * @return True for a size-preserving convolution.
     */
    public boolean samePadding() {
        return stride == 1 && outHeight == height && outWidth == width;
    }

    /**
     * Multiply-accumulates of one example's forward pass.
     * @return {@code Cout·Cin·k·k·outH·outW}.
     */
    public long multiplyAccumulates() {
        return (long) outChannels * inChannels * kernel * kernel * outHeight * outWidth;
    }

    @Override
    public int inputSize() {
        return inChannels * height * width;
    }

    @Override
    public int outputSize() {
        return outChannels * outHeight * outWidth;
    }

    @Override
    public int numParameters() {
        return outChannels * patchSize() + outChannels;
    }

    /** Rows of col: {@code Cin·k·k}. */
    private int patchSize() {
        return inChannels * kernel * kernel;
    }

    @Override
    public void bind(float[] parameters, int offset) {
        this.params = parameters;
        this.offset = offset;
    }

    /**
     * Offset of the weights {@code W [Cout, Cin, k, k]} in the flat buffer.
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
        return offset + outChannels * patchSize();
    }

    @Override
    public void initialise(SplittableRandom rng) {
        int fanIn = patchSize();
        int fanOut = outChannels * kernel * kernel;
        double limit = followingActivation == Activation.RELU ? Math.sqrt(6.0 / fanIn)
                : Math.sqrt(6.0 / (fanIn + fanOut));
        int w = weightOffset();
        for (int i = 0; i < outChannels * fanIn; i++) {
            params[w + i] = (float) ((rng.nextDouble() * 2.0 - 1.0) * limit);
        }
        int b = biasOffset();
        for (int o = 0; o < outChannels; o++) {
            params[b + o] = 0f;
        }
    }

    /** Images per im2col group: as many as fit {@link #MAX_GROUP_COLUMNS}, at least one. */
    private int groupSize(int batch) {
        return Math.max(1, Math.min(batch, MAX_GROUP_COLUMNS / (outHeight * outWidth)));
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
     * The forward pass reading the images from an offset of a larger buffer (no copy of a chunk).
     * @param input {@code [.., Cin·H·W]}.
     * @param inputOffset The first element of the first image.
     * @param output {@code [batch, Cout·outH·outW]}, overwritten.
     * @param batch The number of images.
     */
    // per group of G images (P = outH·outW):
    //   col [Cin·k·k, G·P] = im2col(x [G, Cin, H, W])   (stride s, pads top/left; bottom/right by the bounds)
    //   Y [Cout, G·P] = W [Cout, Cin·k·k] · col          (straight into the output when G = 1)
    //   output [G, Cout, P] = Y (per image) + b [Cout]
    public void forward(float[] input, int inputOffset, float[] output, int batch) {
        final int kk = patchSize();
        final int pixels = outHeight * outWidth;
        final int inSize = inputSize();
        final int outSize = outputSize();
        final int group = groupSize(batch);
        float[][] s = SCRATCH.get();
        float[] col = scratch(s, COL, kk * group * pixels);
        float[] y = group == 1 ? null : scratch(s, GATHER, outChannels * group * pixels);
        MatrixKernels kernels = Kernels.get();
        for (int b0 = 0; b0 < batch; b0 += group) {
            int g = Math.min(group, batch - b0);
            int cols = g * pixels;
            for (int i = 0; i < g; i++) {
                im2col(input, inputOffset + (b0 + i) * inSize, inChannels, height, width, kernel, stride, padTop,
                        padLeft, outHeight, outWidth, col, i * pixels, cols);
            }
            if (g == 1) {
                kernels.gemm(false, false, outChannels, pixels, kk, 1f, params, weightOffset(), kk, col, 0, pixels,
                        0f, output, b0 * outSize, pixels);
            } else {
                kernels.gemm(false, false, outChannels, cols, kk, 1f, params, weightOffset(), kk, col, 0, cols,
                        0f, y, 0, cols);
                scatter(y, cols, outChannels, pixels, g, output, b0 * outSize);
            }
        }
        final int bo = biasOffset();
        for (int b = 0; b < batch; b++) {
            for (int co = 0; co < outChannels; co++) {
                float bias = params[bo + co];
                int row = b * outSize + co * pixels;
                for (int p = 0; p < pixels; p++) {
                    output[row + p] += bias;
                }
            }
        }
    }

    // db [Cout] += Σ_{images, pixels} dY
    // per group of G images:
    //   dY [Cout, G·P] gathered from outputGradient [G, Cout, P] (used in place when G = 1)
    //   col [Cin·k·k, G·P] = im2col(x)
    //   dW [Cout, Cin·k·k] += dY · colᵀ, computed as dWᵀ [Cin·k·k, Cout] = col · dYᵀ when Cout ≤ Cin·k·k (the
    //     kernels then pack the smaller dY instead of col)
    //   dX, stride 1: the input gradient of a stride-1 convolution is a convolution of dY with the flipped,
    //     transposed kernel, padded by k−1−padTop above and k−1−padLeft on the left:
    //       dX[ci, y, x] = Σ_{co, ky, kx} Wf[ci, co, ky, kx] · dY[co, y+ky−(k−1−padTop), x+kx−(k−1−padLeft)]
    //     with Wf[ci, co, ky, kx] = W[co, ci, k−1−ky, k−1−kx]; so colY [Cout·k·k, G·H·W] = im2col(dY) and
    //     dX [Cin, G·H·W] = Wf [Cin, Cout·k·k] · colY, scattered to [G, Cin, H, W]
    //   dX, stride s > 1: dcol [Cin·k·k, G·P] = Wᵀ · dY (into col, which dW no longer needs), then
    //     dX [G, Cin, H, W] = col2im(dcol): every entry goes back to the input pixel that im2col read it from
    @Override
    public void backward(float[] input, float[] output, float[] outputGradient, float[] inputGradient,
                         float[] gradients, int batch) {
        final int kk = patchSize();
        final int kkOut = outChannels * kernel * kernel;
        final int pixels = outHeight * outWidth;
        final int plane = height * width;
        final int inSize = inputSize();
        final int outSize = outputSize();
        final int group = groupSize(batch);
        final int bo = biasOffset();
        final int wo = weightOffset();
        for (int b = 0; b < batch; b++) {
            for (int co = 0; co < outChannels; co++) {
                int row = b * outSize + co * pixels;
                float sum = 0f;
                for (int p = 0; p < pixels; p++) {
                    sum += outputGradient[row + p];
                }
                gradients[bo + co] += sum;
            }
        }
        final boolean transposedWeightGradient = outChannels <= kk;
        final boolean needDx = inputGradient != null;
        final boolean flippedDx = needDx && stride == 1;
        float[][] s = SCRATCH.get();
        float[] col = scratch(s, COL, kk * group * pixels);
        float[] dy = group == 1 ? null : scratch(s, GATHER, outChannels * group * pixels);
        float[] small = scratch(s, SMALL, kk * outChannels * 2);
        int dwtAt = 0, flippedAt = kk * outChannels; // dWᵀ [kk, Cout], then Wf [Cin, Cout·k·k]
        float[] colY = null, dxs = null;
        final int flipTop = kernel - 1 - padTop;
        final int flipLeft = kernel - 1 - padLeft;
        if (flippedDx) {
            colY = scratch(s, COL_DY, kkOut * group * plane);
            dxs = group == 1 ? null : scratch(s, GATHER_DX, inChannels * group * plane);
            // in TILE × TILE blocks of (ci, co): a plain (ci, co) loop reads W with a stride of Cin·k·k floats,
            // a cache miss per kernel once W outgrows the cache (a 256 → 1024-channel ConvLSTM gate convolution)
            for (int ci0 = 0; ci0 < inChannels; ci0 += TILE) {
                int ci1 = Math.min(inChannels, ci0 + TILE);
                for (int co0 = 0; co0 < outChannels; co0 += TILE) {
                    int co1 = Math.min(outChannels, co0 + TILE);
                    for (int ci = ci0; ci < ci1; ci++) {
                        for (int co = co0; co < co1; co++) {
                            for (int ky = 0; ky < kernel; ky++) {
                                for (int kx = 0; kx < kernel; kx++) {
                                    small[flippedAt + ((ci * outChannels + co) * kernel + ky) * kernel + kx] =
                                            params[wo + ((co * inChannels + ci) * kernel + kernel - 1 - ky) * kernel
                                                    + kernel - 1 - kx];
                                }
                            }
                        }
                    }
                }
            }
        }
        MatrixKernels kernels = Kernels.get();
        for (int b0 = 0; b0 < batch; b0 += group) {
            int g = Math.min(group, batch - b0);
            int cols = g * pixels;
            float[] dyBuf;
            int dyOff;
            if (g == 1) { // one image's gradient is already [Cout, P]
                dyBuf = outputGradient;
                dyOff = b0 * outSize;
            } else {
                gather(outputGradient, b0 * outSize, outChannels, pixels, g, dy, cols);
                dyBuf = dy;
                dyOff = 0;
            }
            for (int i = 0; i < g; i++) {
                im2col(input, (b0 + i) * inSize, inChannels, height, width, kernel, stride, padTop, padLeft,
                        outHeight, outWidth, col, i * pixels, cols);
            }
            if (transposedWeightGradient) {
                kernels.gemm(false, true, kk, outChannels, cols, 1f, col, 0, cols, dyBuf, dyOff, cols,
                        b0 == 0 ? 0f : 1f, small, dwtAt, outChannels);
            } else {
                kernels.gemm(false, true, outChannels, kk, cols, 1f, dyBuf, dyOff, cols, col, 0, cols,
                        1f, gradients, wo, kk);
            }
            if (flippedDx) {
                int dxCols = g * plane;
                for (int i = 0; i < g; i++) {
                    im2col(outputGradient, (b0 + i) * outSize, outChannels, outHeight, outWidth, kernel, 1, flipTop,
                            flipLeft, height, width, colY, i * plane, dxCols);
                }
                if (g == 1) {
                    kernels.gemm(false, false, inChannels, plane, kkOut, 1f, small, flippedAt, kkOut, colY, 0, plane,
                            0f, inputGradient, b0 * inSize, plane);
                } else {
                    kernels.gemm(false, false, inChannels, dxCols, kkOut, 1f, small, flippedAt, kkOut, colY, 0,
                            dxCols, 0f, dxs, 0, dxCols);
                    scatter(dxs, dxCols, inChannels, plane, g, inputGradient, b0 * inSize);
                }
            } else if (needDx) {
                // dcol [Cin·k·k, G·P] = Wᵀ · dY, written over col (the weight gradient is done with it)
                kernels.gemm(true, false, kk, cols, outChannels, 1f, params, wo, kk, dyBuf, dyOff, cols,
                        0f, col, 0, cols);
                for (int i = 0; i < g; i++) {
                    int dx = (b0 + i) * inSize;
                    Arrays.fill(inputGradient, dx, dx + inSize, 0f);
                    col2im(col, i * pixels, cols, inChannels, height, width, kernel, stride, padTop, padLeft,
                            outHeight, outWidth, inputGradient, dx);
                }
            }
        }
        if (transposedWeightGradient) {
            addTransposed(small, dwtAt, kk, outChannels, gradients, wo);
        }
    }

    /**
     * {@code dst[dstOff + c·rows + r] += src[srcOff + r·cols + c]}: adds the transpose of {@code src [rows, cols]}
     * to {@code dst [cols, rows]}, in {@link #TILE} × TILE blocks so that both sides stay in cache (each element is
     * added once, so the result does not depend on the order).
     */
    static void addTransposed(float[] src, int srcOff, int rows, int cols, float[] dst, int dstOff) {
        for (int c0 = 0; c0 < cols; c0 += TILE) {
            int c1 = Math.min(cols, c0 + TILE);
            for (int r0 = 0; r0 < rows; r0 += TILE) {
                int r1 = Math.min(rows, r0 + TILE);
                for (int c = c0; c < c1; c++) {
                    int d = dstOff + c * rows;
                    for (int r = r0; r < r1; r++) {
                        dst[d + r] += src[srcOff + r * cols + c];
                    }
                }
            }
        }
    }

    /** {@code dst [G, C, P]} (images from {@code dstOff}) from {@code src [C, G·P]} (rows {@code ld} apart). */
    static void scatter(float[] src, int ld, int channels, int pixels, int g, float[] dst, int dstOff) {
        for (int i = 0; i < g; i++) {
            for (int c = 0; c < channels; c++) {
                System.arraycopy(src, c * ld + i * pixels, dst, dstOff + (i * channels + c) * pixels, pixels);
            }
        }
    }

    /** {@code dst [C, G·P]} (rows {@code ld} apart) from {@code src [G, C, P]} (images from {@code srcOff}). */
    static void gather(float[] src, int srcOff, int channels, int pixels, int g, float[] dst, int ld) {
        for (int i = 0; i < g; i++) {
            for (int c = 0; c < channels; c++) {
                System.arraycopy(src, srcOff + (i * channels + c) * pixels, dst, c * ld + i * pixels, pixels);
            }
        }
    }

    /**
     * im2col of one image {@code x [C, inH, inW]} (from {@code xOff}) for a {@code k × k} kernel with stride
     * {@code s} and top/left padding {@code pT}/{@code pL}: writes columns {@code [colOff, colOff + outH·outW)} of
     * col (rows {@code ldc} apart); row {@code (c, ky, kx)}, column {@code oy·outW + ox} gets
     * {@code x[c, oy·s+ky−pT, ox·s+kx−pL]}, or 0 outside the image (so the bottom/right padding is implied by
     * {@code outH}/{@code outW}; the pads may also be negative, which crops). Conv2DLayer's forward pass uses it on
     * x; its stride-1 backward on dY with padding {@code k−1−pad}; {@link ConvTranspose2DLayer}'s backward on dY.
     * <p>
     * Stride 1: when {@code outW = inW} (same-size geometry) a row of col is the input plane shifted by
     * {@code (ky−pT)·inW + kx−pL}: one long copy, after which the entries per output row that wrapped around from
     * the neighbouring image row are zeroed. Otherwise each output row is a copy of its own (between zeroed
     * margins). Copies are {@link System#arraycopy}, which the JIT turns into vector moves. Stride {@code s > 1}:
     * each output row is a strided gather of its input row.
     */
    static void im2col(float[] x, int xOff, int channels, int inH, int inW, int k, int s, int pT, int pL,
                       int outH, int outW, float[] col, int colOff, int ldc) {
        if (s != 1) {
            stridedIm2col(x, xOff, channels, inH, inW, k, s, pT, pL, outH, outW, col, colOff, ldc);
            return;
        }
        final int pixels = outH * outW;
        final int plane = inH * inW;
        final boolean shifted = outW == inW;
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int src = xOff + c * plane;
            for (int ky = 0; ky < k; ky++) {
                int dy = ky - pT;
                // output rows whose input row oy+dy lies inside [0, inH)
                int oy0 = Math.max(0, -dy), oy1 = Math.min(outH, inH - dy);
                for (int kx = 0; kx < k; kx++, row++) {
                    int dx = kx - pL;
                    // output columns whose input column ox+dx lies inside [0, inW)
                    int x0 = Math.max(0, -dx), x1 = Math.min(outW, inW - dx);
                    int dst = colOff + row * ldc;
                    if (oy1 <= oy0 || x1 <= x0) { // this tap sees only padding
                        zero(col, dst, dst + pixels);
                        continue;
                    }
                    if (shifted) {
                        int begin = oy0 * outW + x0, end = (oy1 - 1) * outW + x1;
                        zero(col, dst, dst + begin);
                        System.arraycopy(x, src + begin + dy * inW + dx, col, dst + begin, end - begin);
                        zero(col, dst + end, dst + pixels);
                        if (x0 > 0) { // left margins of rows oy0+1 .. oy1−1 hold the previous row's last pixels
                            for (int oy = oy0 + 1; oy < oy1; oy++) {
                                zero(col, dst + oy * outW, dst + oy * outW + x0);
                            }
                        }
                        if (x1 < outW) { // right margins of rows oy0 .. oy1−2 hold the next row's first pixels
                            for (int oy = oy0; oy < oy1 - 1; oy++) {
                                zero(col, dst + oy * outW + x1, dst + (oy + 1) * outW);
                            }
                        }
                    } else {
                        zero(col, dst, dst + oy0 * outW);
                        for (int oy = oy0; oy < oy1; oy++) {
                            int d = dst + oy * outW;
                            zero(col, d, d + x0);
                            System.arraycopy(x, src + (oy + dy) * inW + x0 + dx, col, d + x0, x1 - x0);
                            zero(col, d + x1, d + outW);
                        }
                        zero(col, dst + oy1 * outW, dst + pixels);
                    }
                }
            }
        }
    }

    /** {@link #im2col} for a stride {@code s > 1}. */
    private static void stridedIm2col(float[] x, int xOff, int channels, int inH, int inW, int k, int s, int pT,
                                      int pL, int outH, int outW, float[] col, int colOff, int ldc) {
        final int pixels = outH * outW;
        final int plane = inH * inW;
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int src = xOff + c * plane;
            for (int ky = 0; ky < k; ky++) {
                int dy = ky - pT;
                // output rows whose input row oy·s+dy lies inside [0, inH)
                int oy0 = firstInside(dy, s), oy1 = Math.min(outH, endInside(dy, s, inH));
                for (int kx = 0; kx < k; kx++, row++) {
                    int dx = kx - pL;
                    int x0 = firstInside(dx, s), x1 = Math.min(outW, endInside(dx, s, inW));
                    int dst = colOff + row * ldc;
                    if (oy1 <= oy0 || x1 <= x0) { // this tap sees only padding
                        zero(col, dst, dst + pixels);
                        continue;
                    }
                    zero(col, dst, dst + oy0 * outW);
                    for (int oy = oy0; oy < oy1; oy++) {
                        int d = dst + oy * outW;
                        int from = src + (oy * s + dy) * inW + dx;
                        zero(col, d, d + x0);
                        for (int ox = x0; ox < x1; ox++) {
                            col[d + ox] = x[from + ox * s];
                        }
                        zero(col, d + x1, d + outW);
                    }
                    zero(col, dst + oy1 * outW, dst + pixels);
                }
            }
        }
    }

    /**
     * col2im, the adjoint of {@link #im2col}: adds every entry of columns {@code [colOff, colOff + outH·outW)} of
     * col (rows {@code ldc} apart) to the pixel of {@code x [C, inH, inW]} (from {@code xOff}) that im2col would
     * read it from, {@code x[c, oy·s+ky−pT, ox·s+kx−pL] += col[(c, ky, kx), oy·outW + ox]}, dropping entries that
     * fall in the padding. x is accumulated into, not cleared. Conv2DLayer's strided backward uses it for dX, and
     * {@link ConvTranspose2DLayer}'s forward pass for y.
     */
    static void col2im(float[] col, int colOff, int ldc, int channels, int inH, int inW, int k, int s, int pT,
                       int pL, int outH, int outW, float[] x, int xOff) {
        final int plane = inH * inW;
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int dstPlane = xOff + c * plane;
            for (int ky = 0; ky < k; ky++) {
                int dy = ky - pT;
                int oy0 = firstInside(dy, s), oy1 = Math.min(outH, endInside(dy, s, inH));
                for (int kx = 0; kx < k; kx++, row++) {
                    int dx = kx - pL;
                    int x0 = firstInside(dx, s), x1 = Math.min(outW, endInside(dx, s, inW));
                    int src = colOff + row * ldc;
                    for (int oy = oy0; oy < oy1; oy++) {
                        int d = dstPlane + (oy * s + dy) * inW + dx;
                        int from = src + oy * outW;
                        if (s == 1) {
                            for (int ox = x0; ox < x1; ox++) {
                                x[d + ox] += col[from + ox];
                            }
                        } else {
                            for (int ox = x0; ox < x1; ox++) {
                                x[d + ox * s] += col[from + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /** The first output position {@code o ≥ 0} with {@code o·s + shift ≥ 0}: {@code max(0, ceil(−shift/s))}. */
    private static int firstInside(int shift, int s) {
        return Math.max(0, -Math.floorDiv(shift, s));
    }

    /** One past the last output position with {@code o·s + shift < size}: {@code floor((size−1−shift)/s) + 1}. */
    private static int endInside(int shift, int s, int size) {
        return Math.floorDiv(size - 1 - shift, s) + 1;
    }

    private static void zero(float[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            buf[i] = 0f;
        }
    }
}
