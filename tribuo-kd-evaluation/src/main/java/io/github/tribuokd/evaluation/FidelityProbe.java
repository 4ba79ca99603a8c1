package io.github.tribuokd.evaluation;

import io.github.tribuokd.anomaly.ScoredModel;
import io.github.tribuokd.anomaly.exposure.ExposureGenerator;
import io.github.tribuokd.anomaly.exposure.ExposureMix;
import io.github.tribuokd.anomaly.exposure.GaussianNoiseExposure;
import io.github.tribuokd.anomaly.exposure.MixupExposure;
import io.github.tribuokd.anomaly.exposure.NormalInputs;
import io.github.tribuokd.anomaly.exposure.TimeSeriesAnomalyExposure;
import org.tribuo.ImmutableFeatureMap;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * How faithfully a student reproduces its teacher's scores without labels ({@link ScoreFidelity}: Spearman's ρ and
 * EMD in the student's target scale), on two sets of inputs neither model trained on: the calibration tail of the
 * training windows, and as many exposed inputs made from it (Pol et al., seed {@code 001_*} ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §2.3–2.4: noise and
 * outliers probe the region a student trained on normal data must extrapolate to). The exposed inputs come from
 * {@link #generators()} through {@link ExposureMix}, seeded apart from any trainer ({@link #SEED_OFFSET}). Stateless.
 */
public final class FidelityProbe {

    /** Added to the caller's seed for the exposed inputs, so that they differ from those any trainer made. */
    public static final long SEED_OFFSET = 0x5DEECE66DL;

    /** The key of the calibration tail's fidelity in {@link #measure}'s map. */
    public static final String CALIBRATION_TAIL = "calibration_tail";

    /** The key of the exposed inputs' fidelity in {@link #measure}'s map. */
    public static final String EXPOSED_HELD_ASIDE = "exposed_held_aside";

    private FidelityProbe() {
    }

    /**
     * The generators of the exposed inputs: Gaussian noise, time-series anomalies and mixtures, each with its
     * default settings.
     * @return New generators.
     */
    public static List<ExposureGenerator> generators() {
        return List.of(new GaussianNoiseExposure(), new TimeSeriesAnomalyExposure(), new MixupExposure());
    }

    /**
     * Scores the calibration tail and as many exposed inputs made from it with both models and compares them.
     * @param teacher The teacher.
     * @param student The student.
     * @param tailRows The calibration tail's raw windows {@code [tail, width]} in feature-id order (not modified).
     * @param tail The number of tail windows.
     * @param featureMap The models' features (the exposure generators read the window layout from their names).
     * @param seed The caller's seed; the exposed inputs use {@code seed + }{@link #SEED_OFFSET}.
     * @param target The scale scores are compared in (the student's regression target).
     * @return {@value #CALIBRATION_TAIL} and {@value #EXPOSED_HELD_ASIDE}, each {@link ScoreFidelity#toMap()}.
     */
    public static Map<String, Object> measure(ScoredModel teacher, ScoredModel student, float[] tailRows, int tail,
                                              ImmutableFeatureMap featureMap, long seed, DoubleUnaryOperator target) {
        float[] probe = ExposureMix.generate(generators(), NormalInputs.of(tailRows, tail, featureMap), tail,
                new SplittableRandom(seed + SEED_OFFSET));
        Map<String, Object> fidelity = new LinkedHashMap<>();
        fidelity.put(CALIBRATION_TAIL, compare(CALIBRATION_TAIL, teacher, student, tailRows, tail, target));
        fidelity.put(EXPOSED_HELD_ASIDE, compare(EXPOSED_HELD_ASIDE, teacher, student, probe, tail, target));
        return fidelity;
    }

    private static Map<String, Object> compare(String set, ScoredModel teacher, ScoredModel student, float[] rows,
                                               int n, DoubleUnaryOperator target) {
        double[] t = new double[n];
        double[] s = new double[n];
        teacher.scoreMatrix(rows.clone(), n, t);
        student.scoreMatrix(rows.clone(), n, s);
        return ScoreFidelity.of(set, t, s, target).toMap();
    }
}
