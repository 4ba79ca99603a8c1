package io.github.tribuokd.anomaly.exposure;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;

import java.util.SplittableRandom;

/**
 * Makes inputs away from the normal data for a student to learn its teacher's score on (seed 001 (Pol et al., "Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md)'s outlier and
 * noise exposure). A generator never changes the normal inputs it is given and draws every random number from
 * the given source, so the same source gives the same rows.
 */
public interface ExposureGenerator extends Configurable, Provenancable<ConfiguredObjectProvenance> {

    /**
     * Writes {@code count} exposed rows, raw (the scale of the normal inputs, feature-id order), to {@code out}.
     * @param normal The normal inputs to start from, with their per-feature statistics and window layout.
     * @param count The number of rows to make ({@code ≥ 0}).
     * @param rng The random source.
     * @param out Receives {@code [count, normal.width()]} row-major from index 0.
     */
    void generate(NormalInputs normal, int count, SplittableRandom rng, float[] out);

    /**
     * A short name for logs and reports, e.g. {@code "gaussian-noise"}.
     * @return The name.
     */
    String name();
}
