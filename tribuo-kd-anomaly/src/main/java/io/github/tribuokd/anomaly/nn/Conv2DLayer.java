package io.github.tribuokd.anomaly.nn;

import java.util.SplittableRandom;

/**
 * A 2-D convolution with stride 1 and a square, odd kernel, on NCHW images (ONNX {@code Conv} with
 * {@code group = 1}, {@code dilations = 1}, {@code strides = 1}).
 * <p>
 * Each example is one image {@code [Cin, H, W]} flattened channel-major (channels, then rows, then columns); its
 * output is {@code [Cout, outH, outW]} flattened the same way. With same padding, {@code (k−1)/2} zeros pad every
 * side and {@code outH × outW = H × W}; without (valid), {@code outH = H−k+1}, {@code outW = W−k+1}.
 * <pre>
 *   y[co, oy, ox] = b[co] + Σ_{ci, ky, kx} W[co, ci, ky, kx] · x[ci, oy+ky−pad, ox+kx−pad]   (x = 0 outside)
 * </pre>
 * Parameter layout in the flat buffer: {@code W [Cout, Cin, k, k]} (ONNX's weight order), then {@code b [Cout]}.
 * <p>
 * The products are gemm calls through {@link Kernels#get()} on an im2col matrix: per group of {@code G} images
 * (as many as fit a column budget), {@code col [Cin·k·k, G·outH·outW]} holds in row {@code (ci, ky, kx)} and
 * column {@code (g, oy, ox)} the input pixel that weight meets at that output pixel, so that
 * {@code Y = W [Cout, Cin·k·k] · col}. Several images per product widen its n, which is what a small
 * {@code Cout} needs. Per output element the sum runs over (ci, ky, kx) in order whatever the grouping (the
 * kernels sum in a fixed order), so an image gets the same output alone as in a batch.
 * <p>
 * Scratch (col, the product before it is scattered to NCHW, and their gradients) is per thread and grows on
 * demand: after the first call of a thread, forward and backward allocate nothing, and several threads may use
 * one layer at once.
 */
public final class Conv2DLayer implements Layer {

    /** The largest im2col width (columns of a group of images), so that col stays around a megabyte or less. */
    private static final int MAX_GROUP_COLUMNS = 2048;

    /** Per-thread scratch shared by every convolution (layers of one thread run one at a time). */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    private final int inChannels;
    private final int height;
    private final int width;
    private final int outChannels;
    private final int kernel;
    private final boolean samePadding;
    private final int pad;
    private final int outHeight;
    private final int outWidth;
    private final Activation followingActivation;
    private float[] params;
    private int offset;

