package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.LossFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.sgd.fm.FMRegressionTrainer;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;
import org.tribuo.test.Helpers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class ScoreDistillationTest {

    static MLPRegressionTrainer mlp() {
        return new MLPRegressionTrainer(new int[]{16}, Activation.TANH, LossFunction.MAE, 60, 32,
                new AdamOptimiser(3e-3), 5L);
    }

    static LinearSGDTrainer linear() {
        return new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.1, 0.1), 10, 1L);
    }

    static FMRegressionTrainer fm() {
        return new FMRegressionTrainer(new SquaredLoss(), new AdaGrad(0.1, 0.1), 10, 1000, 1L, 4, 0.1, true);
    }

    static CARTRegressionTrainer cart() {
        return new CARTRegressionTrainer(6);
    }

    /**
     * The student must imitate the teacher: on held-out data of the training distribution its log scores explain
     * at least {@code minR2} of the variance of the teacher's log scores, and it separates anomalies about as well
     * as the teacher (ROC-AUC within 0.03).
     */
    private static void checkImitation(Trainer<Regressor> student, double minR2) {
        MutableDataset<Event> train = TestData.heavyTailed(1500, 0, 11L);
        ScoreDistillationTrainer kd = new ScoreDistillationTrainer(DenseAutoencoderTest.trainer(3), student);
        DistilledAnomalyModel model = kd.train(train);
        AutoencoderModel teacher = (AutoencoderModel) teacherTrainedInside(kd, train);
        MutableDataset<Event> test = TestData.heavyTailed(200, 200, 12L);
        double[] normal = model.scores(TestData.normals(test));
        double[] anomalous = model.scores(TestData.anomalies(test));
        double[] teacherNormal = teacher.scores(TestData.normals(test));
        double auc = TestData.auc(normal, anomalous);
        double teacherAuc = TestData.auc(teacherNormal, teacher.scores(TestData.anomalies(test)));
        assertTrue(auc > teacherAuc - 0.03, student.getClass().getSimpleName() + " student ROC-AUC " + auc
                + " vs teacher " + teacherAuc);
        double r2 = logR2(teacherNormal, normal, model.epsilon());
        assertTrue(r2 > minR2, student.getClass().getSimpleName() + " R2 of log scores " + r2);
        // Scores are in the teacher's (positive MSE) scale.
        for (double s : normal) {
            assertTrue(s > -1e-6, "score " + s);
        }
        // Provenance nests teacher and student trainers and the teacher model.
        String p = model.getProvenance().toString();
        assertTrue(p.contains("DenseAutoencoderTrainer") && p.contains(student.getClass().getSimpleName())
                && p.contains(DistilledAnomalyModel.TEACHER_MODEL_PROVENANCE)
                && p.contains(DistilledAnomalyModel.STUDENT_MODEL_PROVENANCE), p);
        Helpers.testProvenanceMarshalling(model.getProvenance());
        // Protobuf round trip with identical predictions.
        Model<Event> copy = Helpers.testModelProtoSerialization(model, Event.class, test);
        assertArrayEquals(model.scores(test), ((DistilledAnomalyModel) copy).scores(test));
    }

    /** The teacher the distillation trainer trains internally: the same trainer on the same fitting part. */
    private static Model<Event> teacherTrainedInside(ScoreDistillationTrainer kd, MutableDataset<Event> train) {
        int fit = train.size() - (int) Math.floor(train.size() * 0.1);
        return DenseAutoencoderTest.trainer(3).train(
                new org.tribuo.dataset.DatasetView<>(train, DenseAutoencoderTest.range(fit), "fit"));
    }

    /** 1 − SS_res/SS_tot of ln(student + ε) against ln(teacher + ε). */
    private static double logR2(double[] teacher, double[] student, double eps) {
        double mean = 0;
        for (double t : teacher) {
            mean += Math.log(t + eps) / teacher.length;
        }
        double res = 0, tot = 0;
        for (int i = 0; i < teacher.length; i++) {
            double t = Math.log(teacher[i] + eps);
            res += Math.pow(t - Math.log(student[i] + eps), 2);
            tot += Math.pow(t - mean, 2);
        }
        return 1 - res / tot;
    }

    @Test
    public void mlpStudent() {
        checkImitation(mlp(), 0.7);
    }

    @Test
    public void linearSgdStudent() {
        checkImitation(linear(), 0.3);
    }

    @Test
    public void factorizationMachineStudent() {
        checkImitation(fm(), 0.4);
    }

    @Test
    public void cartStudent() {
        checkImitation(cart(), 0.45);
    }

    @Test
    public void logTargetIsDefaultAndRawIsOptional() {
        MutableDataset<Event> train = TestData.manifold(600, 0, 13L);
        AutoencoderModel teacher = DenseAutoencoderTest.trainer(3).train(train);
        DistilledAnomalyModel log = new ScoreDistillationTrainer(null, mlp()).distil(teacher, train);
        assertEquals(ScoreTransform.LOG, log.scoreTransform());
        DistilledAnomalyModel raw = new ScoreDistillationTrainer(null, mlp(), ScoreTransform.RAW, 1e-6, true, 0.1,
                0.99).distil(teacher, train);
        // Both imitate the teacher in its own scale: medians of student and teacher scores are close.
        List<Example<Event>> probe = TestData.normals(TestData.manifold(300, 0, 14L));
        double teacherMedian = median(teacher.scores(probe));
        assertEquals(teacherMedian, median(log.scores(probe)), 0.5 * teacherMedian);
        assertEquals(teacherMedian, median(raw.scores(probe)), 0.5 * teacherMedian);
        // distil() of a trained model records that model's provenance.
        assertEquals(teacher.getProvenance(), log.getProvenance().getInstanceProvenance()
                .getMap().get(DistilledAnomalyModel.TEACHER_MODEL_PROVENANCE));
        assertThrows(IllegalStateException.class, () -> new ScoreDistillationTrainer(null, mlp()).train(train));
    }

    /** Found on SMD machine-2-8: a student's log score past 709 must not become an infinite score. */
    @Test
    public void logTransformSaturatesInsteadOfOverflowing() {
        assertEquals(Double.MAX_VALUE, ScoreTransform.LOG.toScore(1000.0, 1e-6), 0.0);
        assertTrue(ScoreTransform.LOG.toScore(700.0, 1e-6) < Double.MAX_VALUE);
        assertEquals(Math.log(2.0 + 1e-6), ScoreTransform.LOG.toTarget(2.0, 1e-6), 1e-15);
        assertEquals(2.0, ScoreTransform.LOG.toScore(ScoreTransform.LOG.toTarget(2.0, 1e-6), 1e-6), 1e-12);
    }

    private static double median(double[] v) {
        return Quantiles.median(v);
    }

    @Test
    public void retrainFromProvenanceGivesTheSameScores() {
        MutableDataset<Event> train = TestData.manifold(500, 0, 15L);
        ScoreDistillationTrainer kd = new ScoreDistillationTrainer(DenseAutoencoderTest.trainer(3), mlp());
        Helpers.testConfigurableRoundtrip(kd);
        DistilledAnomalyModel model = kd.train(train);
        List<ConfigurationData> config = ProvenanceUtil.extractConfiguration(model.getProvenance());
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(config);
        @SuppressWarnings("unchecked")
        Trainer<Event> rebuilt = (Trainer<Event>) cm.lookup("scoredistillationtrainer-0");
        assertNotNull(rebuilt);
        Model<Event> again = rebuilt.train(train);
        MutableDataset<Event> test = TestData.manifold(50, 50, 16L);
        assertArrayEquals(model.scores(test), ((DistilledAnomalyModel) again).scores(test));
    }

    /** ONNX Runtime against Java on the real SMD machine embedded in the repository. */
    @Test
    public void onnxMatchesJavaOnRealData(@TempDir Path dir) throws Exception {
        Path smd = TestData.embeddedSmd();
        Assumptions.assumeTrue(smd != null, "embedded SMD data not found");
        MutableDataset<Event> train = TestData.smdRows(smd.resolve("train/machine-1-2.txt.gz"), 3000, null);
        int[] labels = Files.readAllLines(smd.resolve("test_label/machine-1-2.txt")).stream()
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        MutableDataset<Event> test = TestData.smdRows(smd.resolve("test/machine-1-2.txt.gz"), 23694, labels);
        AutoencoderModel teacher = new DenseAutoencoderTrainer(new int[]{16, 4}, Activation.TANH, 5, 64,
                new AdamOptimiser(1e-3), 1L, 0.1, 0.99).train(train);
        Trainer<Regressor>[] students = new Trainer[]{mlp(), linear(), fm()};
        java.util.List<Example<Event>> sample = new java.util.ArrayList<>();
        int i = 0;
        for (Example<Event> e : test) {
            if (i++ % 50 == 0) {
                sample.add(e);
            }
        }
        Path teacherFile = dir.resolve("teacher.onnx");
        teacher.saveONNXModel("io.github.tribuokd.test", 1, teacherFile);
        OnnxCheck.assertDetectorMatches(teacherFile, teacher, sample, "dense autoencoder teacher");
        for (Trainer<Regressor> student : students) {
            DistilledAnomalyModel model = new ScoreDistillationTrainer(null, student).distil(teacher, train);
            assertTrue(model.isONNXExportable());
            Path file = dir.resolve(student.getClass().getSimpleName() + ".onnx");
            model.saveONNXModel("io.github.tribuokd.test", 1, file);
            OnnxCheck.assertDetectorMatches(file, model, sample, student.getClass().getSimpleName());
            String provenance = OnnxCheck.metadata(file, ONNXExportable.PROVENANCE_METADATA_FIELD);
            assertNotNull(provenance);
            assertEquals(model.getProvenance(), ONNXExportable.SERIALIZER.deserializeAndUnmarshal(provenance));
        }
        DistilledAnomalyModel tree = new ScoreDistillationTrainer(null, cart()).distil(teacher, train);
        assertTrue(!tree.isONNXExportable());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tree.exportONNXModel("x", 1));
        assertTrue(e.getMessage().contains("CARTRegressionTrainer"), e.getMessage());
    }

    @Test
    public void mlpInvocationCountReproducesModels() {
        MutableDataset<Event> train = TestData.heavyTailed(400, 0, 19L);
        AutoencoderModel teacher = DenseAutoencoderTest.trainer(3).train(train);
        MLPRegressionTrainer t = mlp();
        ScoreDistillationTrainer kd = new ScoreDistillationTrainer(null, t);
        List<Example<Event>> probe = TestData.normals(TestData.heavyTailed(50, 0, 20L));
        double[] first = kd.distil(teacher, train).scores(probe);
        double[] second = kd.distil(teacher, train).scores(probe);
        assertTrue(!java.util.Arrays.equals(first, second), "a second invocation must draw new random numbers");
        t.setInvocationCount(1);
        assertArrayEquals(second, kd.distil(teacher, train).scores(probe));
        t.setInvocationCount(0);
        assertArrayEquals(first, kd.distil(teacher, train).scores(probe));
    }

    @Test
    public void mlpRegressionModelOnnxAndProto(@TempDir Path dir) throws Exception {
        MutableDataset<Event> train = TestData.manifold(400, 0, 17L);
        AutoencoderModel teacher = DenseAutoencoderTest.trainer(3).train(train);
        DistilledAnomalyModel model = new ScoreDistillationTrainer(null, mlp()).distil(teacher, train);
        MLPRegressionModel student = (MLPRegressionModel) model.student();
        assertEquals(8 * 16 + 16 + 16 + 1, student.numParameters());
        Path file = dir.resolve("mlp.onnx");
        student.saveONNXModel("io.github.tribuokd.test", 1, file);
        MutableDataset<Event> test = TestData.manifold(40, 40, 18L);
        float[] raw = FeatureMatrix.toMatrix(test, model.getFeatureIDMap());
        // The student sees standardised features; feed it the same through ONNX and compare to predictMatrix.
        float[] onnx = OnnxCheck.run(file, OnnxCheck.rows(raw, 80, model.getFeatureIDMap()));
        double[] java = new double[80];
        student.predictMatrix(raw, 80, java);
        OnnxCheck.assertMatches(java, onnx, "MLPRegressionModel");
        for (int i = 0; i < 80; i++) {
            assertEquals(java[i], student.predictOne(raw, i * 8), 1e-6 * Math.max(1, Math.abs(java[i])));
        }
        Helpers.testConfigurableRoundtrip(mlp());
        Helpers.testProvenanceMarshalling(student.getProvenance());
    }
}
