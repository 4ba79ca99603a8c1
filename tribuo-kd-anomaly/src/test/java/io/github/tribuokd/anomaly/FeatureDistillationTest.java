package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.test.Helpers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multiresolution feature distillation (Salehi et al., CVPR 2021) of the dense autoencoder's encoder layers.
 */
public class FeatureDistillationTest {

    static FeatureDistillationTrainer trainer(List<String> layers, double lambda, long seed) {
        return new FeatureDistillationTrainer(DenseAutoencoderTest.trainer(seed), layers, new int[]{3},
                Activation.TANH, lambda, 40, 32, new AdamOptimiser(0.005), seed, 0.2, 0.95);
    }

    @Test
    public void discrepancySeparatesAnomaliesOffThePlane() {
        MutableDataset<Event> train = TestData.manifold(1000, 0, 1L);
        TeacherStudentPair<FeatureDistillationModel> pair = trainer(List.of(), 1.0, 1)
                .trainTeacherAndStudent(train, Collections.emptyMap(), 0);
        FeatureDistillationModel model = pair.student();
        assertEquals(List.of("encoder.0", "encoder.1"), model.teacherFeatures());
        // d = 8 → h 3 → 6 (encoder.0) → h 3 → 2 (encoder.1)
        assertArrayEquals(new int[]{8, 3, 6, 3, 2}, model.studentSizes());
        assertArrayEquals(new int[]{1, 3}, model.studentLayers());
        assertEquals(8 * 3 + 3 + 3 * 6 + 6 + 6 * 3 + 3 + 3 * 2 + 2, model.numStudentParameters());
        assertTrue(model.teacher() == pair.teacher());

        MutableDataset<Event> test = TestData.manifold(300, 300, 2L);
        double[] normal = model.scores(TestData.normals(test));
        double[] anomalous = model.scores(TestData.anomalies(test));
        double auc = TestData.auc(normal, anomalous);
        assertTrue(auc > 0.97, "feature-distillation ROC-AUC " + auc);  // 0.995 when written
        // the student learnt the normal features (median L_total 0.038 when written) and not the anomalies' (1.21)
        Arrays.sort(normal);
        Arrays.sort(anomalous);
        assertTrue(normal[150] < 0.1, "median normal score " + normal[150]);
        assertTrue(anomalous[150] > 10 * normal[150], "medians " + normal[150] + " vs " + anomalous[150]);
        // the threshold is the 0.95 quantile of the calibration tail's scores: about 5% of fresh normals exceed it
        double[] fresh = model.scores(TestData.normals(test));
        long above = Arrays.stream(fresh).filter(s -> s > model.threshold()).count();
        assertTrue(above > 3 && above < 45, above + " of 300 normal examples above the threshold");
        for (double s : normal) {
            assertTrue(s >= 0, "L_total is non-negative");
        }
    }

    @Test
    public void scoreIsTheTotalLossOfTheTeacherAndStudentFeatures() {
        MutableDataset<Event> train = TestData.manifold(400, 0, 3L);
        FeatureDistillationModel model = trainer(List.of(), 0.5, 3).train(train);
        AutoencoderModel teacher = (AutoencoderModel) model.teacher();
        List<Example<Event>> probe = TestData.normals(TestData.manifold(5, 0, 4L));
        float[] rows = FeatureMatrix.toMatrix(probe, model.getFeatureIDMap());
        int d = 8;
        // teacher features by hand: tanh(z W0 + b0), tanh(h W1 + b1)
        float[][] t = {new float[5 * 6], new float[5 * 2]};
        teacher.features(rows, 5, new int[]{0, 1}, t);
        float[] z = rows.clone();
        teacher.standardizer().applyInPlace(z, 5);
        float[] p = teacher.network().parameters();
        for (int r = 0; r < 5; r++) {
            double[] h = new double[6];
            for (int o = 0; o < 6; o++) {
                double a = p[8 * 6 + o];
                for (int i = 0; i < d; i++) {
                    a += z[r * d + i] * p[i * 6 + o];
                }
                h[o] = Math.tanh(a);
                assertEquals(h[o], t[0][r * 6 + o], 1e-5, "encoder.0 of row " + r);
            }
        }
        // the score is Σ_i [mean (t − c)² + λ (1 − cos(t, c))] over the two networks' features, written out here
        io.github.tribuokd.nn.FeedForwardNetwork student = model.studentNetwork();
        io.github.tribuokd.nn.FeedForwardNetwork.Workspace ws = student.newWorkspace(5);
        student.forward(z, 5, ws);
        float[][] c = {student.layerOutput(1, ws), student.layerOutput(3, ws)};
        double[] scores = model.scores(probe);
        for (int r = 0; r < 5; r++) {
            double expected = 0;
            for (int i = 0; i < 2; i++) {
                int w = i == 0 ? 6 : 2;
                double sq = 0, tc = 0, tt = 0, cc = 0;
                for (int j = 0; j < w; j++) {
                    double a = t[i][r * w + j], b = c[i][r * w + j];
                    sq += (a - b) * (a - b);
                    tc += a * b;
                    tt += a * a;
                    cc += b * b;
                }
                expected += sq / w + 0.5 * (1 - tc / Math.sqrt(tt * cc));
            }
            assertEquals(expected, scores[r], 1e-6 * expected, "L_total of row " + r);
        }
        // scoreMatrix equals scores and leaves its input alone
        double[] fromMatrix = new double[5];
        model.scoreMatrix(rows, 5, fromMatrix);
        assertArrayEquals(model.scores(probe), fromMatrix);
        float[] original = FeatureMatrix.toMatrix(probe, model.getFeatureIDMap());
        assertArrayEquals(original, rows, "scoreMatrix does not modify its input");
        assertEquals(0.5, model.lambda());
    }

