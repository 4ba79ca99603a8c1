package io.github.tribuokd.nn;

import java.util.SplittableRandom;

/**
 * One layer of a network: a forward pass and its hand-written backward pass over flat row-major buffers.
 * <p>
 * A layer owns no parameter memory: its parameters are the slice {@code [offset, offset + numParameters())} of
 * the network's flat parameter buffer, given by {@link #bind}. Gradients go to a caller-supplied buffer with the
 * same layout, so that several threads can accumulate gradients separately.
 * <p>
 * Shapes: input {@code [batch, inputSize()]}, output {@code [batch, outputSize()]}.
 */
public interface Layer {

    /**
     * The number of input features per example.
     * @return The input width.
     */
    int inputSize();

    /**
     * The number of output features per example.
     * @return The output width.
     */
    int outputSize();

    /**
     * The number of trainable parameters of this layer.
     * @return The parameter count (0 for parameter-free layers).
     */
    int numParameters();

    /**
     * Binds this layer to its slice of the network's flat parameter buffer.
     * @param parameters The network's parameter buffer.
     * @param offset The first index of this layer's parameters.
     */
    void bind(float[] parameters, int offset);

    /**
     * Writes initial values into this layer's parameter slice.
     * @param rng The random source (consumed in a fixed order, so that a seed gives identical weights).
     */
    void initialise(SplittableRandom rng);

    /**
     * The forward pass.
     * @param input {@code [batch, inputSize()]}.
     * @param output {@code [batch, outputSize()]}, overwritten.
     * @param batch The number of examples.
     */
    void forward(float[] input, float[] output, int batch);

    /**
     * The backward pass: accumulates parameter gradients and computes the gradient with respect to the input.
     * @param input The input of the matching forward call, {@code [batch, inputSize()]}.
     * @param output The output of the matching forward call, {@code [batch, outputSize()]}.
     * @param outputGradient dLoss/dOutput, {@code [batch, outputSize()]}.
     * @param inputGradient dLoss/dInput, {@code [batch, inputSize()]}, overwritten; may be {@code null} when not needed.
     * @param gradients The gradient buffer with the layout of the parameter buffer; this layer adds into its slice.
     * @param batch The number of examples.
     */
    void backward(float[] input, float[] output, float[] outputGradient, float[] inputGradient,
                  float[] gradients, int batch);
}
