package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.Kernels;

import java.util.SplittableRandom;

/**
 * An element-wise activation as a parameter-free layer: {@code y = f(x)}, {@code dx = dy * f'(x)}.
 */
public final class ActivationLayer implements Layer {

    private final int width;
    private final Activation activation;

    /**
     * Creates an activation layer.
     * @param width The number of features per example.
     * @param activation The function.
     */
    public ActivationLayer(int width, Activation activation) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive, found " + width);
        }
        this.width = width;
        this.activation = activation;
    }

    /**
     * The function this layer applies.
     * @return The activation.
     */
    public Activation activation() {
        return activation;
    }

    @Override
    public int inputSize() {
        return width;
    }

    @Override
    public int outputSize() {
        return width;
    }

    @Override
    public int numParameters() {
        return 0;
    }

    @Override
    public void bind(float[] parameters, int offset) { }

    @Override
    public void initialise(SplittableRandom rng) { }

    // input [B, W] -> output [B, W]
    @Override
    public void forward(float[] input, float[] output, int batch) {
        Kernels.get().activate(activation, input, 0, output, 0, batch * width);
    }

    // dInput[B, W] = dOutput[B, W] * f'(input), f' from the output as in Activation.derivativeFromOutput; one loop
    // per function (no switch per element), same-index loops that the JIT vectorises
    @Override
    public void backward(float[] input, float[] output, float[] outputGradient, float[] inputGradient,
                         float[] gradients, int batch) {
        if (inputGradient == null) {
            return;
        }
        int n = batch * width;
        switch (activation) {
            case RELU:
                // f'(x) = (y > 0 ? 1 : 0) without a branch (a float select is a branch on x86, mispredicted half
                // the time): y·1e38·1e38 is +∞ for every y > 0 (the least subnormal gives 1.4e31) and 0 for y = 0,
                // so its min with 1 is f', and Math.min vectorises
                for (int i = 0; i < n; i++) {
                    inputGradient[i] = outputGradient[i] * Math.min(1f, output[i] * 1e38f * 1e38f);
                }
                break;
            case TANH:
                for (int i = 0; i < n; i++) {
                    float y = output[i];
                    inputGradient[i] = outputGradient[i] * (1f - y * y);
                }
                break;
            case SIGMOID:
                for (int i = 0; i < n; i++) {
                    float y = output[i];
                    inputGradient[i] = outputGradient[i] * (y * (1f - y));
                }
                break;
            case IDENTITY:
            default:
                System.arraycopy(outputGradient, 0, inputGradient, 0, n);
        }
    }
}
