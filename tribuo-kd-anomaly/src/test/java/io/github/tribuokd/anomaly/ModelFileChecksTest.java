package io.github.tribuokd.anomaly;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.github.tribuokd.anomaly.protos.AutoencoderModelProto;
import io.github.tribuokd.anomaly.protos.ConvAutoencoderModelProto;
import io.github.tribuokd.anomaly.protos.ConvRegressionModelProto;
import io.github.tribuokd.anomaly.protos.DistilledAnomalyModelProto;
import io.github.tribuokd.anomaly.protos.FeedForwardNetworkProto;
import io.github.tribuokd.anomaly.protos.KNearestWindowModelProto;
import io.github.tribuokd.anomaly.protos.LSTMAutoencoderModelProto;
import io.github.tribuokd.anomaly.protos.MLPRegressionModelProto;
import io.github.tribuokd.anomaly.protos.PCAReconstructionModelProto;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.LossFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 23, point 3: every model checks its file on load (nested widths, finite numbers, ranges, versions, a content
 * checksum), and the reason reaches the top of the error.
 */
public class ModelFileChecksTest {

    private static MutableDataset<Event> train;
    private static MutableDataset<Event> test;
    private static AutoencoderModel teacher;
    private static DistilledAnomalyModel distilled;

    @BeforeAll
    public static void trainModels() {
        train = TestData.manifold(300, 0, 51L);
        test = TestData.manifold(20, 20, 52L);
        teacher = DenseAutoencoderTest.trainer(1).train(train);
        distilled = new ScoreDistillationTrainer(null, new MLPRegressionTrainer(new int[]{6}, Activation.TANH,
                LossFunction.MAE, 5, 32, new AdamOptimiser(3e-3), 7L)).distil(teacher, train);
    }

    /** The model's message with {@code change} applied, re-signed (as a careful forger, or a bug, would write it). */
    @SuppressWarnings("unchecked")
    static <M extends Message> ModelProto tampered(ModelProto proto, Class<M> type, UnaryOperator<Message.Builder> change)
            throws InvalidProtocolBufferException {
        M data = proto.getSerializedData().unpack(type);
        Message changed = change.apply(data.toBuilder()).build();
        return proto.toBuilder().setSerializedData(Any.pack(ProtoSupport.withChecksum(changed))).build();
    }

    /** The same, with the checksum removed: a file written before checksums existed. */
    static <M extends Message> ModelProto unsigned(ModelProto proto, Class<M> type,
                                                   UnaryOperator<Message.Builder> change)
            throws InvalidProtocolBufferException {
        M data = proto.getSerializedData().unpack(type);
        Message.Builder b = change.apply(data.toBuilder());
        b.clearField(b.getDescriptorForType().findFieldByName(ProtoSupport.CHECKSUM_FIELD));
        return proto.toBuilder().setSerializedData(Any.pack(b.build())).build();
    }

    static UnaryOperator<Message.Builder> set(String field, Object value) {
        return b -> b.setField(b.getDescriptorForType().findFieldByName(field), value);
    }

    /** Loading fails, and the reason (found below Tribuo's wrappers) contains every fragment. */
    static void refused(ModelProto proto, String... fragments) {
        Exception e = assertThrows(Exception.class, () -> Model.deserialize(proto));
        String reason = ProtoSupport.describe(e);
        for (String f : fragments) {
            assertTrue(reason.contains(f), "'" + f + "' not in: " + reason);
        }
    }

