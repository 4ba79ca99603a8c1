package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.Kernels;
import io.github.tribuokd.nn.kernels.MatrixKernels;

import java.util.SplittableRandom;

/**
 * A fully connected layer {@code y = x W + b}.
 * <p>
 * Parameter layout in the flat buffer: {@code W [in, out]} row-major (the layout of an ONNX {@code Gemm} with
 * {@code transB = 0}), then {@code b [out]}. Every product goes through {@link Kernels#get()}.
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

    @Override
    public void forward(float[] input, float[] output, int batch) {
        forward(input, 0, output, batch);
    }

    /**
     * The forward pass reading the input rows from an offset (no copy of a chunk of a larger matrix).
     * @param input {@code [.., in]} row-major.
     * @param inputOffset The first element of the first row.
     * @param output {@code [batch, out]}, overwritten.
     * @param batch The number of rows.
     */
    // input [B, in] · W [in, out] + b [out] -> output [B, out]
    public void forward(float[] input, int inputOffset, float[] output, int batch) {
        final float[] p = params;
        final int bo = biasOffset();
        Kernels.get().gemm(false, false, batch, out, in, 1f, input, inputOffset, in, p, weightOffset(), out,
                0f, output, 0, out);
        for (int r = 0; r < batch; r++) {
            int row = r * out;
            for (int o = 0; o < out; o++) {
                output[row + o] += p[bo + o];
            }
        }
    }

    // dW [in, out] += inputᵀ [in, B] · dY [B, out] ; db [out] += Σ_rows dY ; dX [B, in] = dY [B, out] · Wᵀ [out, in]
    @Override
    public void backward(float[] input, float[] output, float[] outputGradient, float[] inputGradient,
                         float[] gradients, int batch) {
        final int bo = biasOffset();
        for (int r = 0; r < batch; r++) {
            int dyRow = r * out;
            for (int o = 0; o < out; o++) {
                gradients[bo + o] += outputGradient[dyRow + o];
            }
        }
        MatrixKernels k = Kernels.get();
        k.gemm(true, false, in, out, batch, 1f, input, 0, in, outputGradient, 0, out, 1f, gradients, weightOffset(), out);
        if (inputGradient != null) {
            k.gemm(false, true, batch, in, out, 1f, outputGradient, 0, out, params, weightOffset(), out,
                    0f, inputGradient, 0, in);
        }
    }
}