    @Test
    public void trainingIsReproducibleAndProvenanceNestsTheTeacher() {
        MutableDataset<Event> train = TestData.manifold(400, 0, 5L);
        FeatureDistillationTrainer kd = trainer(List.of(), 1.0, 9);
        FeatureDistillationModel first = kd.train(train);
        FeatureDistillationModel second = kd.train(train);
        List<Example<Event>> probe = TestData.normals(TestData.manifold(50, 0, 6L));
        assertTrue(first.scores(probe)[0] != second.scores(probe)[0], "a second invocation draws new weights");
        kd.setInvocationCount(0);
        assertArrayEquals(first.scores(probe), kd.train(train).scores(probe));
        kd.setInvocationCount(1);
        assertArrayEquals(second.scores(probe), kd.train(train).scores(probe));
        assertArrayEquals(first.scores(probe), trainer(List.of(), 1.0, 9).train(train).scores(probe));

        ModelProvenance p = first.getProvenance();
        assertEquals(FeatureDistillationTrainer.class.getName(), p.getTrainerProvenance().getClassName());
        Provenance nestedTeacher = p.getTrainerProvenance().getConfiguredParameters().get("teacher");
        assertTrue(nestedTeacher.toString().contains("DenseAutoencoderTrainer"), nestedTeacher.toString());
        Provenance teacherModel = p.getInstanceProvenance().getMap()
                .get(FeatureDistillationTrainer.TEACHER_MODEL_PROVENANCE);
        assertTrue(teacherModel instanceof ModelProvenance, String.valueOf(teacherModel));
        assertEquals(AutoencoderModel.class.getName(), ((ModelProvenance) teacherModel).getClassName());
    }

    @Test
    public void retrainFromProvenanceGivesTheSameScores() {
        MutableDataset<Event> train = TestData.manifold(400, 0, 15L);
        FeatureDistillationTrainer kd = trainer(List.of("encoder.1"), 0.5, 3);
        Helpers.testConfigurableRoundtrip(kd);
        FeatureDistillationModel model = kd.train(train);
        assertEquals(List.of("encoder.1"), model.teacherFeatures());
        assertArrayEquals(new int[]{8, 3, 2}, model.studentSizes());
        List<ConfigurationData> config = ProvenanceUtil.extractConfiguration(model.getProvenance());
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(config);
        @SuppressWarnings("unchecked")
        Trainer<Event> rebuilt = (Trainer<Event>) cm.lookup("featuredistillationtrainer-0");
        assertNotNull(rebuilt);
        Model<Event> again = rebuilt.train(train);
        MutableDataset<Event> test = TestData.manifold(50, 50, 16L);
        assertArrayEquals(model.scores(test), ((FeatureDistillationModel) again).scores(test));
    }

    @Test
    public void protobufRoundTripsAndOnnxMatchesJava(@TempDir Path dir) throws Exception {
        MutableDataset<Event> train = TestData.manifold(400, 0, 5L);
        FeatureDistillationModel model = trainer(List.of(), 1.0, 3).train(train);
        Model<Event> copy = Helpers.testModelProtoSerialization(model, Event.class, train);
        MutableDataset<Event> test = TestData.manifold(60, 60, 8L);
        assertArrayEquals(model.scores(test), ((FeatureDistillationModel) copy).scores(test));
        assertEquals(model.threshold(), ((FeatureDistillationModel) copy).threshold());
        assertEquals(model.teacherFeatures(), ((FeatureDistillationModel) copy).teacherFeatures());

        List<Example<Event>> rows = new ArrayList<>();
        test.forEach(rows::add);
        Path file = dir.resolve("feature-distillation.onnx");
        model.saveONNXModel("io.github.tribuokd.test", 1, file);
        OnnxCheck.assertDetectorMatches(file, model, rows, "feature distillation");
        assertEquals("encoder.0,encoder.1", OnnxCheck.metadata(file, "tribuo-kd.teacher-features"));
        // λ = 0: only the value term is exported
        FeatureDistillationModel valueOnly = trainer(List.of("encoder.0"), 0.0, 3).train(train);
        Path file0 = dir.resolve("value-only.onnx");
        valueOnly.saveONNXModel("io.github.tribuokd.test", 1, file0);
        OnnxCheck.assertDetectorMatches(file0, valueOnly, rows, "feature distillation, lambda 0");
    }

