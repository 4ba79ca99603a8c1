package io.github.tribuokd.anomaly;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.github.tribuokd.anomaly.protos.AutoencoderModelProto;
import io.github.tribuokd.anomaly.protos.DistilledAnomalyModelProto;
import io.github.tribuokd.anomaly.protos.LSTMAutoencoderModelProto;
import io.github.tribuokd.anomaly.protos.MLPRegressionModelProto;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.LossFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;
import org.tribuo.protos.core.ImmutableFeatureMapProto;
import org.tribuo.protos.core.ModelDataProto;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.protos.core.RealIDInfoProto;
import org.tribuo.protos.core.VariableInfoProto;
import org.tribuo.regression.sgd.protos.RegressionLinearSGDProto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static io.github.tribuokd.anomaly.ModelFileChecksTest.refused;
import static io.github.tribuokd.anomaly.ModelFileChecksTest.set;
import static io.github.tribuokd.anomaly.ModelFileChecksTest.tampered;
import static io.github.tribuokd.anomaly.ModelFileChecksTest.unsigned;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 23: the feature domain of a model file is checked on load ({@link ProtoSupport#checkFeatureDomain}: ids
 * exactly {@code 0 … n−1}, one named feature each), and a distilled detector with a missing part says which. Both are
 * regression tests of fuzz findings (docs/RELIABILITY.md, "Fuzzing"): a feature id out of range used to load and then
 * throw {@code ArrayIndexOutOfBoundsException} in {@code FeatureMatrix.fillRow} at the first prediction, and a
 * distilled detector whose feature ids had a hole threw {@code NullPointerException} while loading.
 */
public class FeatureDomainChecksTest {

    private static MutableDataset<Event> train;
    private static AutoencoderModel teacher;
    private static DistilledAnomalyModel distilled;
    private static LSTMAutoencoderModel lstm;

    @BeforeAll
    public static void trainModels() {
        train = TestData.manifold(300, 0, 51L);
        teacher = DenseAutoencoderTest.trainer(1).train(train);
        distilled = new ScoreDistillationTrainer(null, new MLPRegressionTrainer(new int[]{6}, Activation.TANH,
                LossFunction.MAE, 5, 32, new AdamOptimiser(3e-3), 7L)).distil(teacher, train);
        lstm = new LSTMAutoencoderTrainer(4, 1, 16, new AdamOptimiser(5e-3), 1L, 0.1, 0.95)
                .train(LSTMAutoencoderTest.windows(60, 0, 3L));
    }

    /** Tribuo's metadata with the id of the {@code index}-th feature (in file order) set to {@code id}. */
    static ModelDataProto withFeatureId(ModelDataProto metadata, int index, int id)
            throws InvalidProtocolBufferException {
        ImmutableFeatureMapProto map = metadata.getFeatureDomain().getSerializedData()
                .unpack(ImmutableFeatureMapProto.class);
        VariableInfoProto info = map.getInfo(index);
        RealIDInfoProto real = info.getSerializedData().unpack(RealIDInfoProto.class);
        VariableInfoProto changed = info.toBuilder()
                .setSerializedData(Any.pack(real.toBuilder().setId(id).build())).build();
        return metadata.toBuilder().setFeatureDomain(metadata.getFeatureDomain().toBuilder()
                .setSerializedData(Any.pack(map.toBuilder().setInfo(index, changed).build()))).build();
    }

    /** A change of a tribuo-kd model message's {@code metadata} bytes. */
    static UnaryOperator<Message.Builder> metadata(ByteString original, UnaryOperator<ModelDataProto.Builder> change) {
        return b -> {
            try {
                ModelDataProto md = ModelDataProto.parseFrom(original);
                return set("metadata", change.apply(md.toBuilder()).build().toByteString()).apply(b);
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        };
    }

    /** The feature id of one feature set to {@code id} in a tribuo-kd model message's {@code metadata} bytes. */
    static UnaryOperator<Message.Builder> featureId(ByteString original, int index, int id) {
        return b -> {
            try {
                ModelDataProto md = withFeatureId(ModelDataProto.parseFrom(original), index, id);
                return set("metadata", md.toByteString()).apply(b);
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        };
    }

    /**
     * Fuzz finding: an LSTM autoencoder file whose feature id became 1073741823 loaded (with or without a checksum:
     * one written by a careful forger, or by a bug, matches) and its first prediction threw
     * {@code ArrayIndexOutOfBoundsException: Index 1073741823 out of bounds} in {@code FeatureMatrix.fillRow}.
     */
    @Test
    public void aFeatureIdOutOfRangeIsRefusedOnLoad(@TempDir Path dir) throws IOException {
        ModelProto proto = lstm.serialize();
        ByteString md = proto.getSerializedData().unpack(LSTMAutoencoderModelProto.class).getMetadata();
        int n = lstm.getFeatureIDMap().size();
        for (ModelProto bad : new ModelProto[]{
            tampered(proto, LSTMAutoencoderModelProto.class, featureId(md, 3, 1073741823)),
            unsigned(proto, LSTMAutoencoderModelProto.class, featureId(md, 3, 1073741823))}) {
            refused(bad, "Invalid protobuf for LSTMAutoencoderModel", "field 'metadata' holds feature '",
                    "with id 1073741823", "the feature ids of a model with " + n + " features must be 0 to "
                    + (n - 1) + ", one feature each");
        }
        // through the commands' loader: the file and the reason at the top of the message
        Path file = dir.resolve("lstm-bad-id.tribuo");
        Files.write(file, tampered(proto, LSTMAutoencoderModelProto.class, featureId(md, 3, 1073741823))
                .toByteArray());
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(file, LSTMAutoencoderModel.class));
        assertTrue(e.getMessage().contains("lstm-bad-id.tribuo") && e.getMessage().contains("with id 1073741823"),
                e.getMessage());
        // an id equal to the width in the other model kinds that read the shared metadata (a negative id is refused
        // by Tribuo's own decoding: "found no id where one was expected")
        ModelProto ae = teacher.serialize();
        ByteString aeMd = ae.getSerializedData().unpack(AutoencoderModelProto.class).getMetadata();
        refused(tampered(ae, AutoencoderModelProto.class, featureId(aeMd, 7, 8)),
                "Invalid protobuf for AutoencoderModel", "with id 8", "must be 0 to 7");
        refused(tampered(ae, AutoencoderModelProto.class, featureId(aeMd, 0, -5)),
                "Invalid protobuf for AutoencoderModel", "field 'metadata'");
        ModelProto mlp = distilled.student().serialize();
        ByteString mlpMd = mlp.getSerializedData().unpack(MLPRegressionModelProto.class).getMetadata();
        refused(tampered(mlp, MLPRegressionModelProto.class, featureId(mlpMd, 2, 40)),
                "Invalid protobuf for MLPRegressionModel", "field 'metadata'", "with id 40");
    }

    /**
     * Fuzz finding: a distilled detector whose feature ids had a hole (one id moved beyond the width) threw
     * {@code NullPointerException} while loading, where it looked up the feature of the missing id.
     */
    @Test
    public void aDistilledDetectorWithAHoleInItsFeatureIdsIsRefused(@TempDir Path dir) throws IOException {
        ModelProto proto = distilled.serialize();
        ByteString md = proto.getSerializedData().unpack(DistilledAnomalyModelProto.class).getMetadata();
        ModelProto bad = tampered(proto, DistilledAnomalyModelProto.class, featureId(md, 2, 2 + TestData.DIM));
        refused(bad, "Invalid protobuf for DistilledAnomalyModel", "field 'metadata' holds feature '",
                "with id 10", "must be 0 to 7");
        Path file = dir.resolve("distilled-hole.tribuo");
        Files.write(file, bad.toByteArray());
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(file, DistilledAnomalyModel.class));
        assertTrue(e.getMessage().contains("distilled-hole.tribuo") && e.getMessage().contains("with id 10"),
                e.getMessage());
        // the same in a student this library did not write (Tribuo's LinearSGD reads its metadata itself)
        DistilledAnomalyModel linearKd = new ScoreDistillationTrainer(null, ScoreDistillationTest.linear())
                .distil(teacher, train);
        ModelProto student = linearKd.student().serialize();
        RegressionLinearSGDProto sgd = student.getSerializedData().unpack(RegressionLinearSGDProto.class);
        ModelProto badStudent = student.toBuilder().setSerializedData(Any.pack(sgd.toBuilder()
                .setMetadata(withFeatureId(sgd.getMetadata(), 5, 99)).build())).build();
        refused(tampered(linearKd.serialize(), DistilledAnomalyModelProto.class,
                        set("student", badStudent.toByteString())),
                "Invalid protobuf for DistilledAnomalyModel", "field 'student' holds feature '", "with id 99",
                "must be 0 to 7");
    }

    /** Each part a distilled detector needs is named when it is missing. */
    @Test
    public void aDistilledDetectorNamesItsMissingParts() throws IOException {
        ModelProto proto = distilled.serialize();
        ByteString md = proto.getSerializedData().unpack(DistilledAnomalyModelProto.class).getMetadata();
        refused(tampered(proto, DistilledAnomalyModelProto.class, set("metadata", ByteString.EMPTY)),
                "field 'metadata' is missing");
        refused(tampered(proto, DistilledAnomalyModelProto.class, metadata(md, ModelDataProto.Builder::clearFeatureDomain)),
                "field 'metadata' is missing its feature domain");
        refused(tampered(proto, DistilledAnomalyModelProto.class, metadata(md, ModelDataProto.Builder::clearOutputDomain)),
                "field 'metadata' is missing its output domain");
        refused(tampered(proto, DistilledAnomalyModelProto.class, metadata(md, ModelDataProto.Builder::clearProvenance)),
                "field 'metadata' is missing its provenance");
        refused(tampered(proto, DistilledAnomalyModelProto.class, set("student", ByteString.EMPTY)),
                "field 'student' is missing");
        refused(tampered(proto, DistilledAnomalyModelProto.class, set("score_transform", "")),
                "field 'score_transform' is missing");
        // an intact file still loads, scores as before, and its domains pass the check
        DistilledAnomalyModel back = (DistilledAnomalyModel) Model.deserialize(proto);
        ProtoSupport.checkFeatureDomain(back.getFeatureIDMap(), "DistilledAnomalyModel", "metadata");
        assertEquals(distilled.predict(train.getExample(0)).getOutput().getScore(),
                back.predict(train.getExample(0)).getOutput().getScore());
    }
}
