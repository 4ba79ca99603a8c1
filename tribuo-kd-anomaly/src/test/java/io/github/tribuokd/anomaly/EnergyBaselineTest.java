package io.github.tribuokd.anomaly;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;
import org.tribuo.regression.Regressor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The energy baseline: the student learns ln(S + ε) − ln(E + ε) and the detector scores (E + ε)·exp(g) − ε. */
public class EnergyBaselineTest {

    @Test
    public void targetsAreLogRatiosToTheInputEnergy() {
        MutableDataset<Event> train = TestData.manifold(400, 0, 31L);
        ScoreDistillationExposureTest.CapturingStudent student = new ScoreDistillationExposureTest.CapturingStudent();
        // Raw features: the energy is the mean of the raw squares, which the test computes directly.
        ScoreDistillationTrainer kd = new ScoreDistillationTrainer(DenseAutoencoderTest.trainer(3), student,
                ScoreTransform.LOG, 1e-6, false, 0.1, 0.99).withEnergyBaseline(true);
        TeacherStudentPair<DistilledAnomalyModel> pair = kd.trainTeacherAndStudent(train, java.util.Collections.emptyMap(), 0);
        ScoredModel teacher = (ScoredModel) pair.teacher();
        assertEquals(360, student.seen.size());
        for (int i = 0; i < student.seen.size(); i++) {
            Example<Regressor> e = student.seen.get(i);
            float[] row = new float[TestData.DIM];
            double energy = 0;
            int j = 0;
            for (var f : e) {
                row[j++] = (float) f.getValue();
                energy += (double) (float) f.getValue() * (float) f.getValue();
            }
            energy /= TestData.DIM;
            double[] s = new double[1];
            teacher.scoreMatrix(row, 1, s);
            assertEquals(Math.log(s[0] + 1e-6) - Math.log(energy + 1e-6), e.getOutput().getValues()[0], 1e-9);
        }
        // The detector adds the log energy back: score = (E + ε)·exp(g(x)) − ε.
        DistilledAnomalyModel model = pair.student();
        assertTrue(model.energyBaseline());
        Model<Regressor> g = model.student();
        Example<Event> probe = train.getExample(7);
        double gx = g.predict(new org.tribuo.impl.ArrayExample<>(new Regressor("score", Double.NaN),
                TestData.names(TestData.DIM), values(probe))).getOutput().getValues()[0];
        double energy = 0;
        for (double v : values(probe)) {
            energy += (double) (float) v * (float) v;
        }
        energy /= TestData.DIM;
        assertEquals((energy + 1e-6) * Math.exp(gx) - 1e-6, model.score(probe), 1e-9 * Math.max(1, model.score(probe)));
    }

    @Test
    public void farFromTheDataTheScoreGrowsWithTheDistance() {
        MutableDataset<Event> train = TestData.manifold(800, 0, 32L);
        DistilledAnomalyModel model = new ScoreDistillationTrainer(DenseAutoencoderTest.trainer(3),
                ScoreDistillationTest.mlp()).withEnergyBaseline(true).train(train);
        // Along a direction off the normal plane, the energy grows as c² and dominates any bounded student output.
        double[] direction = values(TestData.manifold(0, 1, 33L).getExample(0));
        double previous = -1;
        for (double c : new double[]{10, 100, 1000}) {
            double[] x = direction.clone();
            for (int j = 0; j < x.length; j++) {
                x[j] *= c;
            }
            double s = model.score(new org.tribuo.impl.ArrayExample<>(new Event(Event.EventType.EXPECTED),
                    TestData.names(TestData.DIM), x));
            assertTrue(s > previous, "score " + s + " at scale " + c + " after " + previous);
            previous = s;
        }
    }