    @Test
    public void aStudentOfAnotherWidthIsRefused(@TempDir Path dir) throws IOException {
        // a regression student on 4 features, put inside the 8-feature detector
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> narrow = new MutableDataset<>(new SimpleDataSourceProvenance("narrow", factory),
                factory);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < 60; i++) {
            double[] x = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
            narrow.add(new ArrayExample<>(new Regressor("score", x[0] + x[1]), TestData.names(4), x));
        }
        MLPRegressionModel small = new MLPRegressionTrainer(new int[]{3}, Activation.TANH, LossFunction.MAE, 2, 16,
                new AdamOptimiser(1e-3), 1L).train(narrow);
        ModelProto proto = tampered(distilled.serialize(), DistilledAnomalyModelProto.class,
                set("student", small.serialize().toByteString()));
        refused(proto, "Invalid protobuf for DistilledAnomalyModel", "field 'student'", "reads 4 features",
                "the detector has 8");
        Path file = dir.resolve("mismatch.tribuo");
        Files.write(file, proto.toByteArray());
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(file, DistilledAnomalyModel.class));
        assertTrue(e.getMessage().contains("mismatch.tribuo") && e.getMessage().contains("reads 4 features"),
                e.getMessage());
        // a broken student names itself inside the detector's message
        ModelProto badStudent = tampered(small.serialize(), MLPRegressionModelProto.class,
                set("target_scale", List.of(0.0)));
        refused(tampered(distilled.serialize(), DistilledAnomalyModelProto.class,
                set("student", badStudent.toByteString())), "field 'student' (a "
                + MLPRegressionModel.class.getName() + ")", "field 'target_scale' is 0.0");
    }

    @Test
    public void nonFiniteOrOutOfRangeNumbersAreRefused() throws IOException {
        ModelProto ae = teacher.serialize();
        refused(tampered(ae, AutoencoderModelProto.class, set("threshold", Double.NaN)),
                "Invalid protobuf for AutoencoderModel", "field 'threshold' is NaN");
        refused(tampered(ae, AutoencoderModelProto.class, set("threshold", Double.POSITIVE_INFINITY)),
                "field 'threshold' is Infinity");
        refused(tampered(ae, AutoencoderModelProto.class, set("threshold", -1.0)), "field 'threshold' is -1.0");
        // the same without a checksum: the checks do not depend on it
        refused(unsigned(ae, AutoencoderModelProto.class, set("threshold", Double.NaN)), "field 'threshold' is NaN");
        // a weight
        refused(tampered(ae, AutoencoderModelProto.class, b -> {
            AutoencoderModelProto.Builder a = (AutoencoderModelProto.Builder) b;
            FeedForwardNetworkProto.Builder net = a.getNetwork().toBuilder();
            net.setParameters(7, Float.NaN);
            return a.setNetwork(net);
        }), "field 'network.parameters' value 7 of", "is NaN");
        // a standardiser scale
        refused(tampered(ae, AutoencoderModelProto.class, b -> {
            AutoencoderModelProto.Builder a = (AutoencoderModelProto.Builder) b;
            return a.setStandardizer(a.getStandardizer().toBuilder().setScale(3, 0f));
        }), "field 'standardizer'", "entry 3");
        // the distilled detector: epsilon, threshold below -epsilon, clipping bounds
        ModelProto d = distilled.serialize();
        refused(tampered(d, DistilledAnomalyModelProto.class, set("epsilon", Double.NaN)), "field 'epsilon' is NaN");
        refused(tampered(d, DistilledAnomalyModelProto.class, set("epsilon", 0.0)), "field 'epsilon' is 0.0");
        refused(tampered(d, DistilledAnomalyModelProto.class, set("threshold", -1.0)), "field 'threshold' is -1.0");
        refused(tampered(d, DistilledAnomalyModelProto.class, set("score_transform", "SQRT")),
                "field 'score_transform' is 'SQRT'");
        refused(tampered(d, DistilledAnomalyModelProto.class, b -> {
            DistilledAnomalyModelProto.Builder p = (DistilledAnomalyModelProto.Builder) b;
            for (int j = 0; j < TestData.DIM; j++) {
                p.addClipLow(-1f).addClipHigh(j == 2 ? Float.POSITIVE_INFINITY : 1f);
            }
            return p;
        }), "field 'clip_high' value 2 of 8 is Infinity");
        // the MLP student: target scale and mean
        ModelProto mlp = distilled.student().serialize();
        refused(tampered(mlp, MLPRegressionModelProto.class, set("target_scale", List.of(Double.NaN))),
                "Invalid protobuf for MLPRegressionModel", "field 'target_scale' value 0 of 1 is NaN");
        refused(tampered(mlp, MLPRegressionModelProto.class, set("target_mean", List.of(Double.NEGATIVE_INFINITY))),
                "field 'target_mean' value 0 of 1 is -Infinity");
    }

    @Test
    public void everyOtherModelChecksItsNumbers() throws IOException {
        PCAReconstructionModel pca = new PCAReconstructionTrainer(0.95, 0.2, 0.99).train(train);
        refused(tampered(pca.serialize(), PCAReconstructionModelProto.class, set("threshold", Double.NaN)),
                "Invalid protobuf for PCAReconstructionModel", "field 'threshold' is NaN");
        KNearestWindowModel knn = new KNearestWindowTrainer(3, 200, 0.2, 0.99).train(train);
        refused(tampered(knn.serialize(), KNearestWindowModelProto.class, set("threshold", Double.NaN)),
                "Invalid protobuf for KNearestWindowModel", "field 'threshold' is NaN");
        refused(tampered(knn.serialize(), KNearestWindowModelProto.class, b ->
                        ((KNearestWindowModelProto.Builder) b).setReference(4, Float.NaN)),
                "field 'reference' value 4 of");
        LSTMAutoencoderModel lstm = new LSTMAutoencoderTrainer(4, 1, 16, new AdamOptimiser(5e-3), 1L, 0.1, 0.95)
                .train(LSTMAutoencoderTest.windows(60, 0, 3L));
        refused(tampered(lstm.serialize(), LSTMAutoencoderModelProto.class, set("threshold", Double.NaN)),
                "Invalid protobuf for LSTMAutoencoderModel", "field 'threshold' is NaN");
        refused(tampered(lstm.serialize(), LSTMAutoencoderModelProto.class, b ->
                        ((LSTMAutoencoderModelProto.Builder) b).setParameters(0, Float.POSITIVE_INFINITY)),
                "field 'parameters' value 0 of");
        MutableDataset<Event> images = new SyntheticImageSource(SyntheticImageSource.Kind.NORMAL, 80, 1L).dataset();
        ConvAutoencoderModel conv = ConvDistillationTest.teacher(1, 1L).train(images);
        refused(tampered(conv.serialize(), ConvAutoencoderModelProto.class, set("threshold", Double.NaN)),
                "Invalid protobuf for ConvAutoencoderModel", "field 'threshold' is NaN");
        refused(tampered(conv.serialize(), ConvAutoencoderModelProto.class, b -> {
            ConvAutoencoderModelProto.Builder c = (ConvAutoencoderModelProto.Builder) b;
            return c.setNetwork(c.getNetwork().toBuilder().setParameters(1, Float.NaN));
        }), "field 'network.parameters' value 1 of");
        DistilledAnomalyModel convKd = new ScoreDistillationTrainer(null,
                new ConvRegressionTrainer("c2-p2-d1", 1, 8, 8, Activation.RELU, LossFunction.MAE, 1, 32,
                        new AdamOptimiser(3e-3), 2L), ScoreTransform.LOG, 1e-6, false, 0.1, 0.99).distil(conv, images);
        ModelProto convStudent = convKd.student().serialize();
        refused(tampered(convStudent, ConvRegressionModelProto.class, set("target_scale", Double.NaN)),
                "Invalid protobuf for ConvRegressionModel", "field 'target_scale' is NaN");
        // and each of them still round-trips, through the checksum
        for (Model<?> m : List.of(pca, knn, lstm, conv, convKd, convKd.student())) {
            Model<?> back = Model.deserialize(m.serialize());
            assertEquals(m.getClass(), back.getClass());
        }
    }

    /** One flipped bit anywhere in a model's data is refused (it used to load, with scores changed by 1e-5). */
    @Test
    public void aFlippedByteIsRefused(@TempDir Path dir) throws IOException {
        for (AbstractScoredAnomalyModel model : List.<AbstractScoredAnomalyModel>of(teacher, distilled)) {
            byte[] file = model.serialize().toByteArray();
            byte[] data = ModelProto.parseFrom(file).getSerializedData().getValue().toByteArray();
            int start = indexOf(file, data);
            assertTrue(start > 0);
            int refused = 0;
            for (int i = start; i < start + data.length; i++) {
                byte[] flipped = file.clone();
                flipped[i] ^= 1;
                try {
                    Model.deserialize(ModelProto.parseFrom(flipped));
                } catch (RuntimeException | InvalidProtocolBufferException e) {
                    refused++;
                    continue;
                }
                throw new AssertionError(model.getClass().getSimpleName() + ": a flipped bit at byte " + i + " of "
                        + file.length + " was loaded");
            }
            assertEquals(data.length, refused);
            // near the end of a file on disk: the message says what happened
            Path path = dir.resolve(model.getClass().getSimpleName() + ".tribuo");
            byte[] flipped = file.clone();
            flipped[file.length - 12] ^= 0x10;
            Files.write(path, flipped);
            IOException e = assertThrows(IOException.class, () -> ModelFiles.load(path, Model.class));
            assertTrue(e.getMessage().contains("content checksum does not match")
                    && e.getMessage().contains(model.getClass().getSimpleName()), e.getMessage());
        }
    }

    @Test
    public void aNewerVersionSaysSo(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("future.tribuo");
        Files.write(file, teacher.serialize().toBuilder().setVersion(99).build().toByteArray());
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(file, AutoencoderModel.class));
        assertTrue(e.getMessage().contains("AutoencoderModel was written by a newer version of tribuo-kd (serialized"
                + " version 99, this version reads up to 0)"), e.getMessage());
        assertFalse(e.getMessage().contains("corrupt") || e.getMessage().contains("truncated"), e.getMessage());
        // Tribuo's own loader wraps it twice; describe() finds it
        Exception raw = assertThrows(Exception.class, () -> Model.deserializeFromFile(file));
        assertTrue(ProtoSupport.describe(raw).contains("newer version"), ProtoSupport.describe(raw));
        // a negative version is damage
        refused(teacher.serialize().toBuilder().setVersion(-3).build(), "serialized version -3 is negative");
        // a field this version does not know
        ModelProto proto = teacher.serialize();
        AutoencoderModelProto data = proto.getSerializedData().unpack(AutoencoderModelProto.class);
        Message unknown = data.toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(77, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build()).build();
        refused(proto.toBuilder().setSerializedData(Any.pack(unknown)).build(), "field number 77, unknown to this"
                + " version");
        // another model's message under this class name
        refused(proto.toBuilder().setSerializedData(distilled.serialize().getSerializedData()).build(),
                "not a AutoencoderModelProto");
        // a file that is not a model at all
        Path garbage = dir.resolve("garbage.tribuo");
        Files.write(garbage, new byte[]{8, (byte) 0xff});
        IOException g = assertThrows(IOException.class, () -> ModelFiles.load(garbage, AutoencoderModel.class));
        assertTrue(g.getMessage().contains("not a Tribuo protobuf model"), g.getMessage());
    }

    @Test
    public void filesWithoutAChecksumStillLoad() throws IOException {
        float[] rows = FeatureMatrix.toMatrix(test, teacher.getFeatureIDMap());
        for (AbstractScoredAnomalyModel model : List.<AbstractScoredAnomalyModel>of(teacher, distilled)) {
            ModelProto proto = model.serialize();
            Message data = model == teacher ? proto.getSerializedData().unpack(AutoencoderModelProto.class)
                    : proto.getSerializedData().unpack(DistilledAnomalyModelProto.class);
            FieldDescriptor crc = data.getDescriptorForType().findFieldByName(ProtoSupport.CHECKSUM_FIELD);
            assertTrue(data.hasField(crc), "written with a checksum");
            ModelProto old = proto.toBuilder().setSerializedData(Any.pack(data.toBuilder().clearField(crc).build()))
                    .build();
            AbstractScoredAnomalyModel back = (AbstractScoredAnomalyModel) Model.deserialize(old);
            double[] expected = new double[test.size()];
            double[] actual = new double[test.size()];
            model.scoreMatrix(rows, test.size(), expected);
            back.scoreMatrix(rows, test.size(), actual);
            assertArrayEquals(expected, actual);
        }
        // the checksum is the last field written, and covers the bytes before it
        ByteString raw = teacher.serialize().getSerializedData().getValue();
        AutoencoderModelProto parsed = AutoencoderModelProto.parseFrom(raw);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(raw.substring(0, raw.size() - 6).toByteArray());
        assertEquals((int) crc.getValue(), parsed.getCrc32C());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
