package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import io.github.tribuokd.anomaly.exposure.ExposureGenerator;
import io.github.tribuokd.anomaly.exposure.GaussianNoiseExposure;
import io.github.tribuokd.anomaly.exposure.MixupExposure;
import io.github.tribuokd.anomaly.exposure.TimeSeriesAnomalyExposure;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;
import org.tribuo.regression.Regressor;
import org.tribuo.test.Helpers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class ScoreDistillationExposureTest {

    static List<ExposureGenerator> generators() {
        return List.of(new GaussianNoiseExposure(), new TimeSeriesAnomalyExposure(), new MixupExposure());
    }

    /** A student that keeps the regression dataset it was given, then trains a linear model on it. */
    static final class CapturingStudent implements Trainer<Regressor> {
        final List<Example<Regressor>> seen = new ArrayList<>();
        private final Trainer<Regressor> inner = ScoreDistillationTest.linear();

        @Override
        public Model<Regressor> train(Dataset<Regressor> examples, Map<String, com.oracle.labs.mlrg.olcut.provenance
                .Provenance> runProvenance) {
            return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
        }

        @Override
        public Model<Regressor> train(Dataset<Regressor> examples, Map<String, com.oracle.labs.mlrg.olcut.provenance
                .Provenance> runProvenance, int invocationCount) {
            seen.clear();
            examples.forEach(seen::add);
            return inner.train(examples, runProvenance, invocationCount);
        }

        @Override
        public int getInvocationCount() {
            return inner.getInvocationCount();
        }

        @Override
        public void setInvocationCount(int invocationCount) {
            inner.setInvocationCount(invocationCount);
        }

        @Override
        public TrainerProvenance getProvenance() {
            return new TrainerProvenanceImpl(this);
        }
    }

    @Test
    public void exposedTargetsAreTheTeachersScoresAndTheTeacherIsUnchanged() {
        MutableDataset<Event> train = TestData.manifold(600, 0, 21L);
        CapturingStudent plainStudent = new CapturingStudent();
        CapturingStudent exposedStudent = new CapturingStudent();
        // Raw features for the student, so the captured rows are the exposed inputs themselves.
        ScoreDistillationTrainer plain = new ScoreDistillationTrainer(DenseAutoencoderTest.trainer(3), plainStudent,
                ScoreTransform.LOG, 1e-6, false, 0.1, 0.99);
        ScoreDistillationTrainer exposed = new ScoreDistillationTrainer(DenseAutoencoderTest.trainer(3),
                exposedStudent, ScoreTransform.LOG, 1e-6, false, 0.1, 0.99).withExposure(generators(), 0.25, 7L);
        TeacherStudentPair<DistilledAnomalyModel> a = plain.trainTeacherAndStudent(train, Collections.emptyMap(), 0);
        TeacherStudentPair<DistilledAnomalyModel> b = exposed.trainTeacherAndStudent(train, Collections.emptyMap(), 0);

        // The teacher is the same bit for bit: exposure never reaches its training data.
        MutableDataset<Event> test = TestData.manifold(100, 100, 22L);
        assertArrayEquals(((ScoredModel) a.teacher()).scores(test), ((ScoredModel) b.teacher()).scores(test));

        int fit = 540;  // 600 minus the 10% calibration tail
        assertEquals(fit, plainStudent.seen.size());
        int exposedRows = exposed.exposedRows(fit);
        assertEquals(180, exposedRows);  // 540 · 0.25 / 0.75
        assertEquals(fit + exposedRows, exposedStudent.seen.size());
        assertEquals(exposedRows, ((Number) ((com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance)
                b.student().getProvenance().getInstanceProvenance().getMap()
                        .get(ScoreDistillationTrainer.EXPOSED_EXAMPLES_PROVENANCE)).getValue()).intValue());

        ScoredModel teacher = (ScoredModel) b.teacher();
        int d = TestData.DIM;
        float[] row = new float[d];
        double farFromNormal = 0;
        for (int i = 0; i < exposedStudent.seen.size(); i++) {
            Example<Regressor> e = exposedStudent.seen.get(i);
            int j = 0;
            for (var f : e) {
                row[j++] = (float) f.getValue();
            }
            double[] score = new double[1];
            teacher.scoreMatrix(row.clone(), 1, score);
            double target = e.getOutput().getValues()[0];
            assertEquals(Math.log(score[0] + 1e-6), target, 1e-9, "target of row " + i);
            if (i >= fit) {
                farFromNormal = Math.max(farFromNormal, score[0]);
            }
        }
        // The exposed inputs reach scores far above the normal ones.
        double[] normalScores = ((ScoredModel) b.teacher()).scores(TestData.normals(test));
        double maxNormal = 0;
        for (double s : normalScores) {
            maxNormal = Math.max(maxNormal, s);
        }
        assertTrue(farFromNormal > 5 * maxNormal, farFromNormal + " vs " + maxNormal);
    }

    @Test
    public void theThresholdComesFromTheCalibrationTailAlone() {
        MutableDataset<Event> train = TestData.manifold(600, 0, 23L);
        ScoreDistillationTrainer kd = new ScoreDistillationTrainer(DenseAutoencoderTest.trainer(3),
                ScoreDistillationTest.mlp()).withExposure(generators(), 0.5, 8L);
        DistilledAnomalyModel model = kd.train(train);
        List<Example<Event>> tail = new ArrayList<>();
        for (int i = 540; i < 600; i++) {
            tail.add(train.getExample(i));
        }
        assertEquals(Quantiles.quantile(model.scores(tail), 0.99), model.threshold(), 0);
    }

    @Test
    public void exposureBringsTheStudentsRankingCloserToTheTeachersOnAnomalies() {
        MutableDataset<Event> train = TestData.manifold(1500, 0, 25L);
        MutableDataset<Event> test = TestData.manifold(300, 300, 26L);
        double[] plainRho = new double[1], exposedRho = new double[1];
        for (boolean withExposure : new boolean[]{false, true}) {
            ScoreDistillationTrainer kd = new ScoreDistillationTrainer(DenseAutoencoderTest.trainer(3),
                    ScoreDistillationTest.mlp());
            if (withExposure) {
                kd.withExposure(List.of(new GaussianNoiseExposure()), 0.5, 9L);
            }
            TeacherStudentPair<DistilledAnomalyModel> pair = kd.trainTeacherAndStudent(train, Collections.emptyMap(), 0);
            List<Example<Event>> anomalies = TestData.anomalies(test);
            double rho = spearman(((ScoredModel) pair.teacher()).scores(anomalies),
                    pair.student().scores(anomalies));
            (withExposure ? exposedRho : plainRho)[0] = rho;
        }
        assertTrue(exposedRho[0] > plainRho[0] + 0.05, "Spearman on anomalies: exposed " + exposedRho[0]
                + ", plain " + plainRho[0]);
    }

    @Test
    public void provenanceRebuildsTheExposureAndTheSameModel() {
        MutableDataset<Event> train = TestData.manifold(400, 0, 27L);
        ScoreDistillationTrainer kd = new ScoreDistillationTrainer(DenseAutoencoderTest.trainer(3),
                ScoreDistillationTest.mlp()).withExposure(generators(), 0.3, 10L);
        Helpers.testConfigurableRoundtrip(kd);
        DistilledAnomalyModel first = kd.train(train);
        DistilledAnomalyModel second = kd.train(train);
        MutableDataset<Event> test = TestData.manifold(50, 50, 28L);
        // The second invocation draws other exposed inputs.
        assertFalse(java.util.Arrays.equals(first.scores(test), second.scores(test)));

        List<ConfigurationData> config = ProvenanceUtil.extractConfiguration(first.getProvenance());
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(config);
        ScoreDistillationTrainer rebuilt = (ScoreDistillationTrainer) cm.lookup("scoredistillationtrainer-0");
        assertNotNull(rebuilt);
        assertEquals(3, rebuilt.exposures().size());
        assertArrayEquals(first.scores(test), rebuilt.train(train).scores(test));
    }

    @Test
    public void badExposureSettingsAreRefused() {
        ScoreDistillationTrainer kd = new ScoreDistillationTrainer(DenseAutoencoderTest.trainer(3),
                ScoreDistillationTest.mlp());
        assertThrows(IllegalArgumentException.class, () -> kd.withExposure(List.of(), 0.5, 1L));
        assertThrows(IllegalArgumentException.class, () -> kd.withExposure(generators(), 1.0, 1L));
        assertThrows(IllegalArgumentException.class, () -> kd.withExposure(generators(), 0.0, 1L));
        assertEquals(0, kd.exposedRows(1000));
    }

    private static double spearman(double[] x, double[] y) {
        double[] rx = ranks(x), ry = ranks(y);
        double mx = 0, my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += rx[i] / x.length;
            my += ry[i] / x.length;
        }
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    private static double[] ranks(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (p, q) -> Double.compare(v[p], v[q]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[idx[i]] = i;
        }
        return r;
    }
}