    @Test
    public void damagedModelFilesAreRefused() throws Exception {
        MutableDataset<Event> train = TestData.manifold(300, 0, 5L);
        FeatureDistillationModel model = trainer(List.of(), 1.0, 3).train(train);
        org.tribuo.protos.core.ModelProto proto = model.serialize();
        Class<io.github.tribuokd.anomaly.protos.FeatureDistillationModelProto> type =
                io.github.tribuokd.anomaly.protos.FeatureDistillationModelProto.class;
        Model<Event> pca = new PCAReconstructionTrainer(0.95, 0, 0.1, 0.99, 0).train(train);
        ModelFileChecksTest.refused(ModelFileChecksTest.tampered(proto, type,
                ModelFileChecksTest.set("teacher", pca.serialize().toByteString())), "field 'teacher'",
                "not a FeatureTeacher");
        ModelFileChecksTest.refused(ModelFileChecksTest.tampered(proto, type,
                ModelFileChecksTest.set("teacher_features", List.of("encoder.0", "encoder.7"))),
                "field 'teacher_features'", "encoder.7", "unknown");
        ModelFileChecksTest.refused(ModelFileChecksTest.tampered(proto, type,
                ModelFileChecksTest.set("student_layers", List.of(0, 3))), "field 'student'", "encoder.0");
        ModelFileChecksTest.refused(ModelFileChecksTest.tampered(proto, type,
                ModelFileChecksTest.set("lambda", -1.0)), "field 'lambda'");
        ModelFileChecksTest.refused(ModelFileChecksTest.tampered(proto, type,
                ModelFileChecksTest.set("threshold", Double.NaN)), "field 'threshold'");
    }

    @Test
    public void badSettingsAndTeachersAreClearErrors() {
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> trainer(List.of(), -0.5, 1));
        assertTrue(a.getMessage().contains("lambda"), a.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FeatureDistillationTrainer(null, null, new int[0],
                Activation.TANH, 1, 5, 32, new AdamOptimiser(0.01), 1, 0.2, 0.95));
        MutableDataset<Event> train = TestData.manifold(200, 0, 1L);

        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> trainer(List.of("encoder.0", "decoder.0"), 1, 1).train(train));
        assertTrue(b.getMessage().contains("decoder.0") && b.getMessage().contains("encoder.1"), b.getMessage());

        FeatureDistillationTrainer pcaTeacher = new FeatureDistillationTrainer(
                new PCAReconstructionTrainer(0.95, 0, 0.1, 0.99, 0), null, new int[]{3}, Activation.TANH, 1, 5, 32,
                new AdamOptimiser(0.01), 1, 0.2, 0.95);
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> pcaTeacher.train(train));
        assertTrue(c.getMessage().contains("FeatureTeacher"), c.getMessage());

        FeatureDistillationTrainer noTeacher = new FeatureDistillationTrainer(null, null, new int[]{3},
                Activation.TANH, 1, 5, 32, new AdamOptimiser(0.01), 1, 0.2, 0.95);
        assertThrows(IllegalStateException.class, () -> noTeacher.train(train));
        Model<Event> pca = new PCAReconstructionTrainer(0.95, 0, 0.1, 0.99, 0).train(train);
        assertThrows(IllegalArgumentException.class, () -> noTeacher.distil(pca, train));
        assertEquals(0, noTeacher.getInvocationCount(), "a refused teacher does not count as a run");

        FeatureDistillationTrainer threeSizes = new FeatureDistillationTrainer(DenseAutoencoderTest.trainer(1), null,
                new int[]{3, 2, 1}, Activation.TANH, 1, 5, 32, new AdamOptimiser(0.01), 1, 0.2, 0.95);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> threeSizes.train(train));
        assertTrue(e.getMessage().contains("studentHiddenSizes"), e.getMessage());

        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> trainer(List.of(), 1, 1).train(TestData.manifold(200, 5, 1L)));
        assertTrue(f.getMessage().toLowerCase().contains("anomal"), f.getMessage());
    }
}
