package io.github.tribuokd.nn;

import java.util.SplittableRandom;

/**
 * Average pooling over non-overlapping {@code pool × pool} windows of NCHW images (ONNX {@code AveragePool} with
 * {@code kernel_shape = strides = [pool, pool]}, no padding, {@code ceil_mode = 0}).
 * <p>
 * An example {@code [C, H, W]} gives {@code [C, ⌊H/pool⌋, ⌊W/pool⌋]}; rows and columns past the last whole window
 * are dropped (and get a zero gradient).
 * <pre>
 *   y[c, oy, ox] = (1/pool²) · Σ_{dy, dx &lt; pool} x[c, oy·pool+dy, ox·pool+dx]
 * </pre>
 * No parameters.
 */
public final class AvgPool2DLayer implements Layer {

    private final int channels;
    private final int height;
    private final int width;
    private final int pool;
    private final int outHeight;
    private final int outWidth;

    /**
     * Creates an average-pooling layer.
     * @param channels Channels {@code C}.
     * @param height Input rows {@code H}.
     * @param width Input columns {@code W}.
     * @param pool The window's side, also the stride.
     */
    public AvgPool2DLayer(int channels, int height, int width, int pool) {
        if (channels < 1 || height < 1 || width < 1 || pool < 1) {
            throw new IllegalArgumentException("Pooling sizes must be positive, found [" + channels + ", " + height
                    + ", " + width + "] pool " + pool);
        }
        if (pool > height || pool > width) {
            throw new IllegalArgumentException("A " + pool + "x" + pool + " pool does not fit a " + height + "x"
                    + width + " image");
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pool = pool;
        this.outHeight = height / pool;
        this.outWidth = width / pool;
    }

    /**
     * Channels.
     * @return {@code C}.
     */
    public int channels() {
        return channels;
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
     * @return {@code ⌊H/pool⌋}.
     */
    public int outHeight() {
        return outHeight;
    }

    /**
     * Output columns.
     * @return {@code ⌊W/pool⌋}.
     */
    public int outWidth() {
        return outWidth;
    }

    /**
     * The window's side (and stride).
     * @return The pool size.
     */
    public int pool() {
        return pool;
    }

    /**
     * Floating-point operations of one example's forward pass, for throughput figures: every pooled input is one
     * add and every output one multiply by {@code 1/pool²}, {@code C·outH·outW·(pool² + 1)}. Not counted as
     * multiply-accumulates.
     * @return The operation count.
     */
    public long operations() {
        return (long) channels * outHeight * outWidth * (pool * pool + 1);
    }

    @Override
    public int inputSize() {
        return channels * height * width;
    }

    @Override
    public int outputSize() {
        return channels * outHeight * outWidth;
    }

    @Override
    public int numParameters() {
        return 0;
    }

    @Override
    public void bind(float[] parameters, int offset) { }

    @Override
    public void initialise(SplittableRandom rng) { }

    // input [B, C, H, W] -> output [B, C, H/p, W/p]: window sums, rows of a window added in order, times 1/p²
    @Override
    public void forward(float[] input, float[] output, int batch) {
        final float scale = 1f / (pool * pool);
        final int planes = batch * channels;
        final int inPlane = height * width;
        final int outPlane = outHeight * outWidth;
        for (int c = 0; c < planes; c++) {
            int in = c * inPlane;
            int out = c * outPlane;
            for (int oy = 0; oy < outHeight; oy++) {
                int dst = out + oy * outWidth;
                int srcRow = in + oy * pool * width;
                for (int ox = 0; ox < outWidth; ox++) {
                    int src = srcRow + ox * pool;
                    float sum = 0f;
                    for (int dy = 0; dy < pool; dy++) {
                        int r = src + dy * width;
                        for (int dx = 0; dx < pool; dx++) {
                            sum += input[r + dx];
                        }
                    }
                    output[dst + ox] = sum * scale;
                }
            }
        }
    }

    // dX[b, c, y, x] = dY[b, c, y/p, x/p] / p² inside the pooled area, 0 in the dropped remainder
    @Override
    public void backward(float[] input, float[] output, float[] outputGradient, float[] inputGradient,
                         float[] gradients, int batch) {
        if (inputGradient == null) {
            return;
        }
        final float scale = 1f / (pool * pool);
        final int planes = batch * channels;
        final int inPlane = height * width;
        final int outPlane = outHeight * outWidth;
        final int usedWidth = outWidth * pool;
        for (int c = 0; c < planes; c++) {
            int in = c * inPlane;
            int out = c * outPlane;
            for (int oy = 0; oy < outHeight; oy++) {
                int first = in + oy * pool * width; // the window's first input row, built once and copied
                int src = out + oy * outWidth;
                for (int ox = 0; ox < outWidth; ox++) {
                    float g = outputGradient[src + ox] * scale;
                    int d = first + ox * pool;
                    for (int j = 0; j < pool; j++) {
                        inputGradient[d + j] = g;
                    }
                }
                for (int x = usedWidth; x < width; x++) {
                    inputGradient[first + x] = 0f;
                }
                for (int dy = 1; dy < pool; dy++) {
                    System.arraycopy(inputGradient, first, inputGradient, first + dy * width, width);
                }
            }
            for (int i = in + outHeight * pool * width; i < in + inPlane; i++) {
                inputGradient[i] = 0f;
            }
        }
    }
}
