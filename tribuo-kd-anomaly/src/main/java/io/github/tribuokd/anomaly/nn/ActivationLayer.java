package io.github.tribuokd.anomaly.nn;

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

    // dInput[B, W] = dOutput[B, W] * f'(input)
    @Override
    public void backward(float[] input, float[] output, float[] outputGradient, float[] inputGradient,
                         float[] gradients, int batch) {
        if (inputGradient == null) {
            return;
        }
        int n = batch * width;
        for (int i = 0; i < n; i++) {
            inputGradient[i] = outputGradient[i] * activation.derivativeFromOutput(output[i]);
        }
    }
}
