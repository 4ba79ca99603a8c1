package io.github.tribuokd.nn;

import java.util.SplittableRandom;

/**
 * Nearest-neighbour upsampling of NCHW images by an integer factor: every pixel becomes a {@code factor × factor}
 * block (ONNX {@code Resize} with {@code mode = nearest} and scales {@code [1, 1, f, f]}, which for integer scales
 * picks source pixel {@code ⌊y/f⌋} under the default half-pixel coordinates with round-prefer-floor as well as
 * under asymmetric/floor; also the deprecated {@code Upsample}).
 * <pre>
 *   y[c, oy, ox] = x[c, ⌊oy/f⌋, ⌊ox/f⌋]      dX[c, y, x] = Σ_{dy, dx &lt; f} dY[c, y·f+dy, x·f+dx]
 * </pre>
 * An example {@code [C, H, W]} gives {@code [C, H·f, W·f]}. No parameters.
 */
public final class Upsample2DLayer implements Layer {

    private final int channels;
    private final int height;
    private final int width;
    private final int factor;

    /**
     * Creates an upsampling layer.
     * @param channels Channels {@code C}.
     * @param height Input rows {@code H}.
     * @param width Input columns {@code W}.
     * @param factor The integer scale {@code f} of both sides.
     */
    public Upsample2DLayer(int channels, int height, int width, int factor) {
        if (channels < 1 || height < 1 || width < 1 || factor < 1) {
            throw new IllegalArgumentException("Upsampling sizes must be positive, found [" + channels + ", " + height
                    + ", " + width + "] factor " + factor);
        }
        if ((long) channels * height * width * factor * factor > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Upsampled image too large for int indexing");
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.factor = factor;
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
     * @return {@code H·f}.
     */
    public int outHeight() {
        return height * factor;
    }

    /**
     * Output columns.
     * @return {@code W·f}.
     */
    public int outWidth() {
        return width * factor;
    }

    /**
     * The integer scale.
     * @return {@code f}.
     */
    public int factor() {
        return factor;
    }

    @Override
    public int inputSize() {
        return channels * height * width;
    }

    @Override
    public int outputSize() {
        return channels * height * width * factor * factor;
    }

    @Override
    public int numParameters() {
        return 0;
    }

    @Override
    public void bind(float[] parameters, int offset) { }

    @Override
    public void initialise(SplittableRandom rng) { }

    // input [B, C, H, W] -> output [B, C, H·f, W·f]: build each widened row once, copy it f times
    @Override
    public void forward(float[] input, float[] output, int batch) {
        final int planes = batch * channels;
        final int outW = width * factor;
        for (int c = 0; c < planes; c++) {
            int in = c * height * width;
            int out = c * height * factor * outW;
            for (int y = 0; y < height; y++) {
                int src = in + y * width;
                int dst = out + y * factor * outW;
                for (int x = 0; x < width; x++) {
                    float v = input[src + x];
                    int d = dst + x * factor;
                    for (int j = 0; j < factor; j++) {
                        output[d + j] = v;
                    }
                }
                for (int r = 1; r < factor; r++) {
                    System.arraycopy(output, dst, output, dst + r * outW, outW);
                }
            }
        }
    }

    // dX[b, c, y, x] = Σ of dY over the block {y·f .. y·f+f−1} × {x·f .. x·f+f−1}, rows of the block in order
    @Override
    public void backward(float[] input, float[] output, float[] outputGradient, float[] inputGradient,
                         float[] gradients, int batch) {
        if (inputGradient == null) {
            return;
        }
        final int planes = batch * channels;
        final int outW = width * factor;
        for (int c = 0; c < planes; c++) {
            int in = c * height * width;
            int out = c * height * factor * outW;
            for (int y = 0; y < height; y++) {
                int dst = in + y * width;
                int src = out + y * factor * outW;
                for (int x = 0; x < width; x++) {
                    int s = src + x * factor;
                    float sum = 0f;
                    for (int r = 0; r < factor; r++) {
                        int row = s + r * outW;
                        for (int j = 0; j < factor; j++) {
                            sum += outputGradient[row + j];
                        }
                    }
                    inputGradient[dst + x] = sum;
                }
            }
        }
    }
}
