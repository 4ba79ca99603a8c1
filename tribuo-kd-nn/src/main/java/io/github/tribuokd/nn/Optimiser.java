package io.github.tribuokd.nn;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;

/**
 * A first-order optimiser over a flat parameter buffer and its gradient buffer of the same length.
 * <p>
 * Optimisers are stateful (moment estimates); a trainer calls {@link #copy()} before each training run so that
 * the configured instance stays pristine, then {@link #initialise(int)} once and {@link #step} per minibatch.
 * Each implementation is an OLCUT {@link Configurable} with provenance.
 */
public interface Optimiser extends Configurable, Provenancable<ConfiguredObjectProvenance> {

    /**
     * Allocates state for a parameter buffer of the given length and resets the step counter.
     * @param numParameters The number of parameters.
     */
    void initialise(int numParameters);

    /**
     * Applies one update {@code parameters ← parameters − Δ(gradients)} in place.
     * @param parameters The parameters.
     * @param gradients The gradients of the loss with respect to them.
     */
    void step(float[] parameters, float[] gradients);

    /**
     * A fresh, uninitialised copy with the same configuration.
     * @return The copy.
     */
    Optimiser copy();
}
