package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.test.Helpers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class DenseReconstructionDistillationTest {

    static DenseReconstructionDistillationTrainer trainer(double alpha, double temperature, long seed) {
        return new DenseReconstructionDistillationTrainer(DenseAutoencoderTest.trainer(seed), new int[]{3},
                Activation.TANH, alpha, temperature, 60, 32, new AdamOptimiser(0.005), seed, 0.2, 0.95);
    }

    /** Spearman's rho without ties (continuous scores). */
    static double spearman(double[] x, double[] y) {
        double[] rx = ranks(x), ry = ranks(y);
        double n = x.length, sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += (rx[i] - ry[i]) * (rx[i] - ry[i]);
        }
        return 1 - 6 * sum / (n * (n * n - 1));
    }

    private static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[order[i]] = i;
        }
        return r;
    }

    @Test
    public void blendedTargetGivesTheGradientOfTheTwoTermLoss() {
        // d/ds [a·(s − x)² + b·(s − xt)²] = 2a(s − x) + 2b(s − xt) must equal d/ds [(a + b)·(s − y)²] = 2(a + b)(s − y)
        SplittableRandom rng = new SplittableRandom(3);
        float[] x = new float[20], xt = new float[15], y = new float[20];
        for (int i = 0; i < 20; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < 15; i++) {
            xt[i] = (float) rng.nextGaussian();
        }
        double alpha = 0.35, t = 1.5, a = 1 - alpha, b = alpha / (t * t);
        DenseReconstructionDistillationTrainer.blend(x, 5, xt, 15, a, b, y);
        for (int i = 0; i < 5; i++) {
            assertEquals(0f, y[i], 0f, "elements before the offset are untouched");
        }
        for (int i = 0; i < 15; i++) {
            double s = rng.nextGaussian() * 2;
            double twoTerm = 2 * a * (s - x[5 + i]) + 2 * b * (s - xt[i]);
            double blended = 2 * (a + b) * (s - y[5 + i]);
            assertEquals(twoTerm, blended, 1e-5);
        }
        assertArrayEquals(new double[]{0.65, 0.35 / 2.25}, trainer(0.35, 1.5, 1).lossWeights(), 1e-12);
    }

    @Test
    public void copyingTheTeacherKeepsItsRanking() {
        MutableDataset<Event> train = TestData.manifold(1000, 0, 1L);
        DenseReconstructionDistillationTrainer kd = trainer(1.0, 1.0, 1);
        TeacherStudentPair<AutoencoderModel> pair = kd.trainTeacherAndStudent(train, Collections.emptyMap(), 0);
        AutoencoderModel teacher = (AutoencoderModel) pair.teacher();
        AutoencoderModel student = pair.student();
        assertEquals(8 * 3 + 3 + 3 * 8 + 8, student.numParameters());
        assertTrue(student.numParameters() < teacher.numParameters());
        assertTrue(student.standardizer() == teacher.standardizer(), "the student shares the teacher's scaling");

        MutableDataset<Event> test = TestData.manifold(300, 300, 2L);
        double[] teacherScores = teacher.scores(test);
        double[] studentScores = student.scores(test);
        double rho = spearman(teacherScores, studentScores);
        assertTrue(rho > 0.85, "Spearman teacher vs student " + rho);
        double auc = TestData.auc(student.scores(TestData.normals(test)), student.scores(TestData.anomalies(test)));
        assertTrue(auc > 0.95, "student ROC-AUC " + auc);
        // The threshold is the student's own 0.95 quantile on the calibration tail: about 5% of fresh normals exceed it.
        long above = Arrays.stream(student.scores(TestData.normals(test))).filter(s -> s > student.threshold()).count();
        assertTrue(above > 3 && above < 45, above + " of 300 normal examples above the threshold");
    }

    @Test
    public void provenanceNestsTheTeacherAndTrainingIsReproducible() {
        MutableDataset<Event> train = TestData.manifold(400, 0, 5L);
        DenseReconstructionDistillationTrainer kd = trainer(0.5, 1.0, 9);
        AutoencoderModel first = kd.train(train);
        AutoencoderModel second = kd.train(train);
        List<Example<Event>> probe = TestData.normals(TestData.manifold(50, 0, 6L));
        assertTrue(first.scores(probe)[0] != second.scores(probe)[0], "a second invocation draws new weights");
        kd.setInvocationCount(0);
        assertArrayEquals(first.scores(probe), kd.train(train).scores(probe));
        assertArrayEquals(first.scores(probe), trainer(0.5, 1.0, 9).train(train).scores(probe));

        ModelProvenance p = first.getProvenance();
        assertEquals(DenseReconstructionDistillationTrainer.class.getName(), p.getTrainerProvenance().getClassName());
        Provenance nestedTeacher = p.getTrainerProvenance().getConfiguredParameters().get("teacher");
        assertTrue(nestedTeacher.toString().contains("DenseAutoencoderTrainer"), nestedTeacher.toString());
        Provenance teacherModel = p.getInstanceProvenance().getMap()
                .get(DenseReconstructionDistillationTrainer.TEACHER_MODEL_PROVENANCE);
        assertTrue(teacherModel instanceof ModelProvenance, String.valueOf(teacherModel));
        assertEquals(AutoencoderModel.class.getName(), ((ModelProvenance) teacherModel).getClassName());
        assertTrue(p.getTrainerProvenance().getConfiguredParameters().get("studentEncoderSizes")
                instanceof ListProvenance);

        Model<Event> copy = Helpers.testModelProtoSerialization(first, Event.class, train);
        assertArrayEquals(first.scores(train), ((AutoencoderModel) copy).scores(train));
    }

    @Test
    public void teacherAndStudentExportToOnnxWithTheirScores(@TempDir Path dir) throws Exception {
        MutableDataset<Event> train = TestData.manifold(400, 0, 5L);
        TeacherStudentPair<AutoencoderModel> pair = trainer(1.0, 1.0, 3).trainTeacherAndStudent(train,
                Collections.emptyMap(), 0);
        MutableDataset<Event> test = TestData.manifold(60, 60, 8L);
        List<Example<Event>> rows = new ArrayList<>();
        test.forEach(rows::add);
        for (AutoencoderModel model : List.of((AutoencoderModel) pair.teacher(), pair.student())) {
            Path file = dir.resolve(model.getName() + ".onnx");
            model.saveONNXModel("io.github.tribuokd.test", 1, file);
            OnnxCheck.assertDetectorMatches(file, model, rows, model.getName());
        }
        assertTrue(pair.student().scoringRoute().startsWith("fused-"), pair.student().scoringRoute());
        assertEquals("layers", ((AutoencoderModel) pair.teacher()).scoringRoute());
    }

    @Test
    public void badSettingsAndTeachersAreClearErrors() {
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> trainer(1.5, 1.0, 1));
        assertTrue(a.getMessage().contains("alpha"), a.getMessage());
        assertThrows(IllegalArgumentException.class, () -> trainer(0.5, 0.0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DenseReconstructionDistillationTrainer(null,
                new int[0], Activation.TANH, 1, 1, 5, 32, new AdamOptimiser(0.01), 1, 0.2, 0.95));
        DenseReconstructionDistillationTrainer noTeacher = new DenseReconstructionDistillationTrainer(null,
                new int[]{3}, Activation.TANH, 1, 1, 5, 32, new AdamOptimiser(0.01), 1, 0.2, 0.95);
        assertThrows(IllegalStateException.class, () -> noTeacher.train(TestData.manifold(100, 0, 1L)));
        DenseReconstructionDistillationTrainer pcaTeacher = new DenseReconstructionDistillationTrainer(
                new PCAReconstructionTrainer(0.95, 0, 0.1, 0.99, 0), new int[]{3}, Activation.TANH, 1, 1, 5, 32,
                new AdamOptimiser(0.01), 1, 0.2, 0.95);
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> pcaTeacher.train(TestData.manifold(200, 0, 1L)));
        assertTrue(b.getMessage().contains("AutoencoderModel"), b.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> trainer(1, 1, 1).train(TestData.manifold(200, 5, 1L)));
        assertTrue(c.getMessage().toLowerCase().contains("anomal"), c.getMessage());
    }
}
