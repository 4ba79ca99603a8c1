package io.github.tribuokd.timeseries.mscred;

import com.google.protobuf.Any;
import io.github.tribuokd.anomaly.ModelFiles;
import io.github.tribuokd.anomaly.NonFiniteScorePolicy;
import io.github.tribuokd.anomaly.ProtoSupport;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.protos.MSCREDModelProto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.protos.core.ModelProto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 23 for MSCRED. Point 1: an input whose residual matrix is not finite used to count 0 entries above τ
 * ({@code |NaN| > τ} is false), hence EXPECTED. Point 3: the model file is checked on load.
 */
public class MSCREDHardeningTest {

    private static MSCREDModel teacher;
    private static MSCREDModel broken;
    private static MultivariateSeries test;

    @BeforeAll
    public static void train() {
        MultivariateSeries train = MSCREDTest.series("train", 300, 1L, -1, -1);
        test = MSCREDTest.series("test", 120, 2L, -1, -1);
        teacher = new MSCREDTrainer(20, new int[]{4, 8, 8}, new int[]{3, 3, 2}, new int[]{1, 2, 2}, 1, 8, 3e-3, 3L, 1)
                .train(MSCREDTest.points(train));
        MSCREDNetwork net = teacher.networkCopy();
        float[] p = net.parameters();
        java.util.Arrays.fill(p, Float.NaN);
        net.setParameters(p);
        broken = new MSCREDModel("broken", teacher.getProvenance(), teacher.getFeatureIDMap(),
                teacher.getOutputIDInfo(), teacher.signature(), net, null, null, teacher.tau(),
                teacher.countThreshold(), teacher.trainingLoss(), teacher.standardizerOrNull());
    }

