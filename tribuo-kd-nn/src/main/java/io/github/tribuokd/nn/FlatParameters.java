package io.github.tribuokd.nn;

/**
 * A model part whose trainable parameters live in one flat buffer (the networks, the Long-Term Accumulator):
 * optimisers update the buffer in place, serialisation writes it, and these methods count and overwrite it.
 */
public interface FlatParameters {

    /**
     * The live flat parameter buffer (not a copy): optimisers update it in place.
     * @return The parameter buffer.
     */
    float[] parameters();

    /**
     * The number of trainable parameters.
     * @return The parameter count.
     */
    default int numParameters() {
        return parameters().length;
    }

    /**
     * Overwrites the parameters.
     * @param values The new values, of length {@link #numParameters()}.
     * @throws IllegalArgumentException If the length differs.
     */
    default void setParameters(float[] values) {
        float[] parameters = parameters();
        if (values.length != parameters.length) {
            throw new IllegalArgumentException("Expected " + parameters.length + " parameters for a "
                    + getClass().getSimpleName() + ", found " + values.length);
        }
        System.arraycopy(values, 0, parameters, 0, values.length);
    }
}
