package io.github.tribuokd.evaluation;

import io.github.tribuokd.anomaly.Counts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The count rule of seed {@code 000_*} (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md) ("a window is anomalous when at least {@code c} of its points have
 * {@code a_t > τ}") on drift-normalised scores, with its settings chosen on labelled windows ("rule G" of the
 * {@code smd-lstm} protocol, docs/RESULTS.md).
 * <p>
 * One setting is four numbers: the history {@code K} and gap {@code G} of the {@link DriftNormaliser}, and two
 * quantiles that calibrate the rule on the normalised <i>normal</i> validation windows without labels:
 * {@code τ} = the {@code q_τ} quantile of their scores, {@code c} = 1 + ⌈the {@code q_c} quantile of their counts of
 * scores above {@code τ}⌉ (windows of one score: {@code c = 1}). Labels choose among the settings of a small grid
 * (Malhotra et al. 2016 choose {@code τ} and {@code c} on a labelled validation set; here labels choose only how
 * the unsupervised calibration is done, so the same four numbers serve every machine and every model of a table).
 * <p>
 * {@link #evaluate} applies every setting of a grid to one scored series and returns the confusion counts on a
 * labelled part and on an evaluation part; {@link #selectJointly} picks the setting whose pooled labelled F1,
 * summed over the models compared, is highest. Stateless.
 */
public final class DriftCountRuleSearch {

    private DriftCountRuleSearch() {
    }

    /** One setting of the rule: {@code K}, {@code G}, {@code q_τ}, {@code q_c}. Immutable. */
    public static final class Setting {
        private final int history;
        private final int gap;
        private final double tauQuantile;
        private final double countQuantile;

        /**
         * Creates a setting.
         * @param history       {@code K} ≥ 1.
         * @param gap           {@code G} ≥ 0.
         * @param tauQuantile   {@code q_τ} in [0, 1].
         * @param countQuantile {@code q_c} in [0, 1].
         * @throws IllegalArgumentException If a value is out of range.
         */
        public Setting(int history, int gap, double tauQuantile, double countQuantile) {
            if (history < 1 || gap < 0) {
                throw new IllegalArgumentException("DriftCountRuleSearch.Setting: need K >= 1 and G >= 0, found K="
                        + history + ", G=" + gap);
            }
            if (!(tauQuantile >= 0 && tauQuantile <= 1) || !(countQuantile >= 0 && countQuantile <= 1)) {
                throw new IllegalArgumentException("DriftCountRuleSearch.Setting: quantiles must be in [0, 1], found"
                        + " q_tau=" + tauQuantile + ", q_c=" + countQuantile);
            }
            this.history = history;
            this.gap = gap;
            this.tauQuantile = tauQuantile;
            this.countQuantile = countQuantile;
        }

        /**
         * {@code K}.
         * @return The drift normaliser's history in windows.
         */
        public int history() {
            return history;
        }

        /**
         * {@code G}.
         * @return The drift normaliser's gap in windows.
         */
        public int gap() {
            return gap;
        }

        /**
         * {@code q_τ}.
         * @return The quantile of the normalised validation scores that sets {@code τ}.
         */
        public double tauQuantile() {
            return tauQuantile;
        }

        /**
         * {@code q_c}.
         * @return The quantile of the validation windows' counts that sets {@code c}.
         */
        public double countQuantile() {
            return countQuantile;
        }

        @Override
        public String toString() {
            return "K=" + history + ", G=" + gap + ", q_tau=" + tauQuantile + ", q_c=" + countQuantile;
        }
    }

    /** What one setting gives on one scored series. Immutable. */
    public static final class Outcome {
        private final Setting setting;
        private final double tau;
        private final int count;
        private final ConfusionCounts labelled;
        private final ConfusionCounts evaluation;

        Outcome(Setting setting, double tau, int count, ConfusionCounts labelled, ConfusionCounts evaluation) {
            this.setting = setting;
            this.tau = tau;
            this.count = count;
            this.labelled = labelled;
            this.evaluation = evaluation;
        }

        /**
         * The setting.
         * @return The setting.
         */
        public Setting setting() {
            return setting;
        }

        /**
         * {@code τ} calibrated on the normalised validation windows.
         * @return {@code τ}.
         */
        public double tau() {
            return tau;
        }

        /**
         * {@code c} calibrated on the normalised validation windows.
         * @return {@code c}.
         */
        public int count() {
            return count;
        }

        /**
         * The rule's decisions on the labelled part.
         * @return Confusion counts on the labelled windows.
         */
        public ConfusionCounts labelled() {
            return labelled;
        }

        /**
         * The rule's decisions on the evaluation part.
         * @return Confusion counts on the evaluation windows.
         */
        public ConfusionCounts evaluation() {
            return evaluation;
        }

        @Override
        public String toString() {
            return setting + String.format(" (tau %.4g, c %d)", tau, count);
        }
    }

    /**
     * The default grid, 360 settings in this order (the first of equally good settings wins in
     * {@link #selectJointly}): {@code K} ∈ {30, 100, 300}, {@code G} ∈ {0, 10, 30, 60, 100, 200},
     * {@code q_τ} ∈ {0.99, 0.995, 0.999, 0.9995, 0.9999}, {@code q_c} ∈ {0.9, 0.95, 0.99, 1}.
     * @return An unmodifiable list of settings.
     */
    public static List<Setting> defaultGrid() {
        List<Setting> grid = new ArrayList<>();
        for (int k : new int[]{30, 100, 300}) {
            for (int g : new int[]{0, 10, 30, 60, 100, 200}) {
                for (double qt : new double[]{0.99, 0.995, 0.999, 0.9995, 0.9999}) {
                    for (double qc : new double[]{0.9, 0.95, 0.99, 1.0}) {
                        grid.add(new Setting(k, g, qt, qc));
                    }
                }
            }
        }
        return Collections.unmodifiableList(grid);
    }

    /**
     * Applies every setting of the grid to one scored series.
     * @param grid              The settings.
     * @param validationWindows Point scores of normal validation windows, in time order, just before the series
     *                          (they calibrate {@code τ} and {@code c} and start the normaliser's history).
     * @param windows           Point scores of the series' windows, in time order.
     * @param labels            One 0/1 label per window of {@code windows}.
     * @param labelledPart      Indices of the labelled windows (may be empty).
     * @param evaluationPart    Indices of the evaluation windows.
     * @return One outcome per setting, in grid order.
     * @throws IllegalArgumentException If the grid or validation windows are empty, the labels do not match the
     *                                  windows, an index is out of range, or a score is not finite.
     */
    public static Outcome[] evaluate(List<Setting> grid, double[][] validationWindows, double[][] windows,
                                     int[] labels, int[] labelledPart, int[] evaluationPart) {
        if (grid == null || grid.isEmpty()) {
            throw new IllegalArgumentException("DriftCountRuleSearch: the grid is empty");
        }
        if (validationWindows == null || validationWindows.length == 0) {
            throw new IllegalArgumentException("DriftCountRuleSearch: no validation windows to calibrate on");
        }
        if (windows == null || labels == null || labels.length != windows.length) {
            throw new IllegalArgumentException("DriftCountRuleSearch: " + (labels == null ? "no" : labels.length)
                    + " labels for " + (windows == null ? "no" : windows.length) + " windows");
        }
        checkPart(labelledPart, windows.length, "labelled");
        checkPart(evaluationPart, windows.length, "evaluation");
        int[] labelledLabels = pick(labels, labelledPart);
        int[] evaluationLabels = pick(labels, evaluationPart);
        Outcome[] outcomes = new Outcome[grid.size()];
        // normalise once per (K, G); sort the validation scores once per (K, G)
        double[][] normVal = null, normTest = null;
        double[] sortedVal = null;
        int lastK = -1, lastG = -1;
        for (int s = 0; s < grid.size(); s++) {
            Setting setting = grid.get(s);
            if (setting.history != lastK || setting.gap != lastG) {
                normVal = DriftNormaliser.normaliseAll(new double[0][], validationWindows, setting.history,
                        setting.gap);
                normTest = DriftNormaliser.normaliseAll(validationWindows, windows, setting.history, setting.gap);
                sortedVal = flattenSorted(normVal);
                lastK = setting.history;
                lastG = setting.gap;
            }
            double tau = io.github.tribuokd.anomaly.Quantiles.quantileOfSorted(sortedVal, setting.tauQuantile);
            double[] valCounts = new double[normVal.length];
            int steps = normVal[0].length;
            for (int v = 0; v < normVal.length; v++) {
                valCounts[v] = Counts.countAbove(normVal[v], tau);
            }
            int count = steps == 1 ? 1
                    : 1 + (int) Math.ceil(QuantileThreshold.quantile(valCounts, setting.countQuantile,
                    "DriftCountRuleSearch"));
            outcomes[s] = new Outcome(setting, tau, count,
                    ConfusionCounts.of(decide(normTest, labelledPart, tau, count), labelledLabels),
                    ConfusionCounts.of(decide(normTest, evaluationPart, tau, count), evaluationLabels));
        }
        return outcomes;
    }

    /**
     * Chooses the setting whose labelled F1, pooled over each model's series and summed over the models, is
     * highest; the first in grid order wins ties.
     * @param pooledLabelledPerModel For each model, its labelled confusion counts per setting (pooled over its
     *                               series), all in the same grid order.
     * @return The index of the chosen setting.
     * @throws IllegalArgumentException If there is no model, the lists differ in length, or no labelled window
     *                                  holds an anomaly (labels cannot choose then).
     */
    public static int selectJointly(List<ConfusionCounts[]> pooledLabelledPerModel) {
        double[] sums = summedLabelledF1(pooledLabelledPerModel);
        int best = 0;
        for (int s = 1; s < sums.length; s++) {
            if (sums[s] > sums[best]) {
                best = s;
            }
        }
        return best;
    }

    /**
     * The criterion of {@link #selectJointly}: per setting, the labelled F1 summed over the models.
     * @param pooledLabelledPerModel As {@link #selectJointly}.
     * @return One sum per setting, in grid order.
     * @throws IllegalArgumentException As {@link #selectJointly}.
     */
    public static double[] summedLabelledF1(List<ConfusionCounts[]> pooledLabelledPerModel) {
        if (pooledLabelledPerModel == null || pooledLabelledPerModel.isEmpty()) {
            throw new IllegalArgumentException("DriftCountRuleSearch.selectJointly: no model to select for");
        }
        int n = pooledLabelledPerModel.get(0).length;
        long positives = 0;
        for (ConfusionCounts[] model : pooledLabelledPerModel) {
            if (model.length != n) {
                throw new IllegalArgumentException("DriftCountRuleSearch.selectJointly: models have " + n + " and "
                        + model.length + " settings");
            }
            positives += n == 0 ? 0 : model[0].tp() + model[0].fn();
        }
        if (n == 0 || positives == 0) {
            throw new IllegalArgumentException("DriftCountRuleSearch.selectJointly: " + (n == 0 ? "no setting"
                    : "no anomalous window in the labelled part, labels cannot choose a setting"));
        }
        double[] sums = new double[n];
        for (int s = 0; s < n; s++) {
            for (ConfusionCounts[] model : pooledLabelledPerModel) {
                sums[s] += model[s].f1();
            }
        }
        return sums;
    }

    private static boolean[] decide(double[][] windows, int[] part, double tau, int count) {
        boolean[] flagged = new boolean[part.length];
        for (int k = 0; k < part.length; k++) {
            flagged[k] = Counts.countAbove(windows[part[k]], tau) >= count;
        }
        return flagged;
    }

    private static double[] flattenSorted(double[][] windows) {
        int total = 0;
        for (double[] w : windows) {
            total += w.length;
        }
        double[] all = new double[total];
        int at = 0;
        for (double[] w : windows) {
            System.arraycopy(w, 0, all, at, w.length);
            at += w.length;
        }
        java.util.Arrays.sort(all);
        return all;
    }

    private static int[] pick(int[] labels, int[] part) {
        int[] out = new int[part.length];
        for (int i = 0; i < part.length; i++) {
            out[i] = labels[part[i]];
        }
        return out;
    }

    private static void checkPart(int[] part, int n, String name) {
        if (part == null) {
            throw new IllegalArgumentException("DriftCountRuleSearch: the " + name + " part is null");
        }
        for (int i : part) {
            if (i < 0 || i >= n) {
                throw new IllegalArgumentException("DriftCountRuleSearch: " + name + " index " + i
                        + " is outside the " + n + " windows");
            }
        }
    }
}
