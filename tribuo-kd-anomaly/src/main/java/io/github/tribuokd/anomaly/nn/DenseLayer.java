package io.github.tribuokd.anomaly.nn;

import java.util.SplittableRandom;

/**
 * A fully connected layer {@code y = x W + b}.
 * <p>
 * Parameter layout in the flat buffer: {@code W [in, out]} row-major (the layout of an ONNX {@code Gemm} with
 * {@code transB = 0}), then {@code b [out]}. The inner loops run over the output dimension, so that they are
 * axpy-shaped and vectorise.
 */
public final class DenseLayer implements Layer {

    private final int in;
    private final int out;
    private final Activation followingActivation;
    private float[] params;
    private int offset;

    /**
     * Creates a dense layer.
     * @param in Input width.
     * @param out Output width.
     * @param followingActivation The activation applied after this layer; it picks the initialisation
     *                            (He uniform before ReLU, Glorot uniform otherwise).
     */
    public DenseLayer(int in, int out, Activation followingActivation) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Dense layer sizes must be positive, found " + in + " -> " + out);
        }
        this.in = in;
        this.out = out;
        this.followingActivation = followingActivation;
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int outputSize() {
        return out;
    }

    @Override
    public int numParameters() {
        return in * out + out;
    }

    @Override
    public void bind(float[] parameters, int offset) {
        this.params = parameters;
        this.offset = offset;
    }

    /**
     * Offset of the weight matrix {@code W [in, out]} in the flat buffer.
     * @return The offset.
     */
    public int weightOffset() {
        return offset;
    }

    /**
     * Offset of the bias {@code b [out]} in the flat buffer.
     * @return The offset.
     */
    public int biasOffset() {
        return offset + in * out;
    }

    @Override
    public void initialise(SplittableRandom rng) {
        double limit = followingActivation == Activation.RELU ? Math.sqrt(6.0 / in) : Math.sqrt(6.0 / (in + out));
        int w = weightOffset();
        for (int i = 0; i < in * out; i++) {
            params[w + i] = (float) ((rng.nextDouble() * 2.0 - 1.0) * limit);
        }
        int b = biasOffset();
        for (int o = 0; o < out; o++) {
            params[b + o] = 0f;
        }
    }

    // input [B, in], W [in, out], b [out] -> output [B, out]
    @Override
    public void forward(float[] input, float[] output, int batch) {
        final float[] p = params;
        final int w = weightOffset();
        final int bo = biasOffset();
        for (int r = 0; r < batch; r++) {
            int yRow = r * out;
            System.arraycopy(p, bo, output, yRow, out);
            int xRow = r * in;
            for (int i = 0; i < in; i++) {
                float x = input[xRow + i];
                if (x == 0f) {
                    continue;
                }
                int wRow = w + i * out;
                for (int o = 0; o < out; o++) {
                    output[yRow + o] += x * p[wRow + o];
                }
            }
        }
    }

    // dW [in, out] += x^T dy ; db [out] += sum_rows dy ; dx [B, in] = dy W^T
    @Override
    public void backward(float[] input, float[] output, float[] outputGradient, float[] inputGradient,
                         float[] gradients, int batch) {
        final float[] p = params;
        final int w = weightOffset();
        final int bo = biasOffset();
        for (int r = 0; r < batch; r++) {
            int dyRow = r * out;
            for (int o = 0; o < out; o++) {
                gradients[bo + o] += outputGradient[dyRow + o];
            }
            int xRow = r * in;
            for (int i = 0; i < in; i++) {
                float x = input[xRow + i];
                int wRow = w + i * out;
                if (x != 0f) {
                    for (int o = 0; o < out; o++) {
                        gradients[wRow + o] += x * outputGradient[dyRow + o];
                    }
                }
                if (inputGradient != null) {
                    float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                    int o = 0;
                    for (; o + 3 < out; o += 4) {
                        s0 += outputGradient[dyRow + o] * p[wRow + o];
                        s1 += outputGradient[dyRow + o + 1] * p[wRow + o + 1];
                        s2 += outputGradient[dyRow + o + 2] * p[wRow + o + 2];
                        s3 += outputGradient[dyRow + o + 3] * p[wRow + o + 3];
                    }
                    for (; o < out; o++) {
                        s0 += outputGradient[dyRow + o] * p[wRow + o];
                    }
                    inputGradient[xRow + i] = (s0 + s1) + (s2 + s3);
                }
            }
        }
    }
}
