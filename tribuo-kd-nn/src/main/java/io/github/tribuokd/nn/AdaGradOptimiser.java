package io.github.tribuokd.nn;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

/**
 * AdaGrad (Duchi, Hazan and Singer, JMLR 2011): {@code G ← G + g²}, {@code θ ← θ − η g / (sqrt(G) + ε)}.
 */
public final class AdaGradOptimiser implements Optimiser {

    @Config(description = "Learning rate η.")
    private double learningRate = 0.01;

    @Config(description = "Term ε added to the denominator.")
    private double epsilon = 1e-8;

    @Config(description = "Initial value of the squared-gradient accumulator.")
    private double initialAccumulator = 0.0;

    private float[] accumulator;

    /**
     * AdaGrad with η = 0.01, ε = 1e-8 and a zero initial accumulator.
     */
    public AdaGradOptimiser() { }

    /**
     * AdaGrad with every setting given.
     * @param learningRate η.
     * @param epsilon ε.
     * @param initialAccumulator The starting value of G.
     */
    public AdaGradOptimiser(double learningRate, double epsilon, double initialAccumulator) {
        this.learningRate = learningRate;
        this.epsilon = epsilon;
        this.initialAccumulator = initialAccumulator;
        postConfig();
    }

    @Override
    public void postConfig() {
        if (!(learningRate > 0) || !(epsilon > 0) || !(initialAccumulator >= 0)) {
            throw new IllegalArgumentException("Invalid AdaGrad settings: learningRate=" + learningRate
                    + " (> 0), epsilon=" + epsilon + " (> 0), initialAccumulator=" + initialAccumulator + " (>= 0)");
        }
    }

    @Override
    public void initialise(int numParameters) {
        accumulator = new float[numParameters];
        java.util.Arrays.fill(accumulator, (float) initialAccumulator);
    }

    @Override
    public void step(float[] parameters, float[] gradients) {
        final float lr = (float) learningRate;
        final float eps = (float) epsilon;
        for (int i = 0; i < parameters.length; i++) {
            float g = gradients[i];
            float a = accumulator[i] + g * g;
            accumulator[i] = a;
            parameters[i] -= lr * g / ((float) Math.sqrt(a) + eps);
        }
    }

    @Override
    public AdaGradOptimiser copy() {
        return new AdaGradOptimiser(learningRate, epsilon, initialAccumulator);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "Optimiser");
    }

    @Override
    public String toString() {
        return "AdaGrad(learningRate=" + learningRate + ",epsilon=" + epsilon + ")";
    }
}
