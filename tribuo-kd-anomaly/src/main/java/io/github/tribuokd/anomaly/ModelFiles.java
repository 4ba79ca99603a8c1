package io.github.tribuokd.anomaly;

import com.google.protobuf.InvalidProtocolBufferException;
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
     * <p>
     * Every model of tribuo-kd checks its file on load ({@link ProtoSupport}: version, checksum, finite numbers,
     * consistent shapes). Tribuo's {@link Model#deserializeFromFile} reports such a failure as "The deserialization
     * method ... threw an exception" with the reason two causes down; this method's message states the reason
     * itself, e.g. "written by a newer version of tribuo-kd (serialized version 2, this version reads up to 1)" or
     * "field 'threshold' is NaN".
     * @param path The file.
     * @param type The expected model class.
     * @param <M> The model type.
     * @return The model.
     * @throws IOException If the file is missing, truncated, damaged, from a newer version or holds another kind of
     *                     model; the message names the file and the reason.
     */
    public static <M extends Model<?>> M load(Path path, Class<M> type) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("No model file at " + path.toAbsolutePath());
        }
        Model<?> model;
        try {
            model = Model.deserializeFromFile(path);
        } catch (IOException | RuntimeException e) {
            throw new IOException(failureMessage(path, e), e);
        }
        if (!type.isInstance(model)) {
            throw new IOException(path.toAbsolutePath() + " holds a " + model.getClass().getName() + ", not a "
                    + type.getName());
        }
        return type.cast(model);
    }

    /**
     * The message for a model file that could not be loaded: the file, its size, and the real reason
     * ({@link ProtoSupport#describe}); bytes that are not a protobuf model at all are called so.
     * @param path The file.
     * @param e What {@code Model.deserializeFromFile} threw.
     * @return The message.
     */
    public static String failureMessage(Path path, Throwable e) {
        String size;
        try {
            size = Files.size(path) + " bytes";
        } catch (IOException ignored) {
            size = "size unknown";
        }
        String reason = ProtoSupport.describe(e);
        String where = "Could not load the model file " + path.toAbsolutePath() + " (" + size + "): ";
        if (e instanceof InvalidProtocolBufferException) {
            // the outer ModelProto did not parse: not our model message
            return where + "it is not a Tribuo protobuf model, or it is truncated or damaged (" + reason + ")";
        }
        return where + reason;
    }
}