    /**
     * Creates a convolution.
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
        if (inChannels < 1 || height < 1 || width < 1 || outChannels < 1) {
            throw new IllegalArgumentException("Convolution sizes must be positive, found [" + inChannels + ", "
                    + height + ", " + width + "] -> " + outChannels + " channels");
        }
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("The kernel must be odd and positive, found " + kernel);
        }
        if (!samePadding && (kernel > height || kernel > width)) {
            throw new IllegalArgumentException("A " + kernel + "x" + kernel + " kernel without padding does not fit a "
                    + height + "x" + width + " image");
        }
        this.inChannels = inChannels;
        this.height = height;
        this.width = width;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.samePadding = samePadding;
        this.pad = samePadding ? (kernel - 1) / 2 : 0;
        this.outHeight = samePadding ? height : height - kernel + 1;
        this.outWidth = samePadding ? width : width - kernel + 1;
        this.followingActivation = followingActivation;
        long in = (long) inChannels * height * width;
        long out = (long) outChannels * outHeight * outWidth;
        long weights = (long) outChannels * inChannels * kernel * kernel + outChannels;
        if (in > Integer.MAX_VALUE || out > Integer.MAX_VALUE || weights > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Convolution too large for int indexing");
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
     * Whether the input is zero-padded to keep its size.
     * @return True for same padding, false for valid.
     */
    public boolean samePadding() {
        return samePadding;
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
    // per group of G images: col [Cin·k·k, G·P] = im2col(x) ; Y [Cout, G·P] = W [Cout, Cin·k·k] · col + b,
    // scattered to output [G, Cout, P] (P = outH·outW)
    public void forward(float[] input, int inputOffset, float[] output, int batch) {
        final int kk = patchSize();
        final int pixels = outHeight * outWidth;
        final int inSize = inputSize();
        final int outSize = outputSize();
        final int group = groupSize(batch);
        final int bo = biasOffset();
        float[][] s = SCRATCH.get();
        float[] col = scratch(s, 0, kk * group * pixels);
        float[] y = group == 1 ? null : scratch(s, 1, outChannels * group * pixels);
        MatrixKernels kernels = Kernels.get();
        for (int b0 = 0; b0 < batch; b0 += group) {
            int g = Math.min(group, batch - b0);
            int cols = g * pixels;
            for (int i = 0; i < g; i++) {
                im2col(input, inputOffset + (b0 + i) * inSize, col, i * pixels, cols);
            }
            if (g == 1) { // straight into the output image
                int outAt = b0 * outSize;
                kernels.gemm(false, false, outChannels, pixels, kk, 1f, params, weightOffset(), kk, col, 0, pixels,
                        0f, output, outAt, pixels);
                addBias(output, outAt, pixels, bo);
            } else {
                kernels.gemm(false, false, outChannels, cols, kk, 1f, params, weightOffset(), kk, col, 0, cols,
                        0f, y, 0, cols);
                for (int i = 0; i < g; i++) {
                    int outAt = (b0 + i) * outSize;
                    for (int co = 0; co < outChannels; co++) {
                        System.arraycopy(y, co * cols + i * pixels, output, outAt + co * pixels, pixels);
                    }
                    addBias(output, outAt, pixels, bo);
                }
            }
        }
    }

    /** {@code out[at + co·pixels + p] += b[co]} for one image. */
    private void addBias(float[] out, int at, int pixels, int bo) {
        for (int co = 0; co < outChannels; co++) {
            float bias = params[bo + co];
            int row = at + co * pixels;
            for (int p = 0; p < pixels; p++) {
                out[row + p] += bias;
            }
        }
    }

    // per group of G images: col = im2col(x) ; dY [Cout, G·P] gathered from outputGradient [G, Cout, P] ;
    // dW [Cout, Cin·k·k] += dY · colᵀ ; db [Cout] += Σ_pixels dY ; dcol [Cin·k·k, G·P] = Wᵀ · dY ; dX = col2im(dcol)
    @Override
    public void backward(float[] input, float[] output, float[] outputGradient, float[] inputGradient,
                         float[] gradients, int batch) {
        final int kk = patchSize();
        final int pixels = outHeight * outWidth;
        final int inSize = inputSize();
        final int outSize = outputSize();
        final int group = groupSize(batch);
        final int bo = biasOffset();
        final int wo = weightOffset();
        for (int b = 0; b < batch; b++) {
            int at = b * outSize;
            for (int co = 0; co < outChannels; co++) {
                int row = at + co * pixels;
                float sum = 0f;
                for (int p = 0; p < pixels; p++) {
                    sum += outputGradient[row + p];
                }
                gradients[bo + co] += sum;
            }
        }
        float[][] s = SCRATCH.get();
        float[] col = scratch(s, 0, kk * group * pixels);
        float[] dy = group == 1 ? null : scratch(s, 1, outChannels * group * pixels);
        float[] dcol = inputGradient == null ? null : scratch(s, 2, kk * group * pixels);
        MatrixKernels kernels = Kernels.get();
        for (int b0 = 0; b0 < batch; b0 += group) {
            int g = Math.min(group, batch - b0);
            int cols = g * pixels;
            for (int i = 0; i < g; i++) {
                im2col(input, (b0 + i) * inSize, col, i * pixels, cols);
            }
            float[] dyBuf;
            int dyOff;
            if (g == 1) { // the image's gradient is already [Cout, P]
                dyBuf = outputGradient;
                dyOff = b0 * outSize;
            } else {
                for (int i = 0; i < g; i++) {
                    int at = (b0 + i) * outSize;
                    for (int co = 0; co < outChannels; co++) {
                        System.arraycopy(outputGradient, at + co * pixels, dy, co * cols + i * pixels, pixels);
                    }
                }
                dyBuf = dy;
                dyOff = 0;
            }
            kernels.gemm(false, true, outChannels, kk, cols, 1f, dyBuf, dyOff, cols, col, 0, cols,
                    1f, gradients, wo, kk);
            if (inputGradient != null) {
                kernels.gemm(true, false, kk, cols, outChannels, 1f, params, wo, kk, dyBuf, dyOff, cols,
                        0f, dcol, 0, cols);
                for (int i = 0; i < g; i++) {
                    col2im(dcol, i * pixels, cols, inputGradient, (b0 + i) * inSize);
                }
            }
        }
    }

    /**
     * Writes one image's patches into columns {@code [colOff, colOff + outH·outW)} of col (rows {@code ldc}
     * apart): row {@code (ci, ky, kx)}, column {@code oy·outW + ox} gets {@code x[ci, oy+ky−pad, ox+kx−pad]}, or 0
     * in the padding. Per row of output pixels the valid span is one contiguous copy.
     */
    private void im2col(float[] x, int xOff, float[] col, int colOff, int ldc) {
        int row = 0;
        for (int ci = 0; ci < inChannels; ci++) {
            int plane = xOff + ci * height * width;
            for (int ky = 0; ky < kernel; ky++) {
                for (int kx = 0; kx < kernel; kx++, row++) {
                    int dst = colOff + row * ldc;
                    // output columns whose input column ox+kx−pad lies inside [0, width)
                    int x0 = Math.max(0, pad - kx);
                    int x1 = Math.min(outWidth, width + pad - kx);
                    for (int oy = 0; oy < outHeight; oy++, dst += outWidth) {
                        int iy = oy + ky - pad;
                        if (iy < 0 || iy >= height) {
                            for (int ox = 0; ox < outWidth; ox++) {
                                col[dst + ox] = 0f;
                            }
                            continue;
                        }
                        for (int ox = 0; ox < x0; ox++) {
                            col[dst + ox] = 0f;
                        }
                        System.arraycopy(x, plane + iy * width + x0 + kx - pad, col, dst + x0, x1 - x0);
                        for (int ox = x1; ox < outWidth; ox++) {
                            col[dst + ox] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #im2col}: overwrites one image's {@code dX [Cin, H, W]} with the scatter-add of
     * columns {@code [colOff, colOff + outH·outW)} of dcol (padding positions are dropped).
     */
    private void col2im(float[] dcol, int colOff, int ldc, float[] dx, int dxOff) {
        int plane = height * width;
        for (int i = 0; i < inChannels * plane; i++) {
            dx[dxOff + i] = 0f;
        }
        int row = 0;
        for (int ci = 0; ci < inChannels; ci++) {
            int base = dxOff + ci * plane;
            for (int ky = 0; ky < kernel; ky++) {
                for (int kx = 0; kx < kernel; kx++, row++) {
                    int src = colOff + row * ldc;
                    int x0 = Math.max(0, pad - kx);
                    int x1 = Math.min(outWidth, width + pad - kx);
                    int shift = kx - pad;
                    for (int oy = 0; oy < outHeight; oy++, src += outWidth) {
                        int iy = oy + ky - pad;
                        if (iy < 0 || iy >= height) {
                            continue;
                        }
                        int dst = base + iy * width + shift;
                        for (int ox = x0; ox < x1; ox++) {
                            dx[dst + ox] += dcol[src + ox];
                        }
                    }
                }
            }
        }
    }
}
