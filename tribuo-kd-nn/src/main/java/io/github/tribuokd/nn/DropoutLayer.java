package io.github.tribuokd.nn;

import java.util.SplittableRandom;

/**
 * Inverted dropout (Srivastava et al. 2014): in training each unit is zeroed with probability {@code rate} and the
 * kept ones are scaled by {@code 1/(1 − rate)}; at inference the layer is the identity.
 * <p>
 * <b>Deterministic from the seed, on any number of threads.</b> The layer keeps no state: the mask of unit {@code j}
 * of a row is a hash of the layer's seed, the row's 64-bit key and {@code j} (SplitMix64's finaliser), so the
 * training code chooses the keys (e.g. from the step and the example's index) and a row gets the same mask
 * whichever shard or thread computes it, and the backward pass recomputes exactly the forward pass's mask.
 * <p>
 * {@link #forward(float[], float[], int)} and {@link #backward(float[], float[], float[], float[], float[], int)}
 * (the {@link Layer} methods) are the inference form, the identity; the keyed overloads are the training form
 * ({@link SequentialNetwork#forward(float[], int, SequentialNetwork.Workspace, long[])} calls them).
 */
public final class DropoutLayer implements Layer {

    private final int width;
    private final double rate;
    private final long seed;
    private final float scale;
    /** Drop unit when its 53-bit hash is below this (rate · 2^53). */
    private final long threshold;

    /**
     * Creates a dropout layer.
     * @param width The number of features per example.
     * @param rate The probability of dropping a unit, in {@code [0, 1)}.
     * @param seed The seed of the masks.
     */
    public DropoutLayer(int width, double rate, long seed) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive, found " + width);
        }
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("The dropout rate must be in [0, 1), found " + rate);
        }
        this.width = width;
        this.rate = rate;
        this.seed = seed;
        this.scale = (float) (1.0 / (1.0 - rate));
        this.threshold = (long) Math.ceil(rate * (1L << 53));
    }

    /**
     * The dropout rate.
     * @return The probability of dropping a unit in training.
     */
    public double rate() {
        return rate;
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

    /** Inference: output [B, W] = input [B, W]. */
    @Override
    public void forward(float[] input, float[] output, int batch) {
        System.arraycopy(input, 0, output, 0, batch * width);
    }

    /** Inference: dInput [B, W] = dOutput [B, W]. */
    @Override
    public void backward(float[] input, float[] output, float[] outputGradient, float[] inputGradient,
                         float[] gradients, int batch) {
        if (inputGradient != null) {
            System.arraycopy(outputGradient, 0, inputGradient, 0, batch * width);
        }
    }

    /**
     * Whether unit {@code j} of the row with key {@code rowKey} is kept.
     * @param rowKey The row's key.
     * @param j The unit.
     * @return True when kept.
     */
    public boolean kept(long rowKey, int j) {
        return (mix(mix(seed ^ mix(rowKey)) + j) >>> 11) >= threshold;
    }

    /**
     * Training: output [B, W] = input [B, W] ⊙ mask / (1 − rate), mask[r, j] = {@link #kept}(rowKeys[r], j).
     * @param input {@code [batch, width]}.
     * @param output {@code [batch, width]}, overwritten.
     * @param batch The number of rows.
     * @param rowKeys {@code [batch]} the rows' keys.
     */
    public void forward(float[] input, float[] output, int batch, long[] rowKeys) {
        applyMask(input, output, batch, rowKeys);
    }

    /**
     * Training: dInput [B, W] = dOutput [B, W] ⊙ mask / (1 − rate), with the forward pass's mask.
     * @param outputGradient {@code [batch, width]}.
     * @param inputGradient {@code [batch, width]}, overwritten; may be null.
     * @param batch The number of rows.
     * @param rowKeys {@code [batch]} the keys of the forward pass.
     */
    public void backward(float[] outputGradient, float[] inputGradient, int batch, long[] rowKeys) {
        if (inputGradient != null) {
            applyMask(outputGradient, inputGradient, batch, rowKeys);
        }
    }

    private void applyMask(float[] from, float[] to, int batch, long[] rowKeys) {
        for (int r = 0; r < batch; r++) {
            int o = r * width;
            for (int j = 0; j < width; j++) {
                to[o + j] = kept(rowKeys[r], j) ? from[o + j] * scale : 0f;
            }
        }
    }

    /** SplitMix64's finaliser (Steele, Lea and Flood 2014). */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
