package io.github.tribuokd.nn;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

/**
 * Stochastic gradient descent with momentum (Polyak's heavy ball, or Nesterov's variant as formulated by
 * Sutskever et al., ICML 2013): {@code u ← μ u + g}; {@code θ ← θ − η u}, or {@code θ ← θ − η (g + μ u)} with
 * Nesterov momentum. With μ = 0 this is plain SGD.
 */
public final class SGDMomentumOptimiser implements Optimiser {

    @Config(description = "Learning rate η.")
    private double learningRate = 0.01;

    @Config(description = "Momentum μ in [0, 1); 0 gives plain SGD.")
    private double momentum = 0.9;

    @Config(description = "Use Nesterov momentum.")
    private boolean nesterov = false;

    private float[] velocity;

    /**
     * SGD with η = 0.01 and heavy-ball momentum μ = 0.9.
     */
    public SGDMomentumOptimiser() { }

    /**
     * SGD with every setting given.
     * @param learningRate η.
     * @param momentum μ.
     * @param nesterov Whether to use Nesterov momentum.
     */
    public SGDMomentumOptimiser(double learningRate, double momentum, boolean nesterov) {
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.nesterov = nesterov;
        postConfig();
    }

    @Override
    public void postConfig() {
        if (!(learningRate > 0) || !(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("Invalid SGD settings: learningRate=" + learningRate
                    + " (> 0), momentum=" + momentum + " (in [0,1))");
        }
    }

    @Override
    public void initialise(int numParameters) {
        velocity = new float[numParameters];
    }

    @Override
    public void step(float[] parameters, float[] gradients) {
        final float lr = (float) learningRate;
        final float mu = (float) momentum;
        for (int i = 0; i < parameters.length; i++) {
            float g = gradients[i];
            float u = mu * velocity[i] + g;
            velocity[i] = u;
            parameters[i] -= nesterov ? lr * (g + mu * u) : lr * u;
        }
    }

    @Override
    public SGDMomentumOptimiser copy() {
        return new SGDMomentumOptimiser(learningRate, momentum, nesterov);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "Optimiser");
    }

    @Override
    public String toString() {
        return "SGDMomentum(learningRate=" + learningRate + ",momentum=" + momentum + ",nesterov=" + nesterov + ")";
    }
}
