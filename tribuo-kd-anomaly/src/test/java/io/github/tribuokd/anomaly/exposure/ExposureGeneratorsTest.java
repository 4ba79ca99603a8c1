package io.github.tribuokd.anomaly.exposure;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import io.github.tribuokd.anomaly.exposure.TimeSeriesAnomalyExposure.Kind;
import org.junit.jupiter.api.Test;
import org.tribuo.DataSource;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.MutableDataset;
import org.tribuo.OutputFactory;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.DataSourceProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.test.Helpers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class ExposureGeneratorsTest {

    static final int STEPS = 6;
    static final int VARS = 5;
    static final double SIGMA = 0.5;

    /** Window feature names t0.v0 .. t5.v4 (zero-padding is not needed below ten). */
    static ImmutableFeatureMap windowMap(int steps, int vars) {
        String[] names = new String[steps * vars];
        for (int t = 0; t < steps; t++) {
            for (int v = 0; v < vars; v++) {
                names[t * vars + v] = "t" + t + ".v" + v;
            }
        }
        return mapOf(names);
    }

    static ImmutableFeatureMap mapOf(String[] names) {
        MutableDataset<Event> ds = new MutableDataset<>(new SimpleDataSourceProvenance("names", new AnomalyFactory()),
                new AnomalyFactory());
        ds.add(new ArrayExample<>(new Event(Event.EventType.EXPECTED), names, new double[names.length]));
        return ds.getFeatureIDMap();
    }

    /**
     * Two normal rows A = base − σ and B = base + σ with distinct base values: every feature has mean = base and
     * standard deviation exactly σ.
     */
    static NormalInputs twoRows(ImmutableFeatureMap map) {
        int d = map.size();
        float[] rows = new float[2 * d];
        for (int j = 0; j < d; j++) {
            rows[j] = (float) (10 * j - SIGMA);
            rows[d + j] = (float) (10 * j + SIGMA);
        }
        return NormalInputs.of(rows, 2, map);
    }

    /** The normal row an exposed row came from: the one it differs from in fewer entries. */
    static float[] base(NormalInputs normal, float[] out, int offset) {
        int d = normal.width();
        int best = 0, bestDiff = Integer.MAX_VALUE;
        for (int r = 0; r < normal.numRows(); r++) {
            int diff = 0;
            for (int j = 0; j < d; j++) {
                diff += out[offset + j] != normal.rows()[r * d + j] ? 1 : 0;
            }
            if (diff < bestDiff) {
                bestDiff = diff;
                best = r;
            }
        }
        return Arrays.copyOfRange(normal.rows(), best * d, best * d + d);
    }

    @Test
    public void statisticsOfTheNormalInputs() {
        NormalInputs normal = twoRows(windowMap(STEPS, VARS));
        assertEquals(STEPS, normal.layout().steps());
        assertEquals(VARS, normal.layout().variables());
        for (int j = 0; j < normal.width(); j++) {
            assertEquals(10 * j, normal.mean(j), 1e-5);
            assertEquals(SIGMA, normal.sd(j), 1e-6);
        }
        assertNull(NormalInputs.of(new float[4], 2, mapOf(new String[]{"a", "b"})).layout());
    }

    @Test
    public void gaussianNoiseHasTheConfiguredSpread() {
        NormalInputs normal = twoRows(windowMap(STEPS, VARS));
        int n = 20000, d = normal.width();
        float[] out = new float[n * d];
        new GaussianNoiseExposure(2.0).generate(normal, n, new SplittableRandom(3), out);
        // x = base ± σ + 2σ·N(0,1): mean base, variance σ² + 4σ² = 5σ².
        for (int j : new int[]{0, 7, d - 1}) {
            double sum = 0, sumSq = 0;
            for (int i = 0; i < n; i++) {
                double x = out[i * d + j] - 10.0 * j;
                sum += x;
                sumSq += x * x;
            }
            double mean = sum / n, var = sumSq / n - mean * mean;
            assertEquals(0, mean, 0.03, "mean of feature " + j);
            assertEquals(5 * SIGMA * SIGMA, var, 0.05 * 5 * SIGMA * SIGMA, "variance of feature " + j);
        }
        // Scales are drawn per row: with {0.25, 4} the rows' spread takes two values.
        float[] mixed = new float[n * d];
        new GaussianNoiseExposure(0.25, 4.0).generate(normal, n, new SplittableRandom(4), mixed);
        int small = 0;
        for (int i = 0; i < n; i++) {
            // Distance to the nearer normal row, in σ² per feature: about 1/16 at scale 0.25, at least 4 at 4.
            double nearest = Double.MAX_VALUE;
            for (int r = 0; r < 2; r++) {
                double ss = 0;
                for (int j = 0; j < d; j++) {
                    double z = (mixed[i * d + j] - normal.rows()[r * d + j]) / SIGMA;
                    ss += z * z;
                }
                nearest = Math.min(nearest, ss / d);
            }
            small += nearest < 1 ? 1 : 0;
        }
        assertEquals(0.5, small / (double) n, 0.02);
    }

    @Test
    public void levelShiftMovesFewVariablesFromTheOnsetToTheEnd() {
        NormalInputs normal = twoRows(windowMap(STEPS, VARS));
        int n = 400, d = normal.width();
        float[] out = new float[n * d];
        new TimeSeriesAnomalyExposure(List.of(Kind.LEVEL_SHIFT), new double[]{3.0}, 0.4)
                .generate(normal, n, new SplittableRandom(5), out);
        boolean sawTwo = false;
        for (int i = 0; i < n; i++) {
            float[] b = base(normal, out, i * d);
            int changedVars = 0;
            for (int v = 0; v < VARS; v++) {
                int onset = -1;
                for (int t = 0; t < STEPS; t++) {
                    double delta = out[i * d + t * VARS + v] - b[t * VARS + v];
                    if (Math.abs(delta) > 1e-4) {
                        assertEquals(3 * SIGMA, Math.abs(delta), 1e-4);
                        onset = onset < 0 ? t : onset;
                    } else {
                        assertTrue(onset < 0, "a shift must last to the window's end (row " + i + ")");
                    }
                }
                changedVars += onset >= 0 ? 1 : 0;
            }
            // round(0.4 · 5) = 2: one or two variables.
            assertTrue(changedVars >= 1 && changedVars <= 2, "row " + i + " changed " + changedVars);
            sawTwo |= changedVars == 2;
        }
        assertTrue(sawTwo);
    }

    @Test
    public void spikeChangesOneStepPerVariable() {
        NormalInputs normal = twoRows(windowMap(STEPS, VARS));
        int n = 200, d = normal.width();
        float[] out = new float[n * d];
        new TimeSeriesAnomalyExposure(List.of(Kind.SPIKE), new double[]{4.0}, 0.2)
                .generate(normal, n, new SplittableRandom(6), out);
        for (int i = 0; i < n; i++) {
            float[] b = base(normal, out, i * d);
            int changed = 0;
            for (int j = 0; j < d; j++) {
                double delta = out[i * d + j] - b[j];
                if (Math.abs(delta) > 1e-4) {
                    assertEquals(4 * SIGMA, Math.abs(delta), 1e-4);
                    changed++;
                }
            }
            assertEquals(1, changed, "one variable (round(0.2 · 5) = 1), one step");
        }
    }

    @Test
    public void flatlineSwapAndShuffleKeepValuesOfTheWindow() {
        NormalInputs normal = twoRows(windowMap(STEPS, VARS));
        int n = 300, d = normal.width();
        float[] out = new float[n * d];
        new TimeSeriesAnomalyExposure(List.of(Kind.FLATLINE), new double[]{1.0}, 0.2)
                .generate(normal, n, new SplittableRandom(7), out);
        int flattened = 0;
        for (int i = 0; i < n; i++) {
            float[] b = base(normal, out, i * d);
            for (int v = 0; v < VARS; v++) {
                int first = -1;
                for (int t = 0; t < STEPS; t++) {
                    if (out[i * d + t * VARS + v] != b[t * VARS + v]) {
                        first = first < 0 ? t : first;
                        // Frozen at the value of the step before the first change.
                        assertEquals(b[(first - 1) * VARS + v], out[i * d + t * VARS + v]);
                    }
                }
                flattened += first >= 0 ? 1 : 0;
            }
        }
        assertTrue(flattened > n / 2, "flattened " + flattened);

        new TimeSeriesAnomalyExposure(List.of(Kind.SWAP_VARIABLES), new double[]{1.0}, 0.2)
                .generate(normal, n, new SplittableRandom(8), out);
        for (int i = 0; i < n; i++) {
            float[] b = base(normal, out, i * d);
            for (int t = 0; t < STEPS; t++) {
                float[] got = Arrays.copyOfRange(out, i * d + t * VARS, i * d + t * VARS + VARS);
                float[] want = Arrays.copyOfRange(b, t * VARS, t * VARS + VARS);
                Arrays.sort(got);
                Arrays.sort(want);
                assertArrayEquals(want, got, "a swap keeps the values of each step");
            }
        }
        new TimeSeriesAnomalyExposure(List.of(Kind.TIME_SHUFFLE), new double[]{1.0}, 0.2)
                .generate(normal, n, new SplittableRandom(9), out);
        int shuffled = 0;
        for (int i = 0; i < n; i++) {
            float[] b = base(normal, out, i * d);
            for (int v = 0; v < VARS; v++) {
                float[] got = new float[STEPS], want = new float[STEPS];
                for (int t = 0; t < STEPS; t++) {
                    got[t] = out[i * d + t * VARS + v];
                    want[t] = b[t * VARS + v];
                }
                shuffled += Arrays.equals(got, want) ? 0 : 1;
                Arrays.sort(got);
                Arrays.sort(want);
                assertArrayEquals(want, got, "a shuffle keeps the values of each variable");
            }
        }
        assertTrue(shuffled > n / 3, "shuffled " + shuffled);
    }

    @Test
    public void mixupInterpolatesOrSplicesTwoNormalRows() {
        ImmutableFeatureMap map = windowMap(STEPS, VARS);
        int d = map.size();
        float[] rows = new float[2 * d];
        for (int j = 0; j < d; j++) {
            rows[j] = 0;
            rows[d + j] = 1;
        }
        NormalInputs normal = NormalInputs.of(rows, 2, map);
        int n = 500;
        float[] out = new float[n * d];
        new MixupExposure(true, false).generate(normal, n, new SplittableRandom(10), out);
        for (int i = 0; i < n; i++) {
            for (int j = 1; j < d; j++) {
                assertEquals(out[i * d], out[i * d + j], 1e-6, "an interpolation of constant rows is constant");
            }
            assertTrue(out[i * d] >= 0 && out[i * d] <= 1);
        }
        new MixupExposure(false, true).generate(normal, n, new SplittableRandom(11), out);
        int jumps = 0;
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < STEPS; t++) {
                for (int v = 1; v < VARS; v++) {
                    assertEquals(out[i * d + t * VARS], out[i * d + t * VARS + v], "a splice cuts between steps");
                }
                if (t > 0 && out[i * d + t * VARS] != out[i * d + (t - 1) * VARS]) {
                    jumps++;
                }
            }
        }
        // Half the pairs are (A, B) or (B, A), which jump once; (A, A) and (B, B) do not.
        assertEquals(0.5, jumps / (double) n, 0.07);
    }

    @Test
    public void dataSourceExposureDrawsTheSourceRows() {
        ImmutableFeatureMap map = mapOf(new String[]{"a", "b"});
        NormalInputs normal = NormalInputs.of(new float[]{0, 0, 1, 1}, 2, map);
        List<Example<Event>> outliers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            outliers.add(new ArrayExample<>(new Event(Event.EventType.EXPECTED), new String[]{"a", "b"},
                    new double[]{100 + i, -100 - i}));
        }
        DataSourceExposure exposure = new DataSourceExposure(new ListSource(outliers));
        float[] out = new float[50 * 2];
        exposure.generate(normal, 50, new SplittableRandom(12), out);
        boolean[] seen = new boolean[3];
        for (int i = 0; i < 50; i++) {
            int k = Math.round(out[2 * i] - 100);
            assertEquals(-100 - k, out[2 * i + 1], 0);
            seen[k] = true;
        }
        assertTrue(seen[0] && seen[1] && seen[2]);
        // A source without the teacher's features is refused with the example named.
        List<Example<Event>> wrong = List.of(new ArrayExample<>(new Event(Event.EventType.EXPECTED),
                new String[]{"a", "c"}, new double[]{1, 2}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                new DataSourceExposure(new ListSource(wrong)).generate(normal, 1, new SplittableRandom(1),
                        new float[2]));
        assertTrue(e.getMessage().contains("'c'"), e.getMessage());
    }

    @Test
    public void theSameSeedGivesTheSameRowsAndTheMixSharesTheBudget() {
        NormalInputs normal = twoRows(windowMap(STEPS, VARS));
        List<ExposureGenerator> gens = List.of(new GaussianNoiseExposure(), new TimeSeriesAnomalyExposure(),
                new MixupExposure());
        float[] a = ExposureMix.generate(gens, normal, 101, new SplittableRandom(42));
        float[] b = ExposureMix.generate(gens, normal, 101, new SplittableRandom(42));
        float[] c = ExposureMix.generate(gens, normal, 101, new SplittableRandom(43));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertArrayEquals(new int[]{34, 34, 33}, ExposureMix.shares(3, 101));
        // The normal rows are never changed.
        assertArrayEquals(twoRows(windowMap(STEPS, VARS)).rows(), normal.rows());
    }

    @Test
    public void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GaussianNoiseExposure(0.0));
        assertThrows(IllegalArgumentException.class, () -> new GaussianNoiseExposure(Double.NaN));
        assertThrows(IllegalArgumentException.class, () ->
                new TimeSeriesAnomalyExposure(List.of(), new double[]{1}, 0.5));
        assertThrows(IllegalArgumentException.class, () ->
                new TimeSeriesAnomalyExposure(List.of(Kind.SPIKE), new double[]{1}, 0));
        assertThrows(IllegalArgumentException.class, () -> new MixupExposure(false, false));
        assertThrows(IllegalArgumentException.class, () ->
                ExposureMix.generate(List.of(), twoRows(windowMap(2, 2)), 1, new SplittableRandom(1)));
    }

    @Test
    public void generatorsAreConfigurableWithProvenance() {
        TimeSeriesAnomalyExposure ts = new TimeSeriesAnomalyExposure(List.of(Kind.SPIKE, Kind.FLATLINE),
                new double[]{3.0}, 0.5);
        Helpers.testConfigurableRoundtrip(ts);
        Helpers.testConfigurableRoundtrip(new GaussianNoiseExposure(0.5, 2.0));
        Helpers.testConfigurableRoundtrip(new MixupExposure(true, false));
        String p = ProvenanceUtil.formattedProvenanceString(ts.getProvenance());
        assertTrue(p.contains("FLATLINE") && p.contains("variableFraction"), p);
        List<ConfigurationData> config = ProvenanceUtil.extractConfiguration(ts.getProvenance());
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(config);
        Object rebuilt = cm.lookup(config.get(0).getName());
        assertNotNull(rebuilt);
        assertEquals(ts.toString(), rebuilt.toString());
    }

    /** A data source over a list, for the outlier-exposure test. */
    static final class ListSource implements DataSource<Event> {
        private final List<Example<Event>> examples;

        ListSource(List<Example<Event>> examples) {
            this.examples = examples;
        }

        @Override
        public OutputFactory<Event> getOutputFactory() {
            return new AnomalyFactory();
        }

        @Override
        public DataSourceProvenance getProvenance() {
            return new SimpleDataSourceProvenance("outliers", getOutputFactory());
        }

        @Override
        public Iterator<Example<Event>> iterator() {
            return examples.iterator();
        }
    }
}
