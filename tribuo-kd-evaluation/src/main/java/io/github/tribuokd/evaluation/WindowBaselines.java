package io.github.tribuokd.evaluation;

import io.github.tribuokd.anomaly.AbstractScoredAnomalyModel;
import io.github.tribuokd.anomaly.KNearestWindowTrainer;
import io.github.tribuokd.anomaly.PCAReconstructionTrainer;
import io.github.tribuokd.timeseries.PointScores;
import org.tribuo.Dataset;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Detectors that need no deep learning, evaluated beside a teacher and its student on the same windows, split and
 * threshold rule (the demo's "baselines"): PCA reconstruction error (95% of the variance) and the distance to the
 * 5th nearest of at most 4,000 training windows. A deep model should beat them to be worth its cost. Stateless.
 */
public final class WindowBaselines {

    private WindowBaselines() {
    }

    /** A named baseline detector: its short name, what it computes, and its trainer. Immutable. */
    public static final class Baseline {
        private final String name;
        private final String description;
        private final Trainer<Event> trainer;

        private Baseline(String name, String description, Trainer<Event> trainer) {
            this.name = name;
            this.description = description;
            this.trainer = trainer;
        }

        /**
         * The short name ({@code pca}, {@code knn}).
         * @return The name.
         */
        public String name() {
            return name;
        }

        /**
         * What the detector computes, in words.
         * @return The description.
         */
        public String description() {
            return description;
        }

        /**
         * The trainer.
         * @return The trainer.
         */
        public Trainer<Event> trainer() {
            return trainer;
        }
    }

    /** A trained baseline and its figures. Immutable. */
    public static final class Result {
        private final AbstractScoredAnomalyModel model;
        private final Map<String, Object> figures;

        private Result(AbstractScoredAnomalyModel model, Map<String, Object> figures) {
            this.model = model;
            this.figures = figures;
        }

        /**
         * The trained detector.
         * @return The model.
         */
        public AbstractScoredAnomalyModel model() {
            return model;
        }

        /**
         * Every metric of {@link AnomalyMetrics#toMap()}, then {@code detector}, {@code configuration},
         * {@code training_seconds} and {@code scoring_ns_per_example}.
         * @return A copy.
         */
        public Map<String, Object> toMap() {
            return new LinkedHashMap<>(figures);
        }
    }

    /**
     * The default baselines, in report order: {@code pca} ({@link PCAReconstructionTrainer}, 95% of the variance)
     * and {@code knn} ({@link KNearestWindowTrainer}, k = 5, at most 4,000 reference windows), both with a 10%
     * calibration tail and a 0.99 quantile threshold, like the demo's teacher and student.
     * @param minScale The floor on the standardisation scale (the teacher's).
     * @return The baselines.
     */
    public static List<Baseline> defaults(double minScale) {
        return List.of(
                new Baseline("pca", "PCA reconstruction error (95% of the variance)",
                        new PCAReconstructionTrainer(0.95, 0, 0.1, 0.99, minScale)),
                new Baseline("knn", "distance to the 5th nearest of at most 4,000 training windows",
                        new KNearestWindowTrainer(5, 4000, 0.1, 0.99, minScale)));
    }

    /**
     * Trains a baseline and evaluates it on test windows of stride 1: a point's score is the score of the window
     * ending at it ({@link PointScores#fromWindowScores}), the threshold the model's own.
     * @param baseline The baseline.
     * @param train The training windows.
     * @param testWindows Raw test windows {@code [numWindows, width]} in feature-id order (not modified).
     * @param numWindows The number of test windows.
     * @param windowLength The window length L.
     * @param numSteps The length of the test series.
     * @param labels The test series' point labels.
     * @param seed The seed of the random baseline in {@link AnomalyMetrics}.
     * @return The model and its figures.
     */
    public static Result evaluate(Baseline baseline, Dataset<Event> train, float[] testWindows, int numWindows,
                                  int windowLength, int numSteps, int[] labels, long seed) {
        long t0 = System.nanoTime();
        AbstractScoredAnomalyModel model = (AbstractScoredAnomalyModel) baseline.trainer.train(train);
        double fitSeconds = (System.nanoTime() - t0) / 1e9;
        double[] windows = new double[numWindows];
        long s0 = System.nanoTime();
        model.scoreMatrix(testWindows, numWindows, windows);
        double ns = (double) (System.nanoTime() - s0) / numWindows;  // one pass: these are slow
        double[] points = PointScores.fromWindowScores(windows, windowLength, numSteps);
        Map<String, Object> m = new LinkedHashMap<>(
                AnomalyMetrics.compute(points, labels, model.threshold(), seed).toMap());
        m.put("detector", baseline.description);
        m.put("configuration", baseline.trainer.toString());
        m.put("training_seconds", fitSeconds);
        m.put("scoring_ns_per_example", ns);
        return new Result(model, m);
    }
}