    @Test
    public void protobufAndOnnxKeepTheBaseline(@TempDir Path dir) throws Exception {
        Path smd = TestData.embeddedSmd();
        Assumptions.assumeTrue(smd != null, "embedded SMD data not found");
        MutableDataset<Event> train = TestData.smdRows(smd.resolve("train/machine-1-2.txt.gz"), 3000, null);
        AutoencoderModel teacher = DenseAutoencoderTest.trainer(3).train(train);
        @SuppressWarnings("unchecked")
        Trainer<Regressor>[] students = new Trainer[]{ScoreDistillationTest.mlp(), ScoreDistillationTest.linear()};
        List<Example<Event>> sample = new ArrayList<>();
        for (int i = 0; i < train.size(); i += 37) {
            sample.add(train.getExample(i));
        }
        // Test rows: far outside the training range too, where the clipping acts.
        MutableDataset<Event> test = TestData.smdRows(smd.resolve("test/machine-1-2.txt.gz"), 23694, null);
        for (int i = 15000; i < test.size(); i += 97) {
            sample.add(test.getExample(i));
        }
        for (Trainer<Regressor> student : students) {
            DistilledAnomalyModel model = new ScoreDistillationTrainer(null, student).withMinScale(0.01)
                    .withEnergyBaseline(true).withClippedStudentInputs(true).distil(teacher, train);
            assertTrue(model.clipsStudentInputs());
            Path proto = dir.resolve("model.tribuo");
            model.serializeToFile(proto);
            DistilledAnomalyModel loaded = (DistilledAnomalyModel) Model.deserializeFromFile(proto);
            assertTrue(loaded.energyBaseline() && loaded.clipsStudentInputs());
            assertArrayEquals(model.scores(sample), loaded.scores(sample));
            Path file = dir.resolve(student.getClass().getSimpleName() + ".onnx");
            model.saveONNXModel("io.github.tribuokd.test", 1, file);
            float[] matrix = FeatureMatrix.toMatrix(sample, model.getFeatureIDMap());
            float[] onnx = OnnxCheck.run(file, OnnxCheck.rows(matrix, sample.size(), model.getFeatureIDMap()));
            OnnxCheck.assertMatches(model.scores(sample), onnx, "energy baseline, " + student.getClass().getSimpleName());
        }
        // Without the baseline the same student scores differently: the flag is not ignored.
        DistilledAnomalyModel plain = new ScoreDistillationTrainer(null, ScoreDistillationTest.linear())
                .withMinScale(0.01).distil(teacher, train);
        assertFalse(plain.energyBaseline());
    }

    @Test
    public void clippedInputsAreScoredAtTheEdgeOfTheTrainingRange() {
        MutableDataset<Event> train = TestData.manifold(400, 0, 34L);
        DistilledAnomalyModel clipped = new ScoreDistillationTrainer(DenseAutoencoderTest.trainer(3),
                ScoreDistillationTest.mlp()).withEnergyBaseline(true).withClippedStudentInputs(true).train(train);
        // The bounds are the fitting rows' range (the first 360 rows; no exposure here).
        float[] low = new float[TestData.DIM], high = new float[TestData.DIM];
        java.util.Arrays.fill(low, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(high, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < 360; i++) {
            double[] v = values(train.getExample(i));
            for (int j = 0; j < v.length; j++) {
                low[j] = Math.min(low[j], (float) v[j]);
                high[j] = Math.max(high[j], (float) v[j]);
            }
        }
        // A row beyond the range in every feature: its student output is that of the corner of the box, while the
        // energy is the row's own.
        double[] far = new double[TestData.DIM];
        double[] corner = new double[TestData.DIM];
        for (int j = 0; j < far.length; j++) {
            far[j] = high[j] + 50;
            corner[j] = high[j];
        }
        Model<Regressor> g = clipped.student();
        FeatureStandardizer std = FeatureStandardizer.fit(rows(train, 360), 360, TestData.DIM);
        float[] farRow = new float[TestData.DIM];
        float[] cornerRow = new float[TestData.DIM];
        for (int j = 0; j < far.length; j++) {
            farRow[j] = (float) far[j];
            cornerRow[j] = (float) corner[j];
        }
        std.applyInPlace(cornerRow, 1);
        double[] cornerValues = new double[TestData.DIM];
        for (int j = 0; j < cornerValues.length; j++) {
            cornerValues[j] = cornerRow[j];
        }
        double gCorner = g.predict(new org.tribuo.impl.ArrayExample<>(new Regressor("score", Double.NaN),
                TestData.names(TestData.DIM), cornerValues)).getOutput().getValues()[0];
        double energy = std.meanSquare(farRow, 0);
        double expected = (energy + 1e-6) * Math.exp(gCorner) - 1e-6;
        double got = clipped.score(new org.tribuo.impl.ArrayExample<>(new Event(Event.EventType.EXPECTED),
                TestData.names(TestData.DIM), far));
        assertEquals(expected, got, 1e-4 * expected);
    }

    private static float[] rows(MutableDataset<Event> data, int n) {
        float[] out = new float[n * TestData.DIM];
        for (int i = 0; i < n; i++) {
            double[] v = values(data.getExample(i));
            for (int j = 0; j < v.length; j++) {
                out[i * TestData.DIM + j] = (float) v[j];
            }
        }
        return out;
    }

    @Test
    public void theBaselineNeedsTheLogTransform() {
        assertThrows(IllegalArgumentException.class, () -> new ScoreDistillationTrainer(null,
                ScoreDistillationTest.mlp(), ScoreTransform.RAW, 1e-6, true, 0.1, 0.99).withEnergyBaseline(true));
    }

    private static double[] values(Example<Event> e) {
        double[] v = new double[TestData.DIM];
        int j = 0;
        for (var f : e) {
            v[j++] = f.getValue();
        }
        return v;
    }
}
