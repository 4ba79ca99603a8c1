package io.github.tribuokd.anomaly.exposure;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import io.github.tribuokd.anomaly.WindowLayout;

import java.util.SplittableRandom;

/**
 * Mixtures of two normal inputs {@code a} and {@code b} (random rows): inputs between normal modes, which
 * are often where a reconstruction teacher's score rises first. Two ways, drawn with equal probability unless one
 * is switched off:
 * <ul>
 *     <li>interpolation: {@code λ·a + (1 − λ)·b} with {@code λ ~ U(0, 1)};</li>
 *     <li>splicing: the first {@code c} steps of {@code a} and the rest of {@code b}, {@code c ~ U{1 .. L−1}}, a
 *     jump in the middle of a window (for tabular features, the first {@code c} features).</li>
 * </ul>
 */
public final class MixupExposure implements ExposureGenerator {

    @Config(description = "Make interpolated rows.")
    private boolean interpolate = true;

    @Config(description = "Make spliced rows.")
    private boolean splice = true;

    /** Both interpolation and splicing. */
    public MixupExposure() { }

    /**
     * Chosen ways of mixing.
     * @param interpolate Make interpolated rows.
     * @param splice Make spliced rows.
     */
    public MixupExposure(boolean interpolate, boolean splice) {
        this.interpolate = interpolate;
        this.splice = splice;
        postConfig();
    }

    @Override
    public void postConfig() {
        if (!interpolate && !splice) {
            throw new IllegalArgumentException("MixupExposure needs interpolate or splice (or both)");
        }
    }

    @Override
    public void generate(NormalInputs normal, int count, SplittableRandom rng, float[] out) {
        int d = normal.width();
        float[] rows = normal.rows();
        WindowLayout layout = normal.layout();
        int steps = layout == null ? d : layout.steps();
        int stepWidth = layout == null ? 1 : layout.variables();
        for (int i = 0; i < count; i++) {
            int o = i * d;
            int a = rng.nextInt(normal.numRows()) * d;
            int b = rng.nextInt(normal.numRows()) * d;
            boolean doSplice = splice && (!interpolate || rng.nextBoolean()) && steps > 1;
            if (doSplice) {
                int cut = (1 + rng.nextInt(steps - 1)) * stepWidth;
                System.arraycopy(rows, a, out, o, cut);
                System.arraycopy(rows, b + cut, out, o + cut, d - cut);
            } else {
                float lambda = (float) rng.nextDouble();
                for (int j = 0; j < d; j++) {
                    out[o + j] = lambda * rows[a + j] + (1 - lambda) * rows[b + j];
                }
            }
        }
    }

    @Override
    public String name() {
        return "mixup";
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "ExposureGenerator");
    }

    @Override
    public String toString() {
        return "MixupExposure(interpolate=" + interpolate + ",splice=" + splice + ")";
    }
}
