package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.FastMath;

/**
 * Element-wise activation functions, with their derivatives expressed through the activation's output
 * (which is what the backward pass has at hand).
 */
public enum Activation {
    /** f(x) = x. */
    IDENTITY,
    /** f(x) = max(0, x). */
    RELU,
    /** f(x) = tanh(x). */
    TANH,
    /** f(x) = 1 / (1 + e^-x). */
    SIGMOID;

    /**
     * Applies the function.
     * @param x The input.
     * @return f(x).
     */
    public float apply(float x) {
        switch (this) {
            case RELU: return x > 0f ? x : 0f;
            case TANH: return FastMath.tanh(x);
            case SIGMOID: return FastMath.sigmoid(x);
            case IDENTITY:
            default: return x;
        }
    }

    /**
     * The derivative f'(x), written in terms of y = f(x).
     * @param y The activation's output.
     * @return f'(x).
     */
    public float derivativeFromOutput(float y) {
        switch (this) {
            case RELU: return y > 0f ? 1f : 0f;
            case TANH: return 1f - y * y;
            case SIGMOID: return y * (1f - y);
            case IDENTITY:
            default: return 1f;
        }
    }
}
