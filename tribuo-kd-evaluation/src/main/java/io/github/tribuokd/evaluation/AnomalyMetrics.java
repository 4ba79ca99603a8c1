package io.github.tribuokd.evaluation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every time-series anomaly metric of docs/EVALUATION.md for one score series at one threshold, with a random-score
 * baseline computed on the same labels.
 * <p>
 * Threshold-dependent figures (a point is predicted anomalous when {@code score > threshold}): point-wise
 * P/R/F1, point-adjusted P/R/F1 (full-segment fill, Xu et al. WWW 2018), PA%K F1 for K = 0, 10, …, 100 and its
 * area (Kim et al. AAAI 2022). Threshold-free: ROC-AUC, PR-AUC (average precision) and the exact best F1 over all
 * thresholds, point-wise and point-adjusted — <b>oracle</b> figures, since they use the test labels.
 * <p>
 * The metrics of TSB-AD (Liu &amp; Paparrizos, NeurIPS 2024), with its reference code's conventions: VUS-ROC and
 * VUS-PR ({@link VolumeUnderSurface}, threshold-free, over buffer lengths 0..{@link #window()}, default
 * {@link VolumeUnderSurface#DEFAULT_WINDOW} = 100, TSB-AD's {@code get_metrics} default; TSB-AD itself uses a
 * per-series period estimate, so pass the window the model used when there is one); at the threshold, range-based
 * P/R/F1 ({@link RangeBasedF1}), event-based F1 ({@link EventBasedF1}) and affiliation P/R/F
 * ({@link AffiliationMetrics}); and their oracle best over TSB-AD's 100 thresholds ({@link BestOverThresholds}).
 * VUS-PR is the headline ranking metric of TSB-AD; PA F1 is kept but never a headline.
 * <p>
 * The random baseline scores every point uniformly in [0, 1) ({@link RandomScoreBaseline}, a fixed seed) and is
 * thresholded so that it flags exactly as many points as the model does, so its threshold-dependent figures are
 * comparable. Point-adjusted figures of random scores are often high: that is why they stand beside the model's.
 */
public final class AnomalyMetrics {

    private final int numPoints;
    private final int numAnomalous;
    private final int numSegments;
    private final double threshold;
    private final ConfusionCounts pointwise;
    private final ConfusionCounts pointAdjusted;
    private final PaKF1.Result paK;
    private final BestF1.Result bestPointwise;
    private final BestF1.Result bestPointAdjusted;
    private final double rocAuc;
    private final double prAuc;
    private final int window;
    private final VolumeUnderSurface.Result vus;
    private final RangeBasedF1.Result range;
    private final EventBasedF1.Result event;
    private final AffiliationMetrics.Result affiliation;
    private final BestOverThresholds bestRange;
    private final BestOverThresholds bestEvent;
    private final BestOverThresholds bestAffiliation;
    private final AnomalyMetrics randomBaseline;
    private final long randomSeed;

    private AnomalyMetrics(double[] scores, int[] labels, double threshold, boolean withBaseline, long seed,
                           int window) {
        MetricInputs.checkScoresAndLabels(scores, labels);
        MetricInputs.requireBothClasses(labels, "Time-series anomaly evaluation");
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("The threshold is NaN");
        }
        this.numPoints = scores.length;
        this.numAnomalous = Arrays.stream(labels).sum();
        this.numSegments = Segments.of(labels).length;
        this.threshold = threshold;
        this.pointwise = PointwiseF1.at(scores, labels, threshold);
        this.pointAdjusted = PointAdjustment.at(scores, labels, threshold);
        this.paK = PaKF1.at(scores, labels, threshold);
        // One sort serves ROC-AUC, average precision and the best point-wise F1.
        double[][] sorted = MetricInputs.sortedByClass(scores, labels);
        this.bestPointwise = BestF1.sweep(sorted[0], sorted[1]);
        this.rocAuc = RocAuc.fromSorted(sorted[0], sorted[1]);
        this.prAuc = AveragePrecision.fromSorted(sorted[0], sorted[1]);
        this.bestPointAdjusted = BestF1.pointAdjusted(scores, labels);
        this.window = window;
        this.vus = VolumeUnderSurface.compute(scores, labels, window);
        // One prediction vector per threshold serves the three TSB-AD threshold metrics.
        RangeBasedF1.LabelSide rangeLabels = new RangeBasedF1.LabelSide(labels);
        EventBasedF1.LabelSide eventLabels = new EventBasedF1.LabelSide(labels);
        int[] truth = Segments.flat(labels);
        Predictions atThreshold = Predictions.of(scores, threshold);
        this.range = rangeLabels.score(atThreshold);
        this.event = eventLabels.score(atThreshold);
        this.affiliation = AffiliationMetrics.fromEvents(atThreshold.runs, truth, numPoints);
        double[] grid = TsbAdConventions.oracleThresholds(scores);
        double[] rangeF1 = new double[grid.length];
        double[] eventF1 = new double[grid.length];
        double[] affiliationF = new double[grid.length];
        Predictions.Builder builder = new Predictions.Builder(scores, grid);
        for (int k = 0; k < grid.length; k++) {
            Predictions p = builder.build(k);
            rangeF1[k] = rangeLabels.score(p).f1();
            eventF1[k] = eventLabels.score(p).f1();
            affiliationF[k] = AffiliationMetrics.fromEvents(p.runs, truth, numPoints).f();
        }
        this.bestRange = TsbAdConventions.pythonMax(RangeBasedF1.NAME, grid, rangeF1);
        this.bestEvent = TsbAdConventions.pythonMax(EventBasedF1.NAME, grid, eventF1);
        this.bestAffiliation = TsbAdConventions.pythonMax(AffiliationMetrics.NAME, grid, affiliationF);
        this.randomSeed = seed;
        if (withBaseline) {
            double[] random = RandomScoreBaseline.uniformScores(scores.length, seed);
            long flagged = pointwise.tp() + pointwise.fp();
            this.randomBaseline = new AnomalyMetrics(random, labels, thresholdFlagging(random, flagged), false, seed,
                    window);
        } else {
            this.randomBaseline = null;
        }
    }

    /**
     * Computes every metric and the random baseline, with VUS over the default window
     * ({@link VolumeUnderSurface#DEFAULT_WINDOW}, 100).
     * @param scores Scores in time order (higher = more anomalous).
     * @param labels 0/1 labels in time order; both classes must be present.
     * @param threshold The decision threshold ({@code score > threshold} is anomalous).
     * @param randomSeed The seed of the random-score baseline.
     * @return The metrics.
     */
    public static AnomalyMetrics compute(double[] scores, int[] labels, double threshold, long randomSeed) {
        return compute(scores, labels, threshold, randomSeed, VolumeUnderSurface.DEFAULT_WINDOW);
    }

    /**
     * Computes every metric and the random baseline.
     * @param scores Scores in time order (higher = more anomalous).
     * @param labels 0/1 labels in time order; both classes must be present.
     * @param threshold The decision threshold ({@code score > threshold} is anomalous).
     * @param randomSeed The seed of the random-score baseline.
     * @param window The sliding window of VUS-ROC/VUS-PR (buffer lengths 0..window), {@code >= 0}.
     * @return The metrics.
     */
    public static AnomalyMetrics compute(double[] scores, int[] labels, double threshold, long randomSeed,
                                         int window) {
        return new AnomalyMetrics(scores, labels, threshold, true, randomSeed, window);
    }

    /**
     * Computes every metric and the random baseline, naming the inputs in any error message (see
     * {@link MetricInputs#describing(String, java.util.function.Supplier)}).
     * @param scores Scores in time order (higher = more anomalous).
     * @param labels 0/1 labels in time order; both classes must be present.
     * @param threshold The decision threshold ({@code score > threshold} is anomalous).
     * @param randomSeed The seed of the random-score baseline.
     * @param inputs What the scores and labels are, e.g. {@code "scores of model 'm' on file test.csv"}.
     * @return The metrics.
     * @throws IllegalArgumentException If the inputs are invalid; the message starts with {@code inputs}.
     */
    public static AnomalyMetrics compute(double[] scores, int[] labels, double threshold, long randomSeed,
                                         String inputs) {
        return compute(scores, labels, threshold, randomSeed, VolumeUnderSurface.DEFAULT_WINDOW, inputs);
    }

    /**
     * Computes every metric and the random baseline with the given VUS window, naming the inputs in any error
     * message.
     * @param scores Scores in time order (higher = more anomalous).
     * @param labels 0/1 labels in time order; both classes must be present.
     * @param threshold The decision threshold ({@code score > threshold} is anomalous).
     * @param randomSeed The seed of the random-score baseline.
     * @param window The sliding window of VUS-ROC/VUS-PR, {@code >= 0}.
     * @param inputs What the scores and labels are.
     * @return The metrics.
     */
    public static AnomalyMetrics compute(double[] scores, int[] labels, double threshold, long randomSeed,
                                         int window, String inputs) {
        return MetricInputs.describing(inputs, () -> compute(scores, labels, threshold, randomSeed, window));
    }

    /** A threshold at which exactly {@code k} of the (distinct, uniform) scores are strictly above. */
    static double thresholdFlagging(double[] scores, long k) {
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        if (k <= 0) {
            return sorted[n - 1];
        }
        if (k >= n) {
            return Double.NEGATIVE_INFINITY;
        }
        return sorted[(int) (n - k - 1)];
    }

    /** @return The number of points. */
    public int numPoints() {
        return numPoints;
    }

    /** @return The number of points labelled anomalous. */
    public int numAnomalous() {
        return numAnomalous;
    }

    /** @return The number of true anomaly segments. */
    public int numSegments() {
        return numSegments;
    }

    /** @return The decision threshold. */
    public double threshold() {
        return threshold;
    }

    /** @return Point-wise counts at the threshold. */
    public ConfusionCounts pointwise() {
        return pointwise;
    }

    /** @return Point-adjusted (full-segment) counts at the threshold. */
    public ConfusionCounts pointAdjusted() {
        return pointAdjusted;
    }

    /** @return PA%K F1 for K = 0..100 step 10 and its area. */
    public PaKF1.Result paK() {
        return paK;
    }

    /** @return The oracle best point-wise F1 and its threshold. */
    public BestF1.Result bestPointwise() {
        return bestPointwise;
    }

    /** @return The oracle best point-adjusted F1 and its threshold. */
    public BestF1.Result bestPointAdjusted() {
        return bestPointAdjusted;
    }

    /** @return ROC-AUC. */
    public double rocAuc() {
        return rocAuc;
    }

    /** @return PR-AUC (average precision). */
    public double prAuc() {
        return prAuc;
    }

    /** @return The sliding window of VUS (buffer lengths 0..window). */
    public int window() {
        return window;
    }

    /** @return VUS-ROC and VUS-PR (TSB-AD's "opt" computation, 250 thresholds). */
    public VolumeUnderSurface.Result vus() {
        return vus;
    }

    /** @return VUS-ROC. */
    public double vusRoc() {
        return vus.vusRoc();
    }

    /** @return VUS-PR, TSB-AD's ranking metric. */
    public double vusPr() {
        return vus.vusPr();
    }

    /** @return Range-based precision, recall and F1 at the threshold. */
    public RangeBasedF1.Result rangeBased() {
        return range;
    }

    /** @return Event-based F1 (event recall, point precision) at the threshold. */
    public EventBasedF1.Result eventBased() {
        return event;
    }

    /** @return Affiliation precision, recall and F at the threshold (NaN precision and F when nothing is flagged). */
    public AffiliationMetrics.Result affiliation() {
        return affiliation;
    }

    /** @return The oracle best range-based F1 over TSB-AD's 100 thresholds. */
    public BestOverThresholds bestRangeBased() {
        return bestRange;
    }

    /** @return The oracle best event-based F1 over TSB-AD's 100 thresholds. */
    public BestOverThresholds bestEventBased() {
        return bestEvent;
    }

    /** @return The oracle best affiliation F over TSB-AD's 100 thresholds. */
    public BestOverThresholds bestAffiliation() {
        return bestAffiliation;
    }

    /** @return The random-score baseline on the same labels, or null for a baseline itself. */
    public AnomalyMetrics randomBaseline() {
        return randomBaseline;
    }

    /**
     * The metrics as an ordered map with the keys of the {@code evaluate} command's JSON: {@code roc_auc},
     * {@code pr_auc}, {@code f1_pointwise}, {@code precision_pointwise}, {@code recall_pointwise}, {@code f1_pa},
     * {@code precision_pa}, {@code recall_pa}, {@code pak_k}, {@code pak_f1}, {@code pak_area},
     * {@code best_f1_pointwise} (+ {@code _threshold}), {@code best_f1_pa} (+ {@code _threshold}),
     * {@code threshold}, counts; TSB-AD's metrics {@code vus_pr}, {@code vus_roc}, {@code vus_window},
     * {@code f1_event} (+ {@code precision_event}, {@code recall_event}), {@code f1_range} (+ precision, recall),
     * {@code affiliation_f} (+ {@code affiliation_precision}, {@code affiliation_recall}), the oracle
     * {@code best_f1_event}, {@code best_f1_range}, {@code best_affiliation_f} (each + {@code _threshold}); and
     * {@code random_baseline} with the same keys.
     * @return The map.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("points", numPoints);
        m.put("anomalous_points", numAnomalous);
        m.put("anomaly_segments", numSegments);
        m.put("threshold", threshold);
        m.put("roc_auc", rocAuc);
        m.put("pr_auc", prAuc);
        m.put("f1_pointwise", pointwise.f1());
        m.put("precision_pointwise", pointwise.precision());
        m.put("recall_pointwise", pointwise.recall());
        m.put("f1_pa", pointAdjusted.f1());
        m.put("precision_pa", pointAdjusted.precision());
        m.put("recall_pa", pointAdjusted.recall());
        m.put("pak_k", paK.ks());
        m.put("pak_f1", paK.f1());
        m.put("pak_area", paK.area());
        m.put("best_f1_pointwise", bestPointwise.f1());
        m.put("best_f1_pointwise_threshold", bestPointwise.threshold());
        m.put("best_f1_pa", bestPointAdjusted.f1());
        m.put("best_f1_pa_threshold", bestPointAdjusted.threshold());
        m.put("flagged_points", pointwise.tp() + pointwise.fp());
        m.put("vus_pr", vus.vusPr());
        m.put("vus_roc", vus.vusRoc());
        m.put("vus_window", window);
        m.put("f1_event", event.f1());
        m.put("precision_event", event.precision());
        m.put("recall_event", event.recall());
        m.put("f1_range", range.f1());
        m.put("precision_range", range.precision());
        m.put("recall_range", range.recall());
        m.put("affiliation_f", affiliation.f());
        m.put("affiliation_precision", affiliation.precision());
        m.put("affiliation_recall", affiliation.recall());
        m.put("best_f1_event", bestEvent.value());
        m.put("best_f1_event_threshold", bestEvent.threshold());
        m.put("best_f1_range", bestRange.value());
        m.put("best_f1_range_threshold", bestRange.threshold());
        m.put("best_affiliation_f", bestAffiliation.value());
        m.put("best_affiliation_f_threshold", bestAffiliation.threshold());
        if (randomBaseline != null) {
            Map<String, Object> r = randomBaseline.toMap();
            r.put("seed", randomSeed);
            r.put("rule", "uniform scores in [0,1), thresholded to flag as many points as the model");
            m.put("random_baseline", r);
        }
        return m;
    }

    /**
     * The metrics as JSON.
     * @return The JSON text.
     */
    public String toJson() {
        return Json.write(toMap());
    }

    /** The header of {@link #markdownRow(String)} tables: VUS-PR (TSB-AD's ranking metric) first. */
    public static final String MARKDOWN_HEADER =
            "| scores | VUS-PR | VUS-ROC | ROC-AUC | PR-AUC | F1 point-wise | F1 event | F1 range | affiliation F | "
                    + "F1 PA | PA%K area | best F1 point-wise (oracle) | best F1 PA (oracle) | flagged |\n"
                    + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";

    /**
     * One Markdown table row (see {@link #MARKDOWN_HEADER}).
     * @param name The row's name.
     * @return The row, newline-terminated.
     */
    public String markdownRow(String name) {
        return String.format("| %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f "
                        + "| %d |%n", name, vus.vusPr(), vus.vusRoc(), rocAuc, prAuc, pointwise.f1(), event.f1(),
                range.f1(), affiliation.f(), pointAdjusted.f1(), paK.area(), bestPointwise.f1(),
                bestPointAdjusted.f1(), pointwise.tp() + pointwise.fp());
    }

    /**
     * A Markdown report: the model's row and the random baseline's, with what they mean.
     * @param title The heading.
     * @return Markdown text.
     */
    public String toMarkdown(String title) {
        StringBuilder sb = new StringBuilder();
        sb.append("## ").append(title).append("\n\n");
        sb.append(String.format("%d points, %d anomalous (%.2f%%) in %d segments; threshold %s (score > threshold is "
                        + "anomalous).%n%n", numPoints, numAnomalous, 100.0 * numAnomalous / numPoints, numSegments,
                threshold));
        sb.append(MARKDOWN_HEADER);
        sb.append(markdownRow("model"));
        if (randomBaseline != null) {
            sb.append(randomBaseline.markdownRow("random (seed " + randomSeed + ", same number flagged)"));
        }
        sb.append("\nVUS-PR/VUS-ROC: volume under the range-based PR/ROC surfaces over buffer lengths 0.." + window
                + " (TSB-AD's \"opt\" computation, 250 thresholds; Paparrizos et al. VLDB 2022). F1 event = event-wise "
                + "recall with point-wise precision; F1 range = range-based F1 (Tatbul et al. NeurIPS 2018, alpha 0.2, "
                + "flat bias); affiliation F (Huet et al. KDD 2022; NaN when nothing is flagged): all at the threshold, "
                + "as TSB-AD computes them. PA = point-adjusted (full-segment fill; rewards random scores, never a "
                + "headline); PA%K area over K = 0..100; best F1 uses the test labels (oracle).\n");
        sb.append(String.format("Oracle best over TSB-AD's 100 thresholds: event F1 %.4f, range F1 %.4f, affiliation "
                + "F %.4f.%n", bestEvent.value(), bestRange.value(), bestAffiliation.value()));
        return sb.toString();
    }
}
