package io.github.tribuokd.evaluation;

import io.github.tribuokd.evaluation.PrivilegedSensorsExperiment.EntityResult;
import io.github.tribuokd.evaluation.PrivilegedSensorsExperiment.Row;
import io.github.tribuokd.timeseries.MultivariateSeries;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrivilegedSensorsExperimentTest {

    private static final int VARIABLES = 8;
    private static final int CONSTANT = 5;

    /**
     * Eight sensors driven by two periodic latent signals (a different mix per sensor, with noise), sensor 5
     * constant. Test anomalies: every sensor leaves the latent mix at once (a jump of 1.5), so any subset sees them.
     */
    private static MultivariateSeries series(int steps, boolean anomalies, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        SplittableRandom mix = new SplittableRandom(7);
        double[][] a = new double[VARIABLES][2];
        for (double[] row : a) {
            row[0] = mix.nextGaussian();
            row[1] = mix.nextGaussian();
        }
        float[] values = new float[steps * VARIABLES];
        int[] labels = new int[steps];
        for (int t = 0; t < steps; t++) {
            double z = Math.sin(2 * Math.PI * t / 50), w = Math.cos(2 * Math.PI * t / 37);
            boolean anomalous = anomalies && t % 200 >= 150 && t % 200 < 170;
            labels[t] = anomalous ? 1 : 0;
            for (int v = 0; v < VARIABLES; v++) {
                double x = v == CONSTANT ? 1 : a[v][0] * z + a[v][1] * w + 0.05 * rng.nextGaussian();
                values[t * VARIABLES + v] = (float) (x + (anomalous && v != CONSTANT ? 1.5 * (v % 2 == 0 ? 1 : -1)
                        : 0));
            }
        }
        return new MultivariateSeries(anomalies ? "test" : "train", steps, VARIABLES, values, labels);
    }

    private static PrivilegedSensorsExperiment.Settings settings() {
        PrivilegedSensorsExperiment.Settings s = new PrivilegedSensorsExperiment.Settings();
        s.fractions = new double[]{0.5, 0.25};
        s.draws = 2;
        s.teacherEpochs = 3;
        s.studentEpochs = 5;
        s.windowLength = 4;
        return s;
    }

    @Test
    void variablesAreNestedVaryingAndLabelFree() {
        MultivariateSeries train = series(500, false, 1);
        for (long seed = 0; seed < 20; seed++) {
            int[] four = PrivilegedSensorsExperiment.chooseVariables(train, 4, seed);
            int[] two = PrivilegedSensorsExperiment.chooseVariables(train, 2, seed);
            assertEquals(4, four.length);
            for (int v : two) {
                assertTrue(java.util.Arrays.binarySearch(four, v) >= 0, "nested: " + v);
            }
            for (int v : four) {
                assertTrue(v != CONSTANT, "a constant sensor was chosen");
            }
        }
        // More than vary: all seven varying ones.
        assertEquals(7, PrivilegedSensorsExperiment.chooseVariables(train, 8, 3).length);
        // Different seeds give different subsets.
        assertTrue(!java.util.Arrays.equals(PrivilegedSensorsExperiment.chooseVariables(train, 3, 1),
                PrivilegedSensorsExperiment.chooseVariables(train, 3, 2))
                || !java.util.Arrays.equals(PrivilegedSensorsExperiment.chooseVariables(train, 3, 1),
                PrivilegedSensorsExperiment.chooseVariables(train, 3, 4)));
    }

    @Test
    void everyDetectorFindsAnAnomalyEverySensorSeesAndRunsRepeat() {
        MultivariateSeries train = series(3000, false, 1);
        MultivariateSeries test = series(2000, true, 2);
        EntityResult r = PrivilegedSensorsExperiment.run("synthetic", train, test, settings(), s -> { });
        assertEquals(VARIABLES, r.numVariables());
        assertEquals(7, r.varyingVariables());
        assertEquals(4, r.rows().size());
        assertTrue(r.fullTeacher().rocAuc() > 0.95, "full teacher " + r.fullTeacher());
        assertTrue(Math.abs(r.random().rocAuc() - 0.5) < 0.1, "random " + r.random());
        for (Row row : r.rows()) {
            assertEquals(row.fraction() == 0.5 ? 4 : 2, row.variables().length);
            assertTrue(row.subsetTeacher().rocAuc() > 0.9, "subset teacher " + row);
            assertTrue(row.student().rocAuc() > 0.9, "privileged student " + row);
            assertTrue(row.reconstructionStudent().rocAuc() > 0.9, "privileged reconstruction student " + row);
            assertTrue(row.student().parameters() < r.fullTeacher().parameters());
        }
        EntityResult again = PrivilegedSensorsExperiment.run("synthetic", train, test, settings(), s -> { });
        for (int i = 0; i < r.rows().size(); i++) {
            assertEquals(r.rows().get(i).student(), again.rows().get(i).student());
            assertEquals(r.rows().get(i).subsetTeacher(), again.rows().get(i).subsetTeacher());
            assertEquals(r.rows().get(i).reconstructionStudent(), again.rows().get(i).reconstructionStudent());
            assertArrayEquals(r.rows().get(i).variables(), again.rows().get(i).variables());
        }
        double[][][] means = PrivilegedSensorsExperiment.means(List.of(r), settings().fractions);
        double student50 = (r.rows().get(0).student().rocAuc() + r.rows().get(1).student().rocAuc()) / 2;
        assertEquals(student50, means[0][1][0], 1e-12);
        assertEquals(r.fullTeacher().prAuc(), means[1][3][1], 1e-12);
        double recon25 = (r.rows().get(2).reconstructionStudent().prAuc()
                + r.rows().get(3).reconstructionStudent().prAuc()) / 2;
        assertEquals(recon25, means[1][2][1], 1e-12);
    }

    @Test
    void badSettingsAndOneClassTestsAreRefused() {
        MultivariateSeries train = series(400, false, 1);
        PrivilegedSensorsExperiment.Settings s = settings();
        s.fractions = new double[]{1.0};
        assertThrows(IllegalArgumentException.class,
                () -> PrivilegedSensorsExperiment.run("x", train, series(400, true, 2), s, m -> { }));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrivilegedSensorsExperiment.run("x", train, series(400, false, 2), settings(), m -> { }));
        assertTrue(e.getMessage().contains("both classes"), e.getMessage());
    }
}
