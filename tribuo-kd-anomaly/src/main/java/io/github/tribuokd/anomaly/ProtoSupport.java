package io.github.tribuokd.anomaly;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import io.github.tribuokd.anomaly.protos.ConvNetworkProto;
import io.github.tribuokd.anomaly.protos.FeatureStandardizerProto;
import io.github.tribuokd.anomaly.protos.FeedForwardNetworkProto;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.ConvNetSpec;
import io.github.tribuokd.nn.FeedForwardNetwork;
import io.github.tribuokd.nn.SequentialNetwork;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.VariableIDInfo;
import org.tribuo.VariableInfo;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelDataProto;
import org.tribuo.protos.core.ModelProto;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The protobuf plumbing shared by every model of tribuo-kd (this package's and tribuo-kd-timeseries' MSCRED), and
 * the one place where a model file is checked on load.
 * <p>
 * <b>What a loader checks</b> ({@code deserializeFromProto} of each model):
 * <ul>
 *   <li>the serialized version is one this build reads ({@link #checkVersion}: a file from a newer tribuo-kd says
 *       so);</li>
 *   <li>the message is the model's own, has no field unknown to this version, and, when it carries a content
 *       checksum, the checksum matches ({@link #unpack}): one flipped byte anywhere in the model's data is
 *       refused;</li>
 *   <li>every number the model computes with is finite, scales and thresholds are in range, and the widths of nested
 *       parts (networks, standardisers, a distilled detector's student) agree with the model's features.</li>
 * </ul>
 * A failed check is an {@link IllegalStateException} (or {@link InvalidProtocolBufferException} for bytes that do not
 * parse) whose message starts {@code "Invalid protobuf for <model class>: field '<field>'"}. Tribuo's
 * {@code Model.deserialize} wraps it twice (its own {@code IllegalStateException} around an
 * {@code InvocationTargetException}); {@link #describe} digs the real cause out, and {@link ModelFiles#load} puts it
 * in its message.
 * <p>
 * <b>Checksum</b>: each model message has an optional {@code fixed32 crc32c = 1000}, the CRC32C of the message
 * serialized without it. {@link #withChecksum} sets it on write; files written before it existed have none and
 * still load (only their numbers and shapes are checked).
 */
public final class ProtoSupport {

    /** The name of the checksum field in every model message of tribuo-kd. */
    public static final String CHECKSUM_FIELD = "crc32c";

    private static final String TRIBUO_WRAPPER = "The deserialization method for";

    private ProtoSupport() { }

    /**
     * Checks a serialized version.
     * @param version The version in the file.
     * @param current The newest version this build reads.
     * @param modelClass The model class, for the message.
     * @throws IllegalArgumentException If the version is newer ("written by a newer version of tribuo-kd") or
     *                                  negative.
     */
    public static void checkVersion(int version, int current, String modelClass) {
        if (version > current) {
            throw new IllegalArgumentException(modelClass + " was written by a newer version of tribuo-kd (serialized"
                    + " version " + version + ", this version reads up to " + current + "); update tribuo-kd to load"
                    + " it");
        }
        if (version < 0) {
            throw new IllegalArgumentException("Invalid protobuf for " + modelClass + ": serialized version " + version
                    + " is negative (the file is damaged)");
        }
    }

    /**
     * Unpacks a model's message, refusing another message type, fields this version does not know (the file is
     * damaged, or from a newer tribuo-kd) and a content checksum that does not match.
     * @param message The {@code Any} from the {@code ModelProto}.
     * @param type The model's message class.
     * @param modelClass The model class, for messages.
     * @param <M> The message type.
     * @return The message.
     * @throws InvalidProtocolBufferException If the bytes are not a {@code type} message.
     * @throws IllegalStateException If a field is unknown or the checksum does not match.
     */
    public static <M extends Message> M unpack(Any message, Class<M> type, String modelClass)
            throws InvalidProtocolBufferException {
        if (!message.is(type)) {
            throw new InvalidProtocolBufferException("Invalid protobuf for " + modelClass + ": the file holds a '"
                    + message.getTypeUrl() + "' message, not a " + type.getSimpleName());
        }
        M proto;
        try {
            proto = message.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidProtocolBufferException("Invalid protobuf for " + modelClass + ": the "
                    + type.getSimpleName() + " bytes do not parse (the file is damaged): " + e.getMessage());
        }
        checkNoUnknownFields(proto, modelClass, type.getSimpleName());
        FieldDescriptor field = checksumField(proto, modelClass);
        if (proto.hasField(field)) {
            int stored = (Integer) proto.getField(field);
            int computed = checksumOfRaw(message.getValue(), field.getNumber(), stored);
            if (computed != stored) {
                // not written as we write it (the field last): the canonical serialization without the field
                Message cleared = proto.toBuilder().clearField(field).build();
                computed = crc32c(cleared.toByteString());
            }
            if (computed != stored) {
                throw new IllegalStateException("Invalid protobuf for " + modelClass + ": field '" + CHECKSUM_FIELD
                        + "': the content checksum does not match (stored " + hex(stored) + ", computed "
                        + hex(computed) + "): the file was changed after it was written (a damaged or flipped byte)");
            }
        }
        return proto;
    }

    /**
     * The message with its content checksum set: the CRC32C of its serialization without the checksum.
     * @param message A model message of tribuo-kd (with a {@value #CHECKSUM_FIELD} field).
     * @param <M> The message type.
     * @return The message with the checksum.
     */
    @SuppressWarnings("unchecked")
    public static <M extends Message> M withChecksum(M message) {
        FieldDescriptor field = checksumField(message, message.getDescriptorForType().getName());
        Message cleared = message.toBuilder().clearField(field).build();
        return (M) cleared.toBuilder().setField(field, crc32c(cleared.toByteString())).build();
    }

    /**
     * The model file's outer message: the version, the model's class name and its data with the checksum set
     * ({@link #withChecksum}).
     * @param version The serialized version.
     * @param modelClass The model's class.
     * @param data The model's message.
     * @return The outer message.
     */
    public static ModelProto modelProto(int version, Class<?> modelClass, Message data) {
        return ModelProto.newBuilder()
                .setVersion(version)
                .setClassName(modelClass.getName())
                .setSerializedData(Any.pack(withChecksum(data)))
                .build();
    }

    private static FieldDescriptor checksumField(Message message, String modelClass) {
        FieldDescriptor field = message.getDescriptorForType().findFieldByName(CHECKSUM_FIELD);
        if (field == null || field.getType() != FieldDescriptor.Type.FIXED32 || !field.hasPresence()) {
            throw new IllegalStateException(modelClass + ": " + message.getDescriptorForType().getFullName()
                    + " has no 'optional fixed32 " + CHECKSUM_FIELD + "' field");
        }
        return field;
    }

    /**
     * The checksum of the bytes before the checksum field when the raw message ends with it (as written by
     * {@link #withChecksum}: protobuf writes fields in number order, the checksum's is the largest), else the
     * negation of {@code stored} (a certain mismatch, so that the caller falls back to the canonical form).
     */
    private static int checksumOfRaw(ByteString raw, int fieldNumber, int stored) {
        byte[] suffix = new byte[CodedOutputStream.computeTagSize(fieldNumber) + 4];
        CodedOutputStream out = CodedOutputStream.newInstance(suffix);
        try {
            out.writeTag(fieldNumber, WireFormat.WIRETYPE_FIXED32);
            out.writeFixed32NoTag(stored);
            out.flush();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        int start = raw.size() - suffix.length;
        if (start < 0 || !raw.substring(start).equals(ByteString.copyFrom(suffix))) {
            return ~stored;
        }
        return crc32c(raw.substring(0, start));
    }

    private static int crc32c(ByteString bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes.asReadOnlyByteBuffer());
        return (int) crc.getValue();
    }

    private static String hex(int v) {
        return String.format("%08x", v);
    }

    private static void checkNoUnknownFields(Message message, String modelClass, String path) {
        if (!message.getUnknownFields().asMap().isEmpty()) {
            throw new IllegalStateException("Invalid protobuf for " + modelClass + ": " + path + " has field number "
                    + message.getUnknownFields().asMap().keySet().iterator().next() + ", unknown to this version of"
                    + " tribuo-kd (the file is damaged, or was written by a newer version)");
        }
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            if (e.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            String child = path + "." + e.getKey().getName();
            if (e.getKey().isRepeated()) {
                for (Object o : (List<?>) e.getValue()) {
                    checkNoUnknownFields((Message) o, modelClass, child);
                }
            } else {
                checkNoUnknownFields((Message) e.getValue(), modelClass, child);
            }
        }
    }

    /**
     * The message of the exception that really explains why a model could not be loaded: Tribuo's wrappers ("The
     * deserialization method for ... threw an exception" around an {@code InvocationTargetException}) are skipped.
     * @param e The exception thrown by {@code Model.deserialize...} or a {@code deserializeFromProto}.
     * @return The first message in the cause chain that is not a wrapper's.
     */
    public static String describe(Throwable e) {
        Throwable t = e;
        while (t != null) {
            boolean wrapper = t instanceof InvocationTargetException
                    || (t.getMessage() != null && t.getMessage().startsWith(TRIBUO_WRAPPER) && t.getCause() != null);
            if (!wrapper && t.getMessage() != null) {
                return t.getMessage();
            }
            t = t.getCause();
        }
        return String.valueOf(e);
    }

    /**
     * The exception for a field that fails a check.
     * @param modelClass The model class.
     * @param field The field's name in the proto.
     * @param problem What is wrong.
     * @return The exception.
     */
    public static IllegalStateException invalid(String modelClass, String field, String problem) {
        return new IllegalStateException("Invalid protobuf for " + modelClass + ": field '" + field + "' " + problem);
    }

    /**
     * Checks a number is finite.
     * @param value The value.
     * @param modelClass The model class.
     * @param field The field.
     * @return The value.
     */
    public static double finite(double value, String modelClass, String field) {
        if (!Double.isFinite(value)) {
            throw invalid(modelClass, field, "is " + value + ", not a finite number");
        }
        return value;
    }

    /**
     * Checks a number is finite and at least {@code min}.
     * @param value The value.
     * @param min The smallest allowed value.
     * @param modelClass The model class.
     * @param field The field.
     * @return The value.
     */
    public static double atLeast(double value, double min, String modelClass, String field) {
        if (!Double.isFinite(value) || value < min) {
            throw invalid(modelClass, field, "is " + value + ", not a finite number of at least " + min);
        }
        return value;
    }

    /**
     * Checks a number is finite and positive.
     * @param value The value.
     * @param modelClass The model class.
     * @param field The field.
     * @return The value.
     */
    public static double positive(double value, String modelClass, String field) {
        if (!Double.isFinite(value) || !(value > 0)) {
            throw invalid(modelClass, field, "is " + value + ", not a finite positive number");
        }
        return value;
    }

    /**
     * Copies a repeated float field, checking its length and that every value is finite.
     * @param values The values.
     * @param expected The required count.
     * @param modelClass The model class.
     * @param field The field.
     * @return The values.
     */
    public static float[] finiteFloats(List<Float> values, int expected, String modelClass, String field) {
        if (values.size() != expected) {
            throw invalid(modelClass, field, "holds " + values.size() + " values, the model needs " + expected);
        }
        float[] out = new float[expected];
        for (int i = 0; i < expected; i++) {
            out[i] = values.get(i);
            if (!Float.isFinite(out[i])) {
                throw invalid(modelClass, field, "value " + i + " of " + expected + " is " + out[i]
                        + ", not a finite number");
            }
        }
        return out;
    }

    /**
     * Copies a repeated double field, checking its length and that every value is finite.
     * @param values The values.
     * @param expected The required count.
     * @param modelClass The model class.
     * @param field The field.
     * @return The values.
     */
    public static double[] finiteDoubles(List<Double> values, int expected, String modelClass, String field) {
        if (values.size() != expected) {
            throw invalid(modelClass, field, "holds " + values.size() + " values, the model needs " + expected);
        }
        double[] out = new double[expected];
        for (int i = 0; i < expected; i++) {
            out[i] = values.get(i);
            if (!Double.isFinite(out[i])) {
                throw invalid(modelClass, field, "value " + i + " of " + expected + " is " + out[i]
                        + ", not a finite number");
            }
        }
        return out;
    }

    /**
     * Reads a standardiser of the given width ({@link FeatureStandardizer#fromProto}: finite means, finite positive
     * scales), naming the model and field in errors.
     * @param proto The proto.
     * @param width The model's width.
     * @param modelClass The model class.
     * @param field The field.
     * @return The standardiser.
     */
    public static FeatureStandardizer standardizer(FeatureStandardizerProto proto, int width, String modelClass,
                                                   String field) {
        try {
            return FeatureStandardizer.fromProto(proto, width);
        } catch (IllegalStateException e) {
            throw invalid(modelClass, field, e.getMessage().replace("Invalid protobuf: ", ""));
        }
    }

    /**
     * Reads a model nested in a model file (a distilled detector's student), with the real cause in the message when
     * it cannot be read.
     * @param bytes The nested model's serialized {@code ModelProto}.
     * @param modelClass The outer model class.
     * @param field The field.
     * @return The nested model.
     * @throws InvalidProtocolBufferException If the bytes do not parse.
     */
    public static Model<?> nestedModel(ByteString bytes, String modelClass, String field)
            throws InvalidProtocolBufferException {
        if (bytes.isEmpty()) {
            throw invalid(modelClass, field, "is missing");
        }
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidProtocolBufferException("Invalid protobuf for " + modelClass + ": field '" + field
                    + "' does not parse as a Tribuo model: " + e.getMessage());
        }
        try {
            return Model.deserialize(proto);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Invalid protobuf for " + modelClass + ": field '" + field + "' (a "
                    + proto.getClassName() + "): " + describe(e), e);
        }
    }

    /**
     * Tribuo's model metadata as the bytes every model message of tribuo-kd stores.
     * @param carrier The model's data carrier.
     * @return The serialized {@code ModelDataProto}.
     */
    public static ByteString metadata(ModelDataCarrier<?> carrier) {
        return carrier.serialize().toByteString();
    }

    /**
     * Decodes Tribuo's model metadata and checks it: provenance, feature domain and output domain are present, the
     * output domain holds the expected output class, and the feature domain is one a model can index
     * ({@link #checkFeatureDomain}: feature ids exactly {@code 0 … n−1}, each feature named once). The widths of a
     * model's own parts (networks, standardisers, reference rows, ...) are then checked against this domain's size by
     * the model's {@code deserializeFromProto}.
     * @param bytes The serialized {@code ModelDataProto}.
     * @param outputClass The model's output class.
     * @param modelClass The model class.
     * @return The metadata.
     * @throws InvalidProtocolBufferException If the bytes do not parse.
     * @throws IllegalStateException If a part is missing or the feature domain cannot be indexed.
     */
    public static ModelDataCarrier<?> readMetadata(ByteString bytes, Class<? extends Output<?>> outputClass,
                                                   String modelClass) throws InvalidProtocolBufferException {
        if (bytes.isEmpty()) {
            throw invalid(modelClass, "metadata", "is missing (the Tribuo metadata)");
        }
        ModelDataCarrier<?> carrier;
        ModelDataProto metadata;
        try {
            metadata = ModelDataProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidProtocolBufferException("Invalid protobuf for " + modelClass + ": field 'metadata' does"
                    + " not parse (the file is damaged): " + e.getMessage());
        }
        if (!metadata.hasProvenance()) {
            throw invalid(modelClass, "metadata", "is missing its provenance");
        }
        if (!metadata.hasFeatureDomain()) {
            throw invalid(modelClass, "metadata", "is missing its feature domain");
        }
        if (!metadata.hasOutputDomain()) {
            throw invalid(modelClass, "metadata", "is missing its output domain");
        }
        metadata = LegacyClassNames.rename(metadata);
        try {
            carrier = ModelDataCarrier.deserialize(metadata);
        } catch (RuntimeException e) {
            throw invalid(modelClass, "metadata", "cannot be read: " + describe(e));
        }
        if (carrier.provenance() == null) {
            throw invalid(modelClass, "metadata", "is missing its provenance");
        }
        if (carrier.outputDomain() == null) {
            throw invalid(modelClass, "metadata", "is missing its output domain");
        }
        if (carrier.outputDomain().size() > 0
                && !outputClass.isInstance(carrier.outputDomain().getDomain().iterator().next())) {
            throw invalid(modelClass, "metadata", "holds outputs of type "
                    + carrier.outputDomain().getDomain().iterator().next().getClass().getSimpleName()
                    + ", expected " + outputClass.getSimpleName());
        }
        checkFeatureDomain(carrier.featureDomain(), modelClass, "metadata");
        return carrier;
    }

    /**
     * Checks a feature domain read from a model file (a model's own, or a nested student's): it has at least one
     * feature, its ids are exactly {@code 0 … n−1} with one feature each, every feature has a name, and the lookups by
     * id and by name agree. Tribuo's decoding refuses only an id or name given twice, so without this check a damaged
     * file loads with an id beyond the model's width (an {@code ArrayIndexOutOfBoundsException} at the first
     * prediction) or with an id no feature has (a {@code NullPointerException} where the model looks the feature up).
     * @param features The feature domain.
     * @param modelClass The model class, for the message.
     * @param field The field the domain was read from, for the message.
     * @return The feature domain.
     * @throws IllegalStateException If the domain is missing, empty or cannot be indexed by {@code 0 … n−1}.
     */
    public static ImmutableFeatureMap checkFeatureDomain(ImmutableFeatureMap features, String modelClass,
                                                         String field) {
        if (features == null) {
            throw invalid(modelClass, field, "is missing its feature domain");
        }
        int n = features.size();
        if (n <= 0) {
            throw invalid(modelClass, field, "has no features");
        }
        String rule = "the feature ids of a model with " + n + " features must be 0 to " + (n - 1)
                + ", one feature each (the file is damaged)";
        boolean[] seen = new boolean[n];
        int count = 0;
        for (VariableInfo info : features) {
            count++;
            String name = info.getName();
            if (name == null) {
                throw invalid(modelClass, field, "holds a feature without a name (feature " + count + " of " + n
                        + ")");
            }
            if (!(info instanceof VariableIDInfo)) {
                throw invalid(modelClass, field, "holds feature '" + name + "' without an id");
            }
            int id = ((VariableIDInfo) info).getID();
            if (id < 0 || id >= n) {
                throw invalid(modelClass, field, "holds feature '" + name + "' with id " + id + ": " + rule);
            }
            if (seen[id] || features.get(id) != info) {
                throw invalid(modelClass, field, "holds feature '" + name + "' with id " + id + ", an id that"
                        + " another feature has too: " + rule);
            }
            if (features.get(name) != info) {
                throw invalid(modelClass, field, "holds feature name '" + name + "' twice (ids " + id + " and "
                        + features.getID(name) + ")");
            }
            seen[id] = true;
        }
        if (count != n) {
            throw invalid(modelClass, field, "declares " + n + " features but holds " + count + ": " + rule);
        }
        return features;
    }

    /**
     * A feed-forward network as its proto.
     * @param net The network.
     * @return The proto.
     */
    public static FeedForwardNetworkProto network(FeedForwardNetwork net) {
        FeedForwardNetworkProto.Builder b = FeedForwardNetworkProto.newBuilder();
        for (int s : net.sizes()) {
            b.addSizes(s);
        }
        b.setHiddenActivation(net.hiddenActivation().name());
        b.setOutputActivation(net.outputActivation().name());
        for (float p : net.parameters()) {
            b.addParameters(p);
        }
        return b.build();
    }

    /**
     * Reads a feed-forward network, checking its widths against the model's and that every parameter is finite.
     * @param proto The proto.
     * @param expectedInput The model's input width.
     * @param expectedOutput The model's output width.
     * @param modelClass The model class, for messages.
     * @return The network.
     */
    public static FeedForwardNetwork network(FeedForwardNetworkProto proto, int expectedInput, int expectedOutput,
                                             String modelClass) {
        int[] sizes = proto.getSizesList().stream().mapToInt(Integer::intValue).toArray();
        if (sizes.length < 2 || sizes[0] != expectedInput || sizes[sizes.length - 1] != expectedOutput) {
            throw new IllegalStateException("Invalid protobuf for " + modelClass + ": network sizes "
                    + Arrays.toString(sizes) + " do not match " + expectedInput + " inputs and " + expectedOutput
                    + " outputs");
        }
        FeedForwardNetwork net;
        try {
            net = new FeedForwardNetwork(sizes, Activation.valueOf(proto.getHiddenActivation()),
                    Activation.valueOf(proto.getOutputActivation()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid protobuf for " + modelClass + ": " + e.getMessage(), e);
        }
        if (proto.getParametersCount() != net.numParameters()) {
            throw new IllegalStateException("Invalid protobuf for " + modelClass + ": network of sizes "
                    + Arrays.toString(sizes) + " needs " + net.numParameters() + " parameters, found "
                    + proto.getParametersCount());
        }
        net.setParameters(finiteFloats(proto.getParametersList(), net.numParameters(), modelClass,
                "network.parameters"));
        return net;
    }

    static ConvNetworkProto convNetwork(ConvNetSpec spec, SequentialNetwork net) {
        ConvNetworkProto.Builder b = ConvNetworkProto.newBuilder()
                .setSpec(spec.spec())
                .setChannels(spec.channels())
                .setHeight(spec.height())
                .setWidth(spec.width())
                .setHiddenActivation(spec.hiddenActivation().name())
                .setOutputActivation(spec.outputActivation().name());
        for (float p : net.parameters()) {
            b.addParameters(p);
        }
        return b.build();
    }

    /** Rebuilds a convolutional network's specification, checking its input and output widths. */
    static ConvNetSpec convSpec(ConvNetworkProto proto, int expectedInput, int expectedOutput, String modelClass) {
        ConvNetSpec spec;
        try {
            spec = ConvNetSpec.parse(proto.getSpec(), proto.getChannels(), proto.getHeight(), proto.getWidth(),
                    Activation.valueOf(proto.getHiddenActivation()), Activation.valueOf(proto.getOutputActivation()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid protobuf for " + modelClass + ": " + e.getMessage(), e);
        }
        if (spec.inputSize() != expectedInput || spec.outputSize() != expectedOutput) {
            throw new IllegalStateException("Invalid protobuf for " + modelClass + ": network '" + spec.spec()
                    + "' maps " + spec.inputSize() + " inputs to " + spec.outputSize() + " outputs, the model has "
                    + expectedInput + " features and " + expectedOutput + " outputs");
        }
        if (proto.getParametersCount() != spec.numParameters()) {
            throw new IllegalStateException("Invalid protobuf for " + modelClass + ": network '" + spec.spec()
                    + "' needs " + spec.numParameters() + " parameters, found " + proto.getParametersCount());
        }
        return spec;
    }

    /** The network of a checked {@link #convSpec}, with the stored parameters. */
    static SequentialNetwork convNetwork(ConvNetSpec spec, ConvNetworkProto proto, String modelClass) {
        SequentialNetwork net = spec.newNetwork();
        net.setParameters(finiteFloats(proto.getParametersList(), net.numParameters(), modelClass,
                "network.parameters"));
        return net;
    }
}
