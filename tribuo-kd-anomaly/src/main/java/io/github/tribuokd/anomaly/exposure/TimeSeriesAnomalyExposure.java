package io.github.tribuokd.anomaly.exposure;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import io.github.tribuokd.anomaly.WindowLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic time-series anomalies injected into normal windows: the exposure of seed 001 (Pol et al., "Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md) (§2.3) made for windows
 * of multivariate series, where the outliers a detector meets are not another dataset but the usual faults of
 * sensors and servers. Each exposed row is a random normal window with one {@link Kind} of anomaly on a few of its
 * variables, starting at a random step {@code t0} and lasting to the window's last step (so the window that ends
 * at an anomalous point always contains it).
 * <p>
 * For every exposed row: a kind is drawn uniformly from {@link #kinds}; the number of affected variables uniformly
 * from {@code 1 .. max(1, round(variableFraction · m))}, and the variables without repetition; a magnitude
 * {@code a} from {@link #magnitudes} (in standard deviations {@code sd_v} of the variable) and a sign. Then, for
 * each affected variable {@code v} and step {@code t ≥ t0} of the window {@code x[t, v]}:
 * <ul>
 *     <li>{@code SPIKE}: {@code x[t0, v] += ±a·sd_v} (one step);</li>
 *     <li>{@code LEVEL_SHIFT}: {@code x[t, v] += ±a·sd_v};</li>
 *     <li>{@code VARIANCE_CHANGE}: {@code x[t, v] += a·sd_v·N(0, 1)};</li>
 *     <li>{@code FLATLINE}: {@code x[t, v] = x[t0, v]} (a frozen sensor);</li>
 *     <li>{@code SWAP_VARIABLES}: {@code x[t, v]} and {@code x[t, w]} exchanged for a second variable {@code w}
 *     (a mis-wired channel; with one variable, a level shift instead);</li>
 *     <li>{@code TIME_SHUFFLE}: the values {@code x[t0.., v]} in a random order.</li>
 * </ul>
 * Features that are not a {@code t<step>.v<variable>} window are treated as one step of {@code d} variables.
 */
public final class TimeSeriesAnomalyExposure implements ExposureGenerator {

    /** The kinds of injected anomaly. */
    public enum Kind {
        /** One step moved by ±a standard deviations. */
        SPIKE,
        /** Every step from the onset moved by ±a standard deviations. */
        LEVEL_SHIFT,
        /** Noise of a standard deviations added from the onset. */
        VARIANCE_CHANGE,
        /** The value frozen from the onset. */
        FLATLINE,
        /** Two variables exchanged from the onset. */
        SWAP_VARIABLES,
        /** The values from the onset in a random order. */
        TIME_SHUFFLE
    }

    @Config(description = "The kinds of anomaly to inject; one is drawn per exposed row.")
    private List<Kind> kinds = new ArrayList<>(EnumSet.allOf(Kind.class));

    @Config(description = "Magnitudes in standard deviations of the variable; one is drawn per exposed row.")
    private double[] magnitudes = {1.0, 2.0, 4.0, 8.0};

    @Config(description = "At most this fraction of the variables is affected (at least one).")
    private double variableFraction = 0.2;

    /** Every kind, magnitudes 1, 2, 4 and 8 standard deviations, up to 20% of the variables. */
    public TimeSeriesAnomalyExposure() { }

    /**
     * Chosen kinds, magnitudes and share of variables.
     * @param kinds The kinds (at least one).
     * @param magnitudes Magnitudes in standard deviations (finite, positive).
     * @param variableFraction The largest share of variables affected, in (0, 1].
     */
    public TimeSeriesAnomalyExposure(List<Kind> kinds, double[] magnitudes, double variableFraction) {
        this.kinds = new ArrayList<>(kinds);
        this.magnitudes = magnitudes.clone();
        this.variableFraction = variableFraction;
        postConfig();
    }

    @Override
    public void postConfig() {
        if (kinds == null || kinds.isEmpty()) {
            throw new IllegalArgumentException("TimeSeriesAnomalyExposure needs at least one kind");
        }
        if (magnitudes == null || magnitudes.length == 0) {
            throw new IllegalArgumentException("TimeSeriesAnomalyExposure needs at least one magnitude");
        }
        for (double a : magnitudes) {
            if (!(a > 0) || !Double.isFinite(a)) {
                throw new IllegalArgumentException("TimeSeriesAnomalyExposure magnitudes must be finite and positive, "
                        + "found " + Arrays.toString(magnitudes));
            }
        }
        if (!(variableFraction > 0 && variableFraction <= 1)) {
            throw new IllegalArgumentException("variableFraction must be in (0, 1], found " + variableFraction);
        }
    }

    @Override
    public void generate(NormalInputs normal, int count, SplittableRandom rng, float[] out) {
        WindowLayout layout = normal.layout();
        int steps = layout == null ? 1 : layout.steps();
        int m = layout == null ? normal.width() : layout.variables();
        int d = normal.width();
        int maxAffected = Math.max(1, (int) Math.round(variableFraction * m));
        int[] variables = new int[m];
        float[] column = new float[steps];
        Gaussian gaussian = new Gaussian(rng);
        for (int i = 0; i < count; i++) {
            int o = i * d;
            normal.copyRow(rng.nextInt(normal.numRows()), out, o);
            Kind kind = kinds.get(rng.nextInt(kinds.size()));
            int affected = 1 + rng.nextInt(maxAffected);
            chooseDistinct(rng, variables, m, affected);
            double a = magnitudes[rng.nextInt(magnitudes.length)];
            double sign = rng.nextBoolean() ? 1 : -1;
            int t0 = rng.nextInt(steps);
            for (int k = 0; k < affected; k++) {
                int v = variables[k];
                inject(kind, out, o, steps, m, v, t0, a, sign, normal, rng, gaussian, column);
            }
        }
    }

    private static void inject(Kind kind, float[] x, int o, int steps, int m, int v, int t0, double a, double sign,
                               NormalInputs normal, SplittableRandom rng, Gaussian gaussian, float[] column) {
        // x[t, v] sits at o + t·m + v (time-major window, WindowLayout).
        switch (kind) {
            case SPIKE: {
                int j = t0 * m + v;
                x[o + j] = (float) (x[o + j] + sign * a * normal.sd(j));
                break;
            }
            case LEVEL_SHIFT:
                shift(x, o, steps, m, v, t0, sign * a, normal);
                break;
            case VARIANCE_CHANGE:
                for (int t = t0; t < steps; t++) {
                    int j = t * m + v;
                    x[o + j] = (float) (x[o + j] + a * normal.sd(j) * gaussian.next());
                }
                break;
            case FLATLINE: {
                float frozen = x[o + t0 * m + v];
                for (int t = t0 + 1; t < steps; t++) {
                    x[o + t * m + v] = frozen;
                }
                break;
            }
            case SWAP_VARIABLES: {
                if (m < 2) {
                    shift(x, o, steps, m, v, t0, sign * a, normal);
                    break;
                }
                int w = rng.nextInt(m - 1);
                w = w >= v ? w + 1 : w;
                for (int t = t0; t < steps; t++) {
                    float tmp = x[o + t * m + v];
                    x[o + t * m + v] = x[o + t * m + w];
                    x[o + t * m + w] = tmp;
                }
                break;
            }
            case TIME_SHUFFLE: {
                int len = steps - t0;
                for (int t = 0; t < len; t++) {
                    column[t] = x[o + (t0 + t) * m + v];
                }
                for (int t = len - 1; t > 0; t--) {
                    int s = rng.nextInt(t + 1);
                    float tmp = column[t];
                    column[t] = column[s];
                    column[s] = tmp;
                }
                for (int t = 0; t < len; t++) {
                    x[o + (t0 + t) * m + v] = column[t];
                }
                break;
            }
            default:
                throw new IllegalStateException("Unknown kind " + kind);
        }
    }

    private static void shift(float[] x, int o, int steps, int m, int v, int t0, double amount, NormalInputs normal) {
        for (int t = t0; t < steps; t++) {
            int j = t * m + v;
            x[o + j] = (float) (x[o + j] + amount * normal.sd(j));
        }
    }

    /** The first {@code k} entries of {@code into} become distinct numbers of {@code 0 .. m−1} (partial shuffle). */
    private static void chooseDistinct(SplittableRandom rng, int[] into, int m, int k) {
        for (int i = 0; i < m; i++) {
            into[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int s = i + rng.nextInt(m - i);
            int tmp = into[i];
            into[i] = into[s];
            into[s] = tmp;
        }
    }

    @Override
    public String name() {
        return "time-series-anomalies";
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "ExposureGenerator");
    }

    @Override
    public String toString() {
        return "TimeSeriesAnomalyExposure(kinds=" + kinds + ",magnitudes=" + Arrays.toString(magnitudes)
                + ",variableFraction=" + variableFraction + ")";
    }
}
