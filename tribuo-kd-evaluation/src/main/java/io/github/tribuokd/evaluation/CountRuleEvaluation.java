package io.github.tribuokd.evaluation;

import io.github.tribuokd.anomaly.LSTMAutoencoderModel;
import io.github.tribuokd.anomaly.ScoredModel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One detector of the seed {@code 000_*} (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md) protocol evaluated on the windows of one test series under four decision
 * rules (docs/DESIGN-NOTES.md, "smd-lstm"), every figure on the evaluation part of a {@link LabelledSplit} only:
 * <ul>
 *     <li><b>N</b>: the rule the model carries, calibrated on normal validation windows without labels (the
 *     LSTM autoencoders: seed 000's Mahalanobis count rule, {@link MahalanobisCountRuleTrainer}; a scalar scorer:
 *     its own threshold);</li>
 *     <li><b>V</b> (with a labelled part): Malhotra et al. 2016's rule, {@code τ} and {@code c} maximising the window
 *     F1 on the labelled part ({@link MahalanobisCountRule#selectTauAndCount}; a scalar scorer: the threshold of
 *     {@link BestF1#pointwise});</li>
 *     <li><b>D</b>: rule N's calibration on scores divided by the median mean score of the {@code K} windows before
 *     ({@link DriftNormaliser}, {@link CalibratedCountRule});</li>
 *     <li><b>G</b> (with a labelled part): every setting of {@link DriftCountRuleSearch#defaultGrid()}; which one is
 *     reported is chosen over several detectors by {@link #chooseSetting}.</li>
 * </ul>
 * ROC-AUC, PR-AUC, VUS and best F1 ({@link AnomalyMetrics}) use one score per window: the mean {@code a_t} of the
 * window (a scalar scorer: its score). Immutable.
 */
public final class CountRuleEvaluation {

    /** The number of candidate thresholds of rule V ({@link MahalanobisCountRule#selectTauAndCount}). */
    public static final int RULE_V_CANDIDATES = 512;

    /** Receives every point score of one detector, for analysis outside the program. */
    @FunctionalInterface
    public interface PointScoreSink {
        /**
         * Receives the scores.
         * @param validationPointScores The validation points' scores, window-major.
         * @param testWindows The test windows' point scores, {@code [numWindows][L]}.
         * @param labels The test windows' labels.
         * @throws IOException If they cannot be written.
         */
        void accept(double[] validationPointScores, double[][] testWindows, int[] labels) throws IOException;
    }

    private final String model;
    private final long parameters;
    private final String normalRule;
    private final ConfusionCounts normal;
    private final ConfusionCounts labelled;
    private final String labelledRule;
    private final ConfusionCounts drift;
    private final String driftRule;
    private final AnomalyMetrics metrics;
    private final double nsPerWindow;
    private final double[] windowScores;
    private final boolean[] decisions;
    private final DriftCountRuleSearch.Outcome[] gridOutcomes;
    private final boolean mahalanobis;

    private CountRuleEvaluation(String model, long parameters, String normalRule, ConfusionCounts normal,
                                ConfusionCounts labelled, String labelledRule, ConfusionCounts drift,
                                String driftRule, AnomalyMetrics metrics, double nsPerWindow, double[] windowScores,
                                boolean[] decisions, DriftCountRuleSearch.Outcome[] gridOutcomes,
                                boolean mahalanobis) {
        this.model = model;
        this.parameters = parameters;
        this.normalRule = normalRule;
        this.normal = normal;
        this.labelled = labelled;
        this.labelledRule = labelledRule;
        this.drift = drift;
        this.driftRule = driftRule;
        this.metrics = metrics;
        this.nsPerWindow = nsPerWindow;
        this.windowScores = windowScores;
        this.decisions = decisions;
        this.gridOutcomes = gridOutcomes;
        this.mahalanobis = mahalanobis;
    }

    /**
     * Evaluates an LSTM autoencoder carrying seed 000's count rule (rule N).
     * @param name The detector's name in reports.
     * @param calibrated The model with its rule and the validation scores it was calibrated on
     *                   ({@link MahalanobisCountRuleTrainer#calibrate}).
     * @param test Raw test windows {@code [nTest, L·m]} in feature-id order.
     * @param nTest The number of test windows.
     * @param split The test windows' labelled and evaluation parts.
     * @param tauQuantile {@code q_τ} of rule D's calibration.
     * @param driftHistory {@code K} of rule D.
     * @param seed The seed of the random baseline in {@link AnomalyMetrics}.
     * @param sink Receives every point score, or null.
     * @return The evaluation.
     * @throws IOException If the sink fails.
     */
    public static CountRuleEvaluation ofCountRule(String name, MahalanobisCountRuleTrainer.Calibration calibrated,
                                                  float[] test, int nTest, LabelledSplit split, double tauQuantile,
                                                  int driftHistory, long seed, PointScoreSink sink)
            throws IOException {
        LSTMAutoencoderModel decider = calibrated.model();
        MahalanobisCountRule rule = calibrated.rule();
        double[][] valWindows = calibrated.validationWindows();
        int steps = decider.windowLength();
        // the deployable detector computes every a_t itself; its predict and its ONNX export decide
        // "at least c points above tau" without this class
        long t0 = System.nanoTime();
        double[] pointScores = new double[nTest * steps];
        decider.pointScores(test, nTest, pointScores);
        double ns = (double) (System.nanoTime() - t0) / nTest;
        double[][] a = new double[nTest][];
        double[] windowScores = new double[nTest];
        for (int i = 0; i < nTest; i++) {
            a[i] = Arrays.copyOfRange(pointScores, i * steps, (i + 1) * steps);
            double sum = 0;
            for (double v : a[i]) {
                sum += v;
            }
            windowScores[i] = sum / steps;
        }
        int[] labels = split.labels();
        if (sink != null) {
            sink.accept(calibrated.validationPointScores(), a, labels);
        }
        int[] evaluation = split.evaluation();
        int[] evalLabels = split.labelsOf(evaluation);
        boolean[] decisions = new boolean[evaluation.length];
        for (int k = 0; k < decisions.length; k++) {
            decisions[k] = rule.windowIsAnomalous(a[evaluation[k]], 0, steps);
        }
        ConfusionCounts normal = ConfusionCounts.of(decisions, evalLabels);
        CalibratedCountRule driftRule = CalibratedCountRule.calibrate(DriftNormaliser.normaliseAll(new double[0][],
                valWindows, driftHistory), tauQuantile);
        ConfusionCounts drift = driftRule.evaluate(DriftNormaliser.normaliseAll(valWindows, a, driftHistory),
                evaluation, labels);
        ConfusionCounts labelled = null;
        String labelledRule = "";
        int[] labelledPart = split.labelled();
        if (labelledPart.length > 0) {
            double[][] labelledScores = new double[labelledPart.length][];
            for (int k = 0; k < labelledScores.length; k++) {
                labelledScores[k] = a[labelledPart[k]];
            }
            MahalanobisCountRule.TauAndCount pick = MahalanobisCountRule.selectTauAndCount(labelledScores,
                    split.labelsOf(labelledPart), RULE_V_CANDIDATES, rule.tau());
            MahalanobisCountRule chosen = rule.withTauAndCount(pick.tau(), pick.count());
            boolean[] labelledDecisions = new boolean[evaluation.length];
            for (int k = 0; k < labelledDecisions.length; k++) {
                labelledDecisions[k] = chosen.windowIsAnomalous(a[evaluation[k]], 0, steps);
            }
            labelled = ConfusionCounts.of(labelledDecisions, evalLabels);
            labelledRule = String.format("tau %.3g, c %d%s", pick.tau(), pick.count(),
                    pick.supervised() ? String.format(" (validation F1 %.3f)", pick.validationF1())
                            : " (no anomaly in the labelled part: c flags none of its windows)");
        }
        double[] evalScores = LabelledSplit.pick(windowScores, evaluation);
        // the count rule has no single threshold on the mean a_t: AnomalyMetrics keeps its threshold-free figures
        AnomalyMetrics metrics = AnomalyMetrics.compute(evalScores, evalLabels, Double.POSITIVE_INFINITY, seed);
        DriftCountRuleSearch.Outcome[] grid = labelledPart.length == 0 ? null
                : DriftCountRuleSearch.evaluate(DriftCountRuleSearch.defaultGrid(), valWindows, a, labels,
                labelledPart, evaluation);
        return new CountRuleEvaluation(name, decider.numParameters(),
                String.format("tau %.3g, c %d", rule.tau(), rule.minCount()), normal, labelled, labelledRule, drift,
                driftRule.toString(), metrics, ns, evalScores, decisions, grid, true);
    }

    /**
     * Evaluates a detector with one score per window and its own threshold (rule N: score above the threshold).
     * @param name The detector's name in reports.
     * @param model The detector.
     * @param threshold Its threshold.
     * @param validation Raw normal validation windows {@code [nValidation, width]} (rule D's calibration).
     * @param test Raw test windows {@code [nTest, width]}.
     * @param nTest The number of test windows.
     * @param split The test windows' labelled and evaluation parts.
     * @param tauQuantile {@code q_τ} of rule D's calibration.
     * @param driftHistory {@code K} of rule D.
     * @param seed The seed of the random baseline in {@link AnomalyMetrics}.
     * @return The evaluation.
     */
    public static CountRuleEvaluation ofScorer(String name, ScoredModel model, double threshold, float[] validation,
                                               float[] test, int nTest, LabelledSplit split, double tauQuantile,
                                               int driftHistory, long seed) {
        double[] scores = new double[nTest];
        long t0 = System.nanoTime();
        model.scoreMatrix(test, nTest, scores);
        double ns = (double) (System.nanoTime() - t0) / nTest;
        int[] labels = split.labels();
        int[] evaluation = split.evaluation();
        double[] evalScores = LabelledSplit.pick(scores, evaluation);
        int[] evalLabels = split.labelsOf(evaluation);
        boolean[] decisions = new boolean[evalScores.length];
        for (int i = 0; i < decisions.length; i++) {
            decisions[i] = evalScores[i] > threshold;
        }
        ConfusionCounts normal = ConfusionCounts.of(decisions, evalLabels);
        // rule D on the scalar window scores (windows of one point)
        int width = test.length / nTest;
        double[] valScores = new double[validation.length / width];
        model.scoreMatrix(validation, valScores.length, valScores);
        double[][] valWindows = new double[valScores.length][];
        for (int v = 0; v < valWindows.length; v++) {
            valWindows[v] = new double[]{valScores[v]};
        }
        double[][] testWindows = new double[nTest][];
        for (int i = 0; i < nTest; i++) {
            testWindows[i] = new double[]{scores[i]};
        }
        CalibratedCountRule driftRule = CalibratedCountRule.calibrate(DriftNormaliser.normaliseAll(new double[0][],
                valWindows, driftHistory), tauQuantile);
        ConfusionCounts drift = driftRule.evaluate(DriftNormaliser.normaliseAll(valWindows, testWindows,
                driftHistory), evaluation, labels);
        ConfusionCounts labelled = null;
        String labelledRule = "";
        int[] labelledPart = split.labelled();
        if (labelledPart.length > 0) {
            BestF1.Result pick = BestF1.pointwise(LabelledSplit.pick(scores, labelledPart),
                    split.labelsOf(labelledPart));
            boolean[] labelledDecisions = new boolean[evalScores.length];
            for (int i = 0; i < labelledDecisions.length; i++) {
                labelledDecisions[i] = evalScores[i] > pick.threshold();
            }
            labelled = ConfusionCounts.of(labelledDecisions, evalLabels);
            labelledRule = String.format("score > %.3g (validation F1 %.3f)", pick.threshold(), pick.f1());
        }
        AnomalyMetrics metrics = AnomalyMetrics.compute(evalScores, evalLabels, threshold, seed);
        DriftCountRuleSearch.Outcome[] grid = labelledPart.length == 0 ? null
                : DriftCountRuleSearch.evaluate(DriftCountRuleSearch.defaultGrid(), valWindows, testWindows,
                labels, labelledPart, evaluation);
        return new CountRuleEvaluation(name, model.numParameters(), "own threshold", normal, labelled, labelledRule,
                drift, driftRule.toString(), metrics, ns, evalScores, decisions, grid, false);
    }

    /**
     * Rule G's choice for a group of detectors compared together (seed 000 compares the teacher with its students,
     * so they share one setting): each detector's labelled confusion counts per setting pooled over its series
     * (detectors are told apart by {@link #model()}), then the setting of {@link DriftCountRuleSearch#selectJointly}.
     * @param group The evaluations of the group's detectors on every series; those without a labelled part are
     *              ignored.
     * @return The choice, or null when no evaluation of the group has a labelled part.
     * @throws IllegalArgumentException If no labelled window holds an anomaly (labels cannot choose).
     */
    public static GridChoice chooseSetting(List<CountRuleEvaluation> group) {
        Map<String, ConfusionCounts[]> pooled = new LinkedHashMap<>();
        for (CountRuleEvaluation r : group) {
            if (r.gridOutcomes == null) {
                continue;
            }
            ConfusionCounts[] acc = pooled.computeIfAbsent(r.model, k -> new ConfusionCounts[r.gridOutcomes.length]);
            for (int s = 0; s < acc.length; s++) {
                ConfusionCounts c = r.gridOutcomes[s].labelled();
                acc[s] = acc[s] == null ? c : acc[s].plus(c);
            }
        }
        if (pooled.isEmpty()) {
            return null;
        }
        List<ConfusionCounts[]> perModel = new ArrayList<>(pooled.values());
        int best = DriftCountRuleSearch.selectJointly(perModel);
        double[] criterion = DriftCountRuleSearch.summedLabelledF1(perModel);
        for (int s = 0; s < criterion.length; s++) {
            criterion[s] /= perModel.size();
        }
        return new GridChoice(best, criterion);
    }

    /** Rule G's chosen setting and, per setting, the mean over the detectors of their pooled labelled F1. */
    public static final class GridChoice {
        private final int index;
        private final double[] meanLabelledF1;

        private GridChoice(int index, double[] meanLabelledF1) {
            this.index = index;
            this.meanLabelledF1 = meanLabelledF1;
        }

        /**
         * The chosen setting's index in {@link DriftCountRuleSearch#defaultGrid()}.
         * @return The index.
         */
        public int index() {
            return index;
        }

        /**
         * The selection criterion per setting: the pooled labelled F1 averaged over the detectors.
         * @return A copy, in grid order.
         */
        public double[] meanLabelledF1() {
            return meanLabelledF1.clone();
        }
    }

    /**
     * Rule G's outcome under a choice.
     * @param choice The group's choice, or null.
     * @return The chosen setting's outcome, or null without a choice or a labelled part.
     */
    public DriftCountRuleSearch.Outcome ruleG(GridChoice choice) {
        return choice == null || gridOutcomes == null ? null : gridOutcomes[choice.index];
    }

    /**
     * The detector's name.
     * @return The name.
     */
    public String model() {
        return model;
    }

    /**
     * The detector's parameter count.
     * @return The count.
     */
    public long parameters() {
        return parameters;
    }

    /**
     * Rule N in words.
     * @return {@code "tau …, c …"}, or {@code "own threshold"}.
     */
    public String normalRule() {
        return normalRule;
    }

    /**
     * Rule N's confusion counts on the evaluation windows.
     * @return The counts.
     */
    public ConfusionCounts normal() {
        return normal;
    }

    /**
     * Rule V's confusion counts on the evaluation windows.
     * @return The counts, or null without a labelled part.
     */
    public ConfusionCounts labelled() {
        return labelled;
    }

    /**
     * Rule V in words.
     * @return The rule, empty without a labelled part.
     */
    public String labelledRule() {
        return labelledRule;
    }

    /**
     * Rule D's confusion counts on the evaluation windows.
     * @return The counts.
     */
    public ConfusionCounts drift() {
        return drift;
    }

    /**
     * Rule D in words.
     * @return The rule.
     */
    public String driftRule() {
        return driftRule;
    }

    /**
     * The threshold-free metrics of the window scores on the evaluation windows.
     * @return The metrics.
     */
    public AnomalyMetrics metrics() {
        return metrics;
    }

    /**
     * Scoring time of the test windows.
     * @return Nanoseconds per window.
     */
    public double nsPerWindow() {
        return nsPerWindow;
    }

    /**
     * The evaluation windows' scores (mean {@code a_t}, or the scalar score).
     * @return A copy.
     */
    public double[] windowScores() {
        return windowScores.clone();
    }

    /**
     * Rule N's decisions on the evaluation windows.
     * @return A copy.
     */
    public boolean[] decisions() {
        return decisions.clone();
    }

    /**
     * Whether the detector decides by the Mahalanobis count rule (an LSTM autoencoder), not a scalar score.
     * @return True for the count rule.
     */
    public boolean mahalanobis() {
        return mahalanobis;
    }

    /**
     * Rule G's outcomes, one per setting of {@link DriftCountRuleSearch#defaultGrid()}.
     * @return A copy, or null without a labelled part.
     */
    public DriftCountRuleSearch.Outcome[] gridOutcomes() {
        return gridOutcomes == null ? null : gridOutcomes.clone();
    }
}
