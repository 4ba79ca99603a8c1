package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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

    /**
     * Checks and copies the values a provenance records: every key non-null and equal to its value's own key,
     * every value a {@link PrimitiveProvenance}.
     * @param owner The provenance's class name, for messages.
     * @param values The values.
     * @return An unmodifiable copy, in key order.
     * @throws IllegalArgumentException If a key or value is null, a value is not primitive or its key differs.
     */
    static Map<String, Provenance> copyChecked(String owner, Map<String, ? extends Provenance> values) {
        TreeMap<String, Provenance> copy = new TreeMap<>();
        for (Map.Entry<String, ? extends Provenance> e : values.entrySet()) {
            String key = e.getKey();
            Provenance p = e.getValue();
            if (key == null || p == null) {
                throw new IllegalArgumentException(owner + ": null key or value for key '" + key + "'");
            }
            if (!(p instanceof PrimitiveProvenance)) {
                throw new IllegalArgumentException(owner + ": value for key '" + key
                        + "' must be a primitive provenance, found " + p.getClass().getName());
            }
            String ownKey = ((PrimitiveProvenance<?>) p).getKey();
            if (!key.equals(ownKey)) {
                throw new IllegalArgumentException(owner + ": map key '" + key
                        + "' differs from the provenance's own key '" + ownKey + "'");
            }
            copy.put(key, p);
        }
        return Collections.unmodifiableMap(copy);
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
