package io.github.tribuokd.anomaly.exposure;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Noise as outlier exposure (Pol et al., seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §2.4: {@code x + ε·N(0, 1)}, applied to the student's training
 * set only), at several scales and in standardised units: an exposed row is a random normal row plus
 * {@code s · sd_j · N(0, 1)} on every feature {@code j}, with the scale {@code s} drawn uniformly from
 * {@link #scales} for each row. The seed uses one ε = 0.1 on pixels in [0, 1]; several scales cover both the
 * near-normal region, where a detector's threshold lies, and the far region, where anomalies lie.
 */
public final class GaussianNoiseExposure implements ExposureGenerator {

    @Config(description = "Noise scales in standard deviations of each feature; one is drawn per exposed row.")
    private double[] scales = {0.25, 0.5, 1.0, 2.0, 4.0};

    /** The default scales 0.25, 0.5, 1, 2 and 4 standard deviations. */
    public GaussianNoiseExposure() { }

    /**
     * Noise at the given scales.
     * @param scales Scales in standard deviations, each finite and positive.
     */
    public GaussianNoiseExposure(double... scales) {
        this.scales = scales.clone();
        postConfig();
    }

    @Override
    public void postConfig() {
        if (scales == null || scales.length == 0) {
            throw new IllegalArgumentException("GaussianNoiseExposure needs at least one scale");
        }
        for (double s : scales) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("GaussianNoiseExposure scales must be finite and positive, found "
                        + Arrays.toString(scales));
            }
        }
    }

    @Override
    public void generate(NormalInputs normal, int count, SplittableRandom rng, float[] out) {
        int d = normal.width();
        Gaussian gaussian = new Gaussian(rng);
        for (int i = 0; i < count; i++) {
            int o = i * d;
            normal.copyRow(rng.nextInt(normal.numRows()), out, o);
            double s = scales[rng.nextInt(scales.length)];
            for (int j = 0; j < d; j++) {
                out[o + j] = (float) (out[o + j] + s * normal.sd(j) * gaussian.next());
            }
        }
    }

    @Override
    public String name() {
        return "gaussian-noise";
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "ExposureGenerator");
    }

    @Override
    public String toString() {
        return "GaussianNoiseExposure(scales=" + Arrays.toString(scales) + ")";
    }
}
