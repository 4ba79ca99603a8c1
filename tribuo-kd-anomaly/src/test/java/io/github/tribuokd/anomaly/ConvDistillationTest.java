package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.ConvNetSpec;
import io.github.tribuokd.nn.LossFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.ONNXExportable;
import org.tribuo.anomaly.Event;
import org.tribuo.test.Helpers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The convolutional teacher, students, offline distillation and co-learning (seed 001 (Pol et al., "Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md)) on tiny synthetic images:
 * blobs are normal, lines anomalous.
 */
public class ConvDistillationTest {

    private static final String TEACHER = "c4-p2-c4-d6-d64-r4x4x4-u2-c1";
    private static final String STUDENT = "c2-p2-d1";
    private static final String BIG_STUDENT = "c4-c4-p2-d1";

    static ConvAutoencoderTrainer teacher(int epochs, long seed) {
        return new ConvAutoencoderTrainer(TEACHER, 1, 8, 8, Activation.RELU, epochs, 32,
                new AdamOptimiser(3e-3), seed, 0.1, 0.99);
    }

    static ConvRegressionTrainer student(String spec, long seed) {
        return new ConvRegressionTrainer(spec, 1, 8, 8, Activation.RELU, LossFunction.MAE, 30, 32,
                new AdamOptimiser(3e-3), seed);
    }

    private static double auc(Model<Event> model, List<Example<Event>> normals, List<Example<Event>> anomalies) {
        ScoredModel scored = (ScoredModel) model;
        return TestData.auc(scored.scores(normals), scored.scores(anomalies));
    }

    @Test
    public void specCountsMatchTheSeedTable() {
        ConvNetSpec teacher = ConvNetSpec.parse(ConvNetSpec.TEACHER, 1, 28, 28, Activation.RELU, Activation.IDENTITY);
        assertEquals(19905, teacher.numParameters());
        assertEquals(784, teacher.outputSize());
        int[] expected = {7173, 2212, 1069, 409, 225, 133, 77};
        for (int i = 0; i < expected.length; i++) {
            ConvNetSpec s = ConvNetSpec.parse(ConvNetSpec.STUDENTS.get(i), 1, 28, 28, Activation.RELU,
                    Activation.IDENTITY);
            assertEquals(expected[i], s.numParameters(), "S" + (i + 1));
            assertEquals(expected[i], s.newNetwork().numParameters(), "S" + (i + 1) + " network");
            assertEquals(1, s.outputSize());
        }
        // S7 by hand: conv 1->2 @28x28 (784·2·9), pool to 14, valid conv 2->2 @12x12 (144·2·2·9), dense 18->1.
        ConvNetSpec s7 = ConvNetSpec.parse(ConvNetSpec.STUDENTS.get(6), 1, 28, 28, Activation.RELU,
                Activation.IDENTITY);
        assertEquals(784L * 18 + 144L * 36 + 18, s7.multiplyAccumulates());
        assertEquals(2 * s7.multiplyAccumulates(), s7.flops());
    }

    @Test
    public void specErrorsNameTheToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvNetSpec.parse("c4-d8-c2", 1, 8, 8, Activation.RELU, Activation.IDENTITY));
        assertTrue(e.getMessage().contains("token 3 'c2'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvNetSpec.parse("c4-x9", 1, 8, 8, Activation.RELU, Activation.IDENTITY));
        assertTrue(e.getMessage().contains("unknown token"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvNetSpec.parse("c4-p16-d1", 1, 8, 8, Activation.RELU, Activation.IDENTITY));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvNetSpec.parse("d10-r3x2x2-c1", 1, 8, 8, Activation.RELU, Activation.IDENTITY));
        assertTrue(e.getMessage().contains("cannot read 10 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvNetSpec.parse("c4k4-d1", 1, 8, 8, Activation.RELU, Activation.IDENTITY));
        assertTrue(e.getMessage().contains("odd kernel"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConvRegressionTrainer("c4-d2", 2, 1L));
        assertThrows(IllegalArgumentException.class, () -> new ConvAutoencoderTrainer(STUDENT, 1, 8, 8,
                Activation.RELU, 1, 8, new AdamOptimiser(1e-3), 1L, 0.1, 0.99));
    }

    @Test
    public void teacherSeparatesLinesFromBlobsAndRoundTrips(@TempDir Path dir) throws Exception {
        MutableDataset<Event> train = new SyntheticImageSource(SyntheticImageSource.Kind.NORMAL, 600, 1L).dataset();
        List<Example<Event>> normals = new SyntheticImageSource(SyntheticImageSource.Kind.NORMAL, 100, 2L).examples();
        List<Example<Event>> lines = new SyntheticImageSource(SyntheticImageSource.Kind.LINES, 100, 3L).examples();
        ConvAutoencoderModel model = teacher(40, 7L).train(train);
        assertEquals(ConvNetSpec.parse(TEACHER, 1, 8, 8, Activation.RELU, Activation.IDENTITY).numParameters(),
                model.numParameters());
        double[] loss = model.trainingLoss();
        assertTrue(loss[loss.length - 1] < 0.5 * loss[0], "the reconstruction loss must fall: first " + loss[0]
                + ", last " + loss[loss.length - 1]);
        double auc = auc(model, normals, lines);
        assertTrue(auc > 0.9, "teacher ROC-AUC " + auc);
        // Protobuf round trip gives the same scores; provenance marshals.
        Path file = dir.resolve("teacher.pb");
        model.serializeToFile(file);
        Model<?> back = Model.deserializeFromFile(file);
        assertArrayEquals(model.scores(lines), ((ConvAutoencoderModel) back).scores(lines));
        Helpers.testProvenanceMarshalling(model.getProvenance());
        Helpers.testConfigurableRoundtrip(teacher(3, 1L));
        // Wrong image size: a clear error.
        MutableDataset<Event> wrong = TestData.manifold(50, 0, 1L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> teacher(1, 1L).train(wrong));
        assertTrue(e.getMessage().contains("1x8x8 have 64 pixels"), e.getMessage());
    }

    @Test
    public void offlineDistillationWithAConvStudentExportsToOnnx(@TempDir Path dir) throws Exception {
        MutableDataset<Event> train = new SyntheticImageSource(SyntheticImageSource.Kind.NORMAL, 600, 1L).dataset();
        List<Example<Event>> normals = new SyntheticImageSource(SyntheticImageSource.Kind.NORMAL, 100, 2L).examples();
        List<Example<Event>> lines = new SyntheticImageSource(SyntheticImageSource.Kind.LINES, 100, 3L).examples();
        ConvAutoencoderModel teacherModel = teacher(40, 7L).train(train);
        ScoreDistillationTrainer kd = new ScoreDistillationTrainer(null, student(BIG_STUDENT, 3L), ScoreTransform.LOG,
                1e-6, false, 0.1, 0.99);
        DistilledAnomalyModel model = kd.distil(teacherModel, train);
        assertEquals(ConvNetSpec.parse(BIG_STUDENT, 1, 8, 8, Activation.RELU, Activation.IDENTITY).numParameters(),
                model.numParameters());
        // The student regresses the teacher's log score: on unseen blobs it must beat the best constant.
        double[] t = teacherModel.scores(normals);
        double[] s = model.scores(normals);
        double mean = 0;
        for (double v : t) {
            mean += Math.log(v + 1e-6) / t.length;
        }
        double maeStudent = 0;
        double maeConstant = 0;
        for (int i = 0; i < t.length; i++) {
            double target = Math.log(t[i] + 1e-6);
            maeStudent += Math.abs(Math.log(s[i] + 1e-6) - target);
            maeConstant += Math.abs(mean - target);
        }
        assertTrue(maeStudent < 0.7 * maeConstant, "student log-score MAE " + maeStudent / t.length
                + " vs constant " + maeConstant / t.length);
        checkOnnx(model, lines, dir.resolve("offline.onnx"));
        Path file = dir.resolve("offline.pb");
        model.serializeToFile(file);
        DistilledAnomalyModel back = (DistilledAnomalyModel) Model.deserializeFromFile(file);
        assertArrayEquals(model.scores(lines), back.scores(lines));
        ConvRegressionModel student = (ConvRegressionModel) model.student();
        Helpers.testProvenanceMarshalling(student.getProvenance());
        Helpers.testConfigurableRoundtrip(student(STUDENT, 1L));
    }

    private static void checkOnnx(DistilledAnomalyModel model, List<Example<Event>> sample, Path file)
            throws Exception {
        assertTrue(model.isONNXExportable());
        model.saveONNXModel("io.github.tribuokd.test", 1, file);
        OnnxCheck.assertDetectorMatches(file, model, sample, "conv student");
        String provenance = OnnxCheck.metadata(file, ONNXExportable.PROVENANCE_METADATA_FIELD);
        assertEquals(model.getProvenance(), ONNXExportable.SERIALIZER.deserializeAndUnmarshal(provenance));
    }

    @Test
    public void coLearningTrainsEveryStudentAlongsideAnUnchangedTeacher(@TempDir Path dir) throws Exception {
        MutableDataset<Event> train = new SyntheticImageSource(SyntheticImageSource.Kind.NORMAL, 400, 1L).dataset();
        List<Example<Event>> normals = new SyntheticImageSource(SyntheticImageSource.Kind.NORMAL, 100, 2L).examples();
        List<Example<Event>> lines = new SyntheticImageSource(SyntheticImageSource.Kind.LINES, 100, 3L).examples();
        SyntheticImageSource outliers = new SyntheticImageSource(SyntheticImageSource.Kind.LINES, 200, 4L);
        List<ConvRegressionTrainer> students = List.of(student(STUDENT, 5L), student(BIG_STUDENT, 6L));
        CoLearningDistillationTrainer co = new CoLearningDistillationTrainer(teacher(40, 7L), students,
                EnumSet.allOf(StudentExposure.class), outliers);
        CoLearningDistillationTrainer.Result result = co.trainAll(train);
        assertEquals(6, result.students().size());

        // The teacher does not depend on the students: it equals the teacher trained alone with the same seed.
        ConvAutoencoderModel alone = teacher(40, 7L).train(train);
        assertArrayEquals(alone.scores(lines), result.teacher().scores(lines));

        double teacherAuc = auc(result.teacher(), normals, lines);
        assertTrue(teacherAuc > 0.9, "teacher ROC-AUC " + teacherAuc);
        double[] studentAuc = new double[6];
        for (int i = 0; i < 6; i++) {
            CoLearningDistillationTrainer.StudentResult r = result.students().get(i);
            assertEquals(i / 3, r.studentIndex());
            assertEquals(StudentExposure.values()[i % 3], r.exposure());
            double[] loss = r.trainingLoss();
            assertTrue(loss[loss.length - 1] < loss[0], "student " + i + " loss must fall");
            studentAuc[i] = auc(r.model(), normals, lines);
        }
        // Outlier exposure shows the students lines (seed 001, §2.3): they must rank them clearly better than the
        // students that saw blobs only (0.53 / 0.39 without exposure, 0.84 / 0.99 with it, when written).
        String aucs = java.util.Arrays.toString(studentAuc);
        assertTrue(studentAuc[1] > studentAuc[0] + 0.1, "small student: exposure must help, " + aucs);
        assertTrue(studentAuc[4] > studentAuc[3] + 0.1, "big student: exposure must help, " + aucs);
        assertTrue(studentAuc[4] > 0.9, "outlier-exposed big student ROC-AUC, " + aucs);

        DistilledAnomalyModel model = result.students().get(4).model();
        checkOnnx(model, lines, dir.resolve("colearned.onnx"));
        Path file = dir.resolve("colearned.pb");
        model.serializeToFile(file);
        assertArrayEquals(model.scores(lines), ((DistilledAnomalyModel) Model.deserializeFromFile(file)).scores(lines));
        Provenance teacherProv = model.getProvenance().getInstanceProvenance().getMap()
                .get(DistilledAnomalyModel.TEACHER_MODEL_PROVENANCE);
        assertEquals(result.teacher().getProvenance(), teacherProv);
        Helpers.testProvenanceMarshalling(model.getProvenance());
        Helpers.testConfigurableRoundtrip(co);

        // Same seed and invocation: bit-identical students.
        co.setInvocationCount(0);
        CoLearningDistillationTrainer.Result again = co.trainAll(train);
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(result.students().get(i).model().scores(lines),
                    again.students().get(i).model().scores(lines));
        }
    }

    @Test
    public void coLearningRefusesBadSetups() {
        MutableDataset<Event> train = new SyntheticImageSource(SyntheticImageSource.Kind.NORMAL, 50, 1L).dataset();
        List<ConvRegressionTrainer> two = new ArrayList<>(List.of(student(STUDENT, 1L), student(STUDENT, 2L)));
        CoLearningDistillationTrainer co = new CoLearningDistillationTrainer(teacher(1, 1L), two,
                EnumSet.of(StudentExposure.NONE), null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> co.train(train));
        assertTrue(e.getMessage().contains("use trainAll"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new CoLearningDistillationTrainer(teacher(1, 1L), two, EnumSet.of(StudentExposure.OUTLIERS),
                        null));
        assertTrue(missing.getMessage().contains("outlierSource"), missing.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> new CoLearningDistillationTrainer(teacher(1, 1L), List.of(new ConvRegressionTrainer(
                        "c2-p2-d1", 1, 10, 10, Activation.RELU, LossFunction.MAE, 1, 8, new AdamOptimiser(1e-3), 1L)),
                        EnumSet.of(StudentExposure.NONE), null));
        assertTrue(size.getMessage().contains("reads 100 pixels"), size.getMessage());
    }
}
