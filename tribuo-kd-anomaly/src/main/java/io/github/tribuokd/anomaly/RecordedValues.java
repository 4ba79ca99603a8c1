package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;

import java.util.Map;
import java.util.Optional;

/**
 * Typed look-ups in a provenance that records its values in a map of primitive provenances (the image data
 * provenance, the threshold provenance): one implementation of the getters for all of them.
 */
public interface RecordedValues {

    /**
     * The recorded values, in key order.
     * @return An unmodifiable view of the values.
     */
    Map<String, Provenance> getValues();

    /**
     * Looks up a recorded value.
     * @param key The key.
     * @return The value's primitive provenance, or empty when the key was not recorded.
     */
    default Optional<Provenance> get(String key) {
        return Optional.ofNullable(getValues().get(key));
    }

    /**
     * A recorded double value.
     * @param key The key.
     * @return The value.
     * @throws IllegalArgumentException If the key is absent or does not hold a {@link DoubleProvenance}.
     */
    default double getDouble(String key) {
        return typed(this, key, DoubleProvenance.class).getValue();
    }

    /**
     * A recorded int value.
     * @param key The key.
     * @return The value.
     * @throws IllegalArgumentException If the key is absent or does not hold an {@link IntProvenance}.
     */
    default int getInt(String key) {
        return typed(this, key, IntProvenance.class).getValue();
    }

    /**
     * A recorded long value.
     * @param key The key.
     * @return The value.
     * @throws IllegalArgumentException If the key is absent or does not hold a {@link LongProvenance}.
     */
    default long getLong(String key) {
        return typed(this, key, LongProvenance.class).getValue();
    }

    /**
     * A recorded boolean value.
     * @param key The key.
     * @return The value.
     * @throws IllegalArgumentException If the key is absent or does not hold a {@link BooleanProvenance}.
     */
    default boolean getBoolean(String key) {
        return typed(this, key, BooleanProvenance.class).getValue();
    }

    /**
     * A recorded string value.
     * @param key The key.
     * @return The value.
     * @throws IllegalArgumentException If the key is absent or does not hold a {@link StringProvenance}.
     */
    default String getString(String key) {
        return typed(this, key, StringProvenance.class).getValue();
    }

    private static <T extends Provenance> T typed(RecordedValues owner, String key, Class<T> type) {
        String name = owner.getClass().getSimpleName();
        Provenance p = owner.getValues().get(key);
        if (p == null) {
            throw new IllegalArgumentException(name + " has no value '" + key + "'; recorded keys: "
                    + owner.getValues().keySet());
        }
        if (!type.isInstance(p)) {
            throw new IllegalArgumentException(name + " value '" + key + "' is a " + p.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(p);
    }
}
