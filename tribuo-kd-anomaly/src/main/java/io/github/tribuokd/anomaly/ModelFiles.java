package io.github.tribuokd.anomaly;

import org.tribuo.Model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loading protobuf-serialized models with errors that say what went wrong and where.
 */
public final class ModelFiles {

    private ModelFiles() { }

    /**
     * Loads a model written by {@link Model#serializeToFile(Path)} and checks its class.
     * @param path The file.
     * @param type The expected model class.
     * @param <M> The model type.
     * @return The model.
     * @throws IOException If the file is missing, truncated, corrupt or holds another kind of model; the message
     *                     names the file.
     */
    public static <M extends Model<?>> M load(Path path, Class<M> type) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("No model file at " + path.toAbsolutePath());
        }
        Model<?> model;
        try {
            model = Model.deserializeFromFile(path);
        } catch (IOException | RuntimeException e) {
            throw new IOException("Could not read a Tribuo protobuf model from " + path.toAbsolutePath()
                    + " (" + Files.size(path) + " bytes): the file is truncated, corrupt or not a model file. Cause: "
                    + e.getMessage(), e);
        }
        if (!type.isInstance(model)) {
            throw new IOException(path.toAbsolutePath() + " holds a " + model.getClass().getName() + ", not a "
                    + type.getName());
        }
        return type.cast(model);
    }
}
