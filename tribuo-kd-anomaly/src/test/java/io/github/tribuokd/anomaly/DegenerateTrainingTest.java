package io.github.tribuokd.anomaly;

import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.LossFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Degenerate training data (issue 23, point 5; docs/RELIABILITY.md, "Runs and degenerate training"): too few
 * windows and constant series are refused with errors naming the count and the minimum, constant features and a
 * calibration tail outside the fitted range are warned about in the model's provenance, and the threshold stays in
 * the fitted range.
 */
public class DegenerateTrainingTest {

    static DenseAutoencoderTrainer teacher() {
        return new DenseAutoencoderTrainer(new int[]{6, 2}, Activation.TANH, 30, 32, new AdamOptimiser(0.005), 1L,
                0.1, 0.99);
    }

    static ScoreDistillationTrainer scoreDistillation() {
        return new ScoreDistillationTrainer(teacher(), new MLPRegressionTrainer(new int[]{8}, Activation.RELU,
                LossFunction.MAE, 20, 32, 1L));
    }

    static DenseReconstructionDistillationTrainer reconstructionDistillation() {
        return new DenseReconstructionDistillationTrainer(teacher(), new int[]{3}, Activation.TANH, 1.0, 1.0, 20, 32,
                new AdamOptimiser(0.005), 1L, 0.1, 0.99);
    }

    /** Every trainer of the package that trains on windows, fresh. */
    @SuppressWarnings("unchecked")
    static List<Supplier<Trainer<Event>>> trainers() {
        return List.of(DegenerateTrainingTest::teacher, DegenerateTrainingTest::scoreDistillation,
                DegenerateTrainingTest::reconstructionDistillation,
                () -> new PCAReconstructionTrainer(0.95, 0.1, 0.99),
                () -> new KNearestWindowTrainer(5, 100, 0.1, 0.99));
    }

    static MutableDataset<Event> rows(double[][] values) {
        AnomalyFactory factory = new AnomalyFactory();
        MutableDataset<Event> data = new MutableDataset<>(new SimpleDataSourceProvenance("rows", factory), factory);
        for (double[] v : values) {
            data.add(new ArrayExample<>(new Event(Event.EventType.EXPECTED), TestData.names(v.length), v));
        }
        return data;
    }

