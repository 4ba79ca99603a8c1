package io.github.tribuokd.anomaly;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import java.util.List;
import java.util.Map;

/**
 * Class names that model files written by earlier versions of this library hold in their provenance, and the names
 * those classes have now. OLCUT loads the class of every enum and configured object it finds in a provenance, so a
 * file that names a class under its old package would otherwise fail to load.
 * <p>
 * The neural engine moved from {@code io.github.tribuokd.anomaly.nn} to its own module (package
 * {@code io.github.tribuokd.nn}); of its classes, the configurable ones (optimisers) and the enums used as trainer
 * options can appear in a model's provenance. {@link StudentExposure} moved to this package.
 */
final class LegacyClassNames {

    private static final String OLD_ENGINE = "io.github.tribuokd.anomaly.nn.";

    /** Old fully-qualified name → current one, for every class a provenance may name. */
    private static final Map<String, String> RENAMED = Map.of(
            OLD_ENGINE + "Activation", "io.github.tribuokd.nn.Activation",
            OLD_ENGINE + "LossFunction", "io.github.tribuokd.nn.LossFunction",
            OLD_ENGINE + "Optimiser", "io.github.tribuokd.nn.Optimiser",
            OLD_ENGINE + "AdamOptimiser", "io.github.tribuokd.nn.AdamOptimiser",
            OLD_ENGINE + "AdaGradOptimiser", "io.github.tribuokd.nn.AdaGradOptimiser",
            OLD_ENGINE + "SGDMomentumOptimiser", "io.github.tribuokd.nn.SGDMomentumOptimiser",
            OLD_ENGINE + "StudentExposure", "io.github.tribuokd.anomaly.StudentExposure");

    private LegacyClassNames() {
    }

    /**
     * Returns {@code message} with every string field that equals an old class name replaced by the current name
     * (the same instance when there is nothing to rename).
     *
     * @param message a protobuf message, typically a model's Tribuo metadata
     * @param <M>     its type
     * @return the message with current class names
     */
    @SuppressWarnings("unchecked")
    static <M extends Message> M rename(M message) {
        if (!message.toByteString().toStringUtf8().contains(OLD_ENGINE)) {
            return message;
        }
        return (M) renameFields(message);
    }

    private static Message renameFields(Message message) {
        Message.Builder builder = message.toBuilder();
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            FieldDescriptor descriptor = field.getKey();
            if (descriptor.getJavaType() != FieldDescriptor.JavaType.STRING
                    && descriptor.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (descriptor.isRepeated()) {
                List<?> values = (List<?>) field.getValue();
                builder.clearField(descriptor);
                for (Object value : values) {
                    builder.addRepeatedField(descriptor, renamed(value));
                }
            } else {
                builder.setField(descriptor, renamed(field.getValue()));
            }
        }
        return builder.build();
    }

    private static Object renamed(Object value) {
        if (value instanceof String name) {
            return RENAMED.getOrDefault(name, name);
        }
        if (value instanceof Message nested) {
            return renameFields(nested);
        }
        return value;
    }
}