    @Test
    public void nonFiniteResidualsAreRefusedByDefault() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> broken.scoreSeries(test, 1));
        assertTrue(e.getMessage().contains("'broken'") && e.getMessage().contains("ending at time")
                && e.getMessage().contains("NonFiniteScorePolicy.ANOMALOUS"), e.getMessage());
        // two scoring threads: the error reaches the caller unwrapped
        IllegalStateException two = assertThrows(IllegalStateException.class, () -> broken.scoreSeries(test, 2));
        assertTrue(two.getMessage().contains("'broken'"), two.getMessage());
        List<Example<Event>> examples = new ArrayList<>();
        MSCREDTest.points(test).forEach(examples::add);
        assertThrows(IllegalStateException.class, () -> broken.predict(examples));
        MSCREDStream stream = broken.newStream();
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> {
            for (int t = 0; t < test.numSteps(); t++) {
                stream.push(row(test, t));
            }
        });
        assertTrue(s.getMessage().contains("ending at time"), s.getMessage());
    }

    @Test
    public void theAnomalousPolicyFlagsThem() {
        MSCREDModel flagging = broken.withNonFiniteScorePolicy(NonFiniteScorePolicy.ANOMALOUS);
        assertSame(NonFiniteScorePolicy.ANOMALOUS, flagging.copy().nonFiniteScorePolicy());
        assertSame(NonFiniteScorePolicy.REFUSE, broken.nonFiniteScorePolicy());
        for (double score : flagging.scoreSeries(test, 2).inputScores()) {
            assertEquals(Double.POSITIVE_INFINITY, score);
        }
        List<Example<Event>> examples = new ArrayList<>();
        MSCREDTest.points(test).forEach(examples::add);
        for (Prediction<Event> p : flagging.predict(examples)) {
            assertEquals(Event.EventType.ANOMALOUS, p.getOutput().getType());
        }
        MSCREDStream stream = flagging.newStream();
        boolean scored = false;
        for (int t = 0; t < test.numSteps(); t++) {
            if (stream.push(row(test, t))) {
                scored = true;
                assertTrue(stream.isAnomalous());
            }
        }
        assertTrue(scored);
        // a sound model scores as before under either policy
        assertEquals(java.util.Arrays.toString(teacher.scoreSeries(test, 1).pointScores()), java.util.Arrays.toString(
                teacher.withNonFiniteScorePolicy(NonFiniteScorePolicy.ANOMALOUS).scoreSeries(test, 1).pointScores()));
    }

    /**
     * A finite point so large that the signature matrices (inner products) overflow is not scored as normal either;
     * one too large to standardise is refused as an input, whatever the policy.
     */
    @Test
    public void overflowingPointsAreNotNormal() {
        float[] v = test.valuesView().clone();
        v[60 * test.numVariables() + 2] = 3e38f;
        MultivariateSeries tooLarge = new MultivariateSeries("too-large", test.numSteps(), test.numVariables(), v);
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> teacher.withNonFiniteScorePolicy(NonFiniteScorePolicy.ANOMALOUS).scoreSeries(tooLarge, 1));
        assertTrue(a.getMessage().contains("point 60, variable 2"), a.getMessage());
        v[60 * test.numVariables() + 2] = 1e20f;
        MultivariateSeries huge = new MultivariateSeries("huge", test.numSteps(), test.numVariables(), v);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> teacher.scoreSeries(huge, 1));
        assertTrue(e.getMessage().contains("ending at time"), e.getMessage());
        MSCREDModel.SeriesScores scores = teacher.withNonFiniteScorePolicy(NonFiniteScorePolicy.ANOMALOUS)
                .scoreSeries(huge, 1);
        int flagged = 0;
        for (int i = 0; i < scores.inputTimes().length; i++) {
            if (scores.inputTimes()[i] < 60) {
                assertTrue(Double.isFinite(scores.inputScores()[i]), "input " + i + " is before the point");
            } else if (scores.inputScores()[i] == Double.POSITIVE_INFINITY) {
                flagged++;
            }
        }
        assertTrue(flagged > 0, "the inputs reading point 60 are flagged");
    }

    private static ModelProto tampered(UnaryOperator<MSCREDModelProto.Builder> change) throws Exception {
        ModelProto proto = teacher.serialize();
        MSCREDModelProto data = proto.getSerializedData().unpack(MSCREDModelProto.class);
        return proto.toBuilder().setSerializedData(Any.pack(ProtoSupport.withChecksum(change.apply(data.toBuilder())
                .build()))).build();
    }

    private static String reason(ModelProto proto) {
        Exception e = assertThrows(Exception.class, () -> Model.deserialize(proto));
        return ProtoSupport.describe(e);
    }

    @Test
    public void modelFilesAreChecked(@TempDir Path dir) throws Exception {
        int n = teacher.getFeatureIDMap().size();
        String tau = reason(tampered(b -> b.setTau(Double.NaN)));
        assertTrue(tau.contains("Invalid protobuf for MSCREDModel: field 'tau' is NaN"), tau);
        String count = reason(tampered(b -> b.setCountThreshold(n * n + 1)));
        assertTrue(count.contains("field 'count_threshold'") && count.contains("above the " + n * n), count);
        String weight = reason(tampered(b -> b.setParameters(3, Float.NaN)));
        assertTrue(weight.contains("field 'parameters' value 3 of"), weight);
        String rescale = reason(tampered(b -> b.setAttentionRescale(Double.POSITIVE_INFINITY)));
        assertTrue(rescale.contains("field 'attention_rescale' is Infinity"), rescale);
        // a flipped byte near the end of the file, a newer version
        byte[] bytes = teacher.serialize().toByteArray();
        bytes[bytes.length - 15] ^= 4;
        Path flipped = dir.resolve("flipped.tribuo");
        Files.write(flipped, bytes);
        IOException f = assertThrows(IOException.class, () -> ModelFiles.load(flipped, MSCREDModel.class));
        assertTrue(f.getMessage().contains("content checksum does not match"), f.getMessage());
        Path future = dir.resolve("future.tribuo");
        Files.write(future, teacher.serialize().toBuilder().setVersion(99).build().toByteArray());
        IOException v = assertThrows(IOException.class, () -> ModelFiles.load(future, MSCREDModel.class));
        assertTrue(v.getMessage().contains("MSCREDModel was written by a newer version of tribuo-kd (serialized "
                + "version 99, this version reads up to 0)"), v.getMessage());
        // written before checksums: loads and scores the same
        ModelProto proto = teacher.serialize();
        MSCREDModelProto data = proto.getSerializedData().unpack(MSCREDModelProto.class);
        assertTrue(data.hasCrc32C());
        MSCREDModel old = (MSCREDModel) Model.deserialize(proto.toBuilder()
                .setSerializedData(Any.pack(data.toBuilder().clearCrc32C().build())).build());
        assertEquals(java.util.Arrays.toString(teacher.scoreSeries(test, 1).pointScores()),
                java.util.Arrays.toString(old.scoreSeries(test, 1).pointScores()));
    }

    private static float[] row(MultivariateSeries s, int t) {
        float[] x = new float[s.numVariables()];
        System.arraycopy(s.valuesView(), t * s.numVariables(), x, 0, x.length);
        return x;
    }
}