    /** 15 rows in windows of 10 give 6 windows: every trainer refuses, naming the count and the minimum. */
    @Test
    public void sixWindowsAreRefused() {
        MutableDataset<Event> six = new MutableDataset<>(new SimpleDataSourceProvenance("six", new AnomalyFactory()),
                new AnomalyFactory());
        for (Example<Event> e : TestData.normals(TestData.manifold(6, 0, 3L))) {
            six.add(e);
        }
        for (Supplier<Trainer<Event>> t : trainers()) {
            Trainer<Event> trainer = t.get();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.train(six),
                    trainer.getClass().getSimpleName());
            assertTrue(e.getMessage().contains("6 normal training examples leave 5 for fitting")
                    && e.getMessage().contains("at least " + TrainingData.MIN_FIT_EXAMPLES), e.getMessage());
        }
    }

    /** Six windows of 75,810 features (a wide series): refused before any training, naming the count. */
    @Test
    public void sixWideWindowsAreRefused() {
        SplittableRandom rng = new SplittableRandom(4);
        double[][] v = new double[6][75_810];
        for (double[] row : v) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        MutableDataset<Event> wide = rows(v);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> reconstructionDistillation().train(wide));
        assertTrue(e.getMessage().contains("6 normal training examples"), e.getMessage());
    }

    /** A constant training series: nothing to learn; refused by every trainer instead of flagging everything. */
    @Test
    public void constantSeriesIsRefused() {
        double[][] v = new double[200][TestData.DIM];
        for (double[] row : v) {
            java.util.Arrays.fill(row, 0.25);
        }
        MutableDataset<Event> constant = rows(v);
        for (Supplier<Trainer<Event>> t : trainers()) {
            Trainer<Event> trainer = t.get();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.train(constant),
                    trainer.getClass().getSimpleName());
            assertTrue(e.getMessage().contains("every one of the 8 features is constant"), e.getMessage());
        }
    }

    /** Some constant features: kept, and named in a warning that travels with the model (protobuf round trip). */
    @Test
    public void constantFeaturesAreWarnedAbout(@TempDir Path dir) throws Exception {
        List<Example<Event>> normal = TestData.normals(TestData.manifold(300, 0, 5L));
        double[][] v = new double[normal.size()][TestData.DIM + 1];
        for (int i = 0; i < v.length; i++) {
            int j = 0;
            for (org.tribuo.Feature f : normal.get(i)) {
                v[i][j++] = f.getValue();
            }
            v[i][TestData.DIM] = 3.0;   // f08 never changes
        }
        AutoencoderModel student = reconstructionDistillation().train(rows(v));
        List<String> warnings = TrainingWarnings.of(student);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("1 of 9 features are constant") && w.contains("f08")),
                warnings.toString());
        Path file = dir.resolve("student.tribuo");
        student.serializeToFile(file);
        assertEquals(warnings, TrainingWarnings.of(Model.deserializeFromFile(file)));
        // Clean data: no warnings, and no provenance key.
        AutoencoderModel clean = teacher().train(TestData.manifold(300, 0, 5L));
        assertEquals(Collections.emptyList(), TrainingWarnings.of(clean));
        assertTrue(!clean.getProvenance().getInstanceProvenance().getMap()
                .containsKey(TrainingWarnings.PROVENANCE_KEY));
    }

    /**
     * Normal windows, then a calibration tail holding a burst far from them (an anomaly inside the training data,
     * as in the first 2,000 rows of SMD machine-1-2): the tail's 0.99 quantile lies far above every fitting score.
     */
    static MutableDataset<Event> contaminatedTail() {
        List<Example<Event>> normal = TestData.normals(TestData.manifold(500, 0, 6L));
        double[][] v = new double[normal.size()][TestData.DIM];
        for (int i = 0; i < v.length; i++) {
            int j = 0;
            for (org.tribuo.Feature f : normal.get(i)) {
                v[i][j++] = f.getValue();
            }
            if (i >= 470 && i < 480) {
                v[i][3] += 40;   // 10 of the 50 tail windows
            }
        }
        return rows(v);
    }

    /** The threshold stays in the fitted range (capped, with a warning) instead of following the burst. */
    @Test
    public void contaminatedTailIsCappedAndWarned() {
        MutableDataset<Event> data = contaminatedTail();
        TeacherStudentPair<AutoencoderModel> rec = reconstructionDistillation().trainTeacherAndStudent(data,
                Collections.emptyMap(), Trainer.INCREMENT_INVOCATION_COUNT);
        TeacherStudentPair<DistilledAnomalyModel> reg = scoreDistillation().trainTeacherAndStudent(data,
                Collections.emptyMap(), Trainer.INCREMENT_INVOCATION_COUNT);
        double teacherThreshold = ((AutoencoderModel) rec.teacher()).threshold();
        for (AbstractScoredAnomalyModel student : List.of(rec.student(), reg.student())) {
            double ratio = student.threshold() / teacherThreshold;
            assertTrue(ratio >= 0.1 && ratio <= 10, student.getClass().getSimpleName() + " threshold "
                    + student.threshold() + ", teacher " + teacherThreshold);
            // Capped at the largest score of the 450 fitting windows.
            double[] fit = student.scores(data.getData().subList(0, 450));
            assertEquals(java.util.Arrays.stream(fit).max().getAsDouble(), student.threshold(), 1e-9);
            List<String> warnings = TrainingWarnings.of(student);
            assertTrue(warnings.stream().anyMatch(w -> w.contains("calibration tail") && w.contains("capped")),
                    warnings.toString());
        }
        // The teacher's own tail (inside the fitting part) is clean: no calibration warning.
        assertTrue(TrainingWarnings.of(rec.teacher()).isEmpty(), TrainingWarnings.of(rec.teacher()).toString());
    }

    /** A clean tail keeps the plain quantile rule: no cap, no warning. */
    @Test
    public void cleanTailKeepsTheQuantile() {
        MutableDataset<Event> data = TestData.manifold(500, 0, 6L);
        AutoencoderModel model = teacher().train(data);
        double[] tail = model.scores(data.getData().subList(450, 500));
        assertEquals(Quantiles.quantile(tail, 0.99), model.threshold(), 1e-12);
        assertTrue(TrainingWarnings.of(model).isEmpty(), TrainingWarnings.of(model).toString());
    }
}
