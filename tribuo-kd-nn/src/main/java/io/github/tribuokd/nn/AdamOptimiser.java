package io.github.tribuokd.nn;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

/**
 * Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1):
 * <pre>
 *   m ← β1 m + (1 − β1) g
 *   v ← β2 v + (1 − β2) g²
 *   θ ← θ − α · (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)
 * </pre>
 * This is the correct update; Tribuo 4.3.2's {@code org.tribuo.math.optimisers.Adam} multiplies by
 * {@code sqrt(v)+ε} instead of dividing and must not be used.
 */
public final class AdamOptimiser implements Optimiser {

    @Config(description = "Learning rate α.")
    private double learningRate = 1e-3;

    @Config(description = "Exponential decay rate β1 of the first moment.")
    private double beta1 = 0.9;

    @Config(description = "Exponential decay rate β2 of the second moment.")
    private double beta2 = 0.999;

    @Config(description = "Term ε added to the denominator.")
    private double epsilon = 1e-8;

    private float[] m;
    private float[] v;
    private int t;

    /**
     * Adam with the paper's defaults: α = 1e-3, β1 = 0.9, β2 = 0.999, ε = 1e-8.
     */
    public AdamOptimiser() { }

    /**
     * Adam with the given learning rate and the paper's other defaults.
     * @param learningRate α.
     */
    public AdamOptimiser(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    /**
     * Adam with every setting given.
     * @param learningRate α.
     * @param beta1 β1.
     * @param beta2 β2.
     * @param epsilon ε.
     */
    public AdamOptimiser(double learningRate, double beta1, double beta2, double epsilon) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        postConfig();
    }

    @Override
    public void postConfig() {
        if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("Invalid Adam settings: learningRate=" + learningRate + " (> 0), beta1="
                    + beta1 + ", beta2=" + beta2 + " (in [0,1)), epsilon=" + epsilon + " (> 0)");
        }
    }

    @Override
    public void initialise(int numParameters) {
        m = new float[numParameters];
        v = new float[numParameters];
        t = 0;
    }

    @Override
    public void step(float[] parameters, float[] gradients) {
        t++;
        final float b1 = (float) beta1;
        final float b2 = (float) beta2;
        final float c1 = 1f - b1;
        final float c2 = 1f - b2;
        // Fold both bias corrections into the step size and ε (Kingma & Ba, end of §2).
        double correction1 = 1.0 - Math.pow(beta1, t);
        double correction2 = 1.0 - Math.pow(beta2, t);
        final float stepSize = (float) (learningRate * Math.sqrt(correction2) / correction1);
        final float eps = (float) (epsilon * Math.sqrt(correction2));
        for (int i = 0; i < parameters.length; i++) {
            float g = gradients[i];
            float mi = b1 * m[i] + c1 * g;
            float vi = b2 * v[i] + c2 * g * g;
            m[i] = mi;
            v[i] = vi;
            parameters[i] -= stepSize * mi / ((float) Math.sqrt(vi) + eps);
        }
    }

    @Override
    public AdamOptimiser copy() {
        return new AdamOptimiser(learningRate, beta1, beta2, epsilon);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "Optimiser");
    }

    @Override
    public String toString() {
        return "Adam(learningRate=" + learningRate + ",beta1=" + beta1 + ",beta2=" + beta2 + ",epsilon=" + epsilon + ")";
    }
}
