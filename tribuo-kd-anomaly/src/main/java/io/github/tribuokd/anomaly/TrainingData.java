package io.github.tribuokd.anomaly;

import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * The normal examples of an anomaly-detection training set, in dataset order, as a dense matrix, with the
 * time-ordered split into a fitting part and a calibration (validation) tail. Never shuffled: for time series the
 * calibration data must come after the fitting data (TRIBUO-NOTES.md, trap 7).
 * <p>
 * <b>Degenerate data</b> (docs/RELIABILITY.md, "Runs and degenerate training"), checked here for every trainer of
 * the package:
 * <ul>
 *   <li>fewer than {@link #MIN_FIT_EXAMPLES} fitting examples (after the calibration tail is set aside): refused,
 *       naming the count and the minimum;</li>
 *   <li>every feature constant over the fitting examples (a constant series): refused, there is nothing to learn;
 *       some features constant: kept (they are only centred, so any change in them at scoring time raises the
 *       score, and the model keeps the feature layout of the data it will score) and named in a warning;</li>
 *   <li>a calibration tail whose scores fall outside the range of the fitting examples' scores:
 *       {@link #calibrate} warns, and caps the threshold at the largest fitting score when the quantile itself is
 *       above it.</li>
 * </ul>
 * Warnings are logged and recorded in the model's provenance ({@link TrainingWarnings}).
 * <p>
 * Trainers whose examples are not windows of one matrix (MSCRED's signature-matrix inputs, in tribuo-kd-timeseries)
 * apply the same rules through the public static methods: {@link #requireFitExamples},
 * {@link #checkConstantFeatures} and {@link #checkThreshold}, then {@link TrainingWarnings#record}.
 */
public final class TrainingData {

    private static final Logger logger = Logger.getLogger(TrainingData.class.getName());

    /**
     * The fewest fitting examples (windows) a trainer accepts: below this no network, projection or neighbour set
     * describes "normal", and the calibration tail beside it is a handful of windows.
     */
    public static final int MIN_FIT_EXAMPLES = 20;

    /** At most this many fitting rows, evenly spaced, are scored to find the fitted range of a model's scores. */
    public static final int MAX_RANGE_ROWS = 4096;

    /** How many constant feature (or variable) names a warning lists. */
    private static final int NAMES_SHOWN = 8;

    final List<Example<Event>> examples;
    /** Position in the original dataset of each kept example. */
    final int[] originalIndices;
    final float[] matrix;
    final int numFeatures;
    final int fitRows;
    final int calibrationRows;
    /** The trainer's name, for messages. */
    final String trainerName;
    /** Warnings about the data itself (constant features), in order. */
    final List<String> warnings;

    private TrainingData(List<Example<Event>> examples, int[] originalIndices, float[] matrix, int numFeatures,
                         int fitRows, String trainerName, List<String> warnings) {
        this.examples = examples;
        this.originalIndices = originalIndices;
        this.matrix = matrix;
        this.numFeatures = numFeatures;
        this.fitRows = fitRows;
        this.calibrationRows = examples.size() - fitRows;
        this.trainerName = trainerName;
        this.warnings = Collections.unmodifiableList(warnings);
    }

    /**
     * The normal examples of a dataset, checked for degenerate data (see the class documentation).
     * @param dataset The training dataset, in time order.
     * @param featureMap The feature domain.
     * @param policy What to do with ANOMALOUS examples.
     * @param calibrationFraction The tail fraction kept for the threshold, in [0, 1).
     * @param trainerName The trainer's name, for messages.
     * @return The data.
     * @throws IllegalArgumentException If the data is empty, too small or constant, or holds a refused label.
     */
    static TrainingData of(Dataset<Event> dataset, ImmutableFeatureMap featureMap, AnomalousLabelPolicy policy,
                           double calibrationFraction, String trainerName) {
        if (dataset.size() == 0) {
            throw new IllegalArgumentException(trainerName + ": the training dataset is empty");
        }
        if (featureMap.size() == 0) {
            throw new IllegalArgumentException(trainerName + ": the training dataset has no features");
        }
        List<Example<Event>> kept = new ArrayList<>(dataset.size());
        int[] indices = new int[dataset.size()];
        int index = 0;
        int dropped = 0;
        for (Example<Event> e : dataset) {
            if (e.getOutput().getType() == Event.EventType.ANOMALOUS) {
                if (policy == AnomalousLabelPolicy.REJECT) {
                    throw new IllegalArgumentException(trainerName + ": training example " + index
                            + " is labelled ANOMALOUS; teachers learn from normal data only. Remove anomalies or set "
                            + "anomalousLabels = DROP");
                }
                dropped++;
            } else {
                indices[kept.size()] = index;
                kept.add(e);
            }
            index++;
        }
        if (dropped > 0) {
            logger.info(trainerName + ": dropped " + dropped + " ANOMALOUS training examples of " + index);
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException(trainerName + ": no normal examples left to train on");
        }
        int n = kept.size();
        int calibration = (int) Math.floor(n * calibrationFraction);
        if (calibrationFraction > 0 && calibration < 1) {
            calibration = 1;
        }
        int fit = n - calibration;
        requireFitExamples(fit, trainerName, n + " normal training examples"
                + (calibration > 0 ? " leave " + fit + " for fitting after the calibration tail of " + calibration
                : ""), "with time-series windows: use more rows, a shorter window or a smaller stride");
        float[] matrix = FeatureMatrix.toMatrix(kept, featureMap);
        List<String> warnings = new ArrayList<>();
        String constant = checkConstantFeatures(matrix, 0, fit, featureMap, trainerName, "fitting examples");
        if (constant != null) {
            warnings.add(constant);
        }
        return new TrainingData(kept, Arrays.copyOf(indices, n), matrix, featureMap.size(), fit, trainerName,
                warnings);
    }

    /**
     * Refuses too few fitting examples: the rule of every trainer here, at least {@link #MIN_FIT_EXAMPLES}.
     * @param fitting The number of examples (windows, signature-matrix inputs, ...) the model is fitted on.
     * @param trainerName The trainer's name, for the message.
     * @param counted How the examples were counted, for the message, e.g. {@code "6 normal training examples leave
     *                5 for fitting after the calibration tail of 1"}.
     * @param remedy What to change, for the message.
     * @throws IllegalArgumentException If {@code fitting < MIN_FIT_EXAMPLES}: {@code "<trainer>: <counted>; at least
     *                                  20 fitting examples are needed (<remedy>)"}.
     */
    public static void requireFitExamples(int fitting, String trainerName, String counted, String remedy) {
        if (fitting < MIN_FIT_EXAMPLES) {
            throw new IllegalArgumentException(trainerName + ": " + counted + "; at least " + MIN_FIT_EXAMPLES
                    + " fitting examples are needed (" + remedy + ")");
        }
    }

    /**
     * Refuses data whose every feature is constant over rows {@code [from, to)} of a row-major matrix (the fitting
     * rows); returns, and logs, a warning naming the constant features when only some are; null when none is.
     * @param matrix Row-major rows of {@code featureMap.size()} values (feature-id order).
     * @param from The first fitting row.
     * @param to One past the last fitting row.
     * @param featureMap The feature domain (names for the messages).
     * @param trainerName The trainer's name, for the messages.
     * @param rows What the rows are, for the messages, e.g. {@code "fitting examples"} or {@code "fitting points"}.
     * @return The warning, or null when every feature varies.
     * @throws IllegalArgumentException If every feature is constant over the rows (nothing to learn).
     */
    public static String checkConstantFeatures(float[] matrix, int from, int to, ImmutableFeatureMap featureMap,
                                               String trainerName, String rows) {
        int d = featureMap.size();
        int fit = to - from;
        boolean[] varies = new boolean[d];
        int varying = 0;
        int first = from * d;
        for (int r = from + 1; r < to && varying < d; r++) {
            int o = r * d;
            for (int j = 0; j < d; j++) {
                if (!varies[j] && matrix[o + j] != matrix[first + j]) {
                    varies[j] = true;
                    varying++;
                }
            }
        }
        if (varying == 0) {
            throw new IllegalArgumentException(trainerName + ": every one of the " + d + " features is constant over "
                    + "the " + fit + " " + rows + " (a constant series?): there is nothing to learn, and any "
                    + "change at all would be flagged. Train on data that varies");
        }
        if (varying == d) {
            return null;
        }
        // Window features (WindowLayout): name the variables rather than every constant feature.
        WindowLayout layout = WindowLayout.orNull(featureMap);
        java.util.Set<String> variables = new java.util.LinkedHashSet<>();
        List<String> names = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            if (!varies[j]) {
                names.add(featureMap.get(j).getName());
                if (layout != null) {
                    variables.add(layout.variableToken(j % layout.variables()));
                }
            }
        }
        boolean windows = layout != null;
        List<String> listed = windows ? new ArrayList<>(variables) : names;
        String shown = String.join(", ", listed.subList(0, Math.min(NAMES_SHOWN, listed.size())))
                + (listed.size() > NAMES_SHOWN ? ", ..." : "");
        String warning = trainerName + ": " + names.size() + " of " + d + " features are constant over the " + fit
                + " " + rows + " (" + (windows ? listed.size() + " variable" + (listed.size() == 1 ? "" : "s")
                + " of the windows: " : "") + shown + "); they are kept but only centred, so any change in them at "
                + "scoring time raises the score";
        logger.warning(warning);
        return warning;
    }

    /** The threshold of one model on this data and the warnings its calibration raised. */
    public static final class Calibration {
        /** The threshold. */
        final double threshold;
        /** Warnings about the calibration scores, in order (data warnings not included). */
        final List<String> warnings;

        Calibration(double threshold, List<String> warnings) {
            this.threshold = threshold;
            this.warnings = Collections.unmodifiableList(warnings);
        }

        /**
         * The threshold (capped when the calibration's quantile was above every fitting score).
         * @return The threshold.
         */
        public double threshold() {
            return threshold;
        }

        /**
         * The warnings the calibration raised, in order (already logged).
         * @return The warnings (unmodifiable).
         */
        public List<String> warnings() {
            return warnings;
        }
    }

    /**
     * The threshold rule of every trainer here: the {@code quantile} of the model's scores on the calibration tail
     * (or on the fitting rows when there is no tail), checked against the fitted range, the range of the model's
     * scores on the fitting rows (at most {@link #MAX_RANGE_ROWS} of them, evenly spaced):
     * <ul>
     *   <li>the quantile above the fitted range: the tail holds more than the share {@code 1 − quantile} of
     *       scores the fitting data never reached (anomalies in the training data, a change in the data, or a
     *       model that overfits). The threshold is capped at the largest fitting score, and a warning says so
     *       with both numbers. An infinite tail score counts as above the range;</li>
     *   <li>tail scores beyond the top of the fitted range by more than its width, the quantile unaffected: a
     *       warning;</li>
     *   <li>the quantile below the fitted range (every fitting example would be flagged): a warning.</li>
     * </ul>
     * @param unthresholded The model to calibrate.
     * @param quantile The quantile in [0, 1].
     * @param what The model's role, for messages (e.g. "student"), or null.
     * @return The threshold and the warnings (also logged).
     * @throws IllegalStateException If a score is NaN or −∞ (training diverged), or a fitting score is infinite.
     */
    Calibration calibrate(ScoredModel unthresholded, double quantile, String what) {
        String who = what == null ? trainerName : trainerName + " (" + what + ")";
        int from = calibrationRows > 0 ? fitRows : 0;
        int to = examples.size();
        double[] scores = new double[to - from];
        unthresholded.scoreMatrix(rows(from, to), to - from, scores);
        int infinite = 0;
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i]) || scores[i] == Double.NEGATIVE_INFINITY) {
                throw new IllegalStateException(who + ": the model scores " + scores[i] + " on training example "
                        + (from + i) + "; training diverged (try a lower learning rate or standardised inputs)");
            }
            if (scores[i] == Double.POSITIVE_INFINITY) {
                scores[i] = Double.MAX_VALUE;
                infinite++;
            }
        }
        double q = Quantiles.quantile(scores, quantile);
        if (calibrationRows > 0) {
            double[] range = fittedRange(unthresholded, who);
            return checkThreshold(q, quantile, scores, infinite, range[0], range[1], fitRows, who);
        } else if (infinite > 0) {
            throw new IllegalStateException(who + ": the model scores infinity on " + infinite + " of its fitting "
                    + "examples; training diverged");
        }
        return new Calibration(q, new ArrayList<>());
    }

    /**
     * The checks of {@link #calibrate} on a threshold already computed from a calibration tail's scores, against the
     * fitted range {@code [low, high]} (the model's scores on its fitting examples): a threshold above the range is
     * capped at {@code high}, with a warning giving both numbers; tail scores far above the range (by more than its
     * width) and a threshold below it are warned about. The warnings are logged.
     * @param threshold The threshold: the {@code quantile} of {@code tailScores}.
     * @param quantile The quantile, for the messages.
     * @param tailScores The calibration tail's scores (an infinite score given as {@link Double#MAX_VALUE}).
     * @param infinite How many of the tail's scores were infinite, for the messages.
     * @param low The smallest fitting score.
     * @param high The largest fitting score.
     * @param fitCount The number of fitting examples, for the messages.
     * @param who The trainer (and the model's role), for the messages.
     * @return The threshold, capped or not, and the warnings.
     */
    public static Calibration checkThreshold(double threshold, double quantile, double[] tailScores, int infinite,
                                             double low, double high, int fitCount, String who) {
        double q = threshold;
        List<String> found = new ArrayList<>();
        int above = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : tailScores) {
            above += v > high ? 1 : 0;
            max = Math.max(max, v);
        }
        String largest = infinite > 0 ? "infinity (" + infinite + " infinite)" : fmt(max);
        if (q > high) {
            found.add(String.format(Locale.ROOT, "%s: the calibration tail's %s quantile of scores, %s, is above "
                    + "every score of the %d fitting examples (largest %s): %d of %d calibration examples score "
                    + "above it, up to %s. The tail may hold anomalies or a change in the data, or the model "
                    + "overfits its fitting part; the threshold is capped at %s", who, fmt(quantile), fmt(q),
                    fitCount, fmt(high), above, tailScores.length, largest, fmt(high)));
            q = high;
        } else if (above > 0 && max > high + (high - low)) {
            found.add(String.format(Locale.ROOT, "%s: %d of %d calibration examples score far above the fitting "
                    + "examples' range [%s, %s], up to %s; the threshold %s is unaffected, but the tail may hold "
                    + "anomalies", who, above, tailScores.length, fmt(low), fmt(high), largest, fmt(q)));
        }
        if (q < low) {
            found.add(String.format(Locale.ROOT, "%s: the threshold %s is below every score of the fitting "
                    + "examples (smallest %s): the model flags every example it was fitted on", who, fmt(q),
                    fmt(low)));
        }
        for (String w : found) {
            logger.warning(w);
        }
        return new Calibration(q, found);
    }

    /**
     * {@code provenance} with this data's warnings and the calibration's recorded ({@link TrainingWarnings}).
     * @param provenance The model provenance.
     * @param calibration The model's calibration.
     * @return The provenance to give the thresholded model.
     */
    ModelProvenance record(ModelProvenance provenance, Calibration calibration) {
        List<String> all = new ArrayList<>(warnings);
        all.addAll(calibration.warnings);
        return TrainingWarnings.record(provenance, all);
    }

    /**
     * The fitting examples whose scores give the fitted range: all of them, or {@link #MAX_RANGE_ROWS} evenly spaced
     * from the first to the last.
     * @param fitCount The number of fitting examples (at least 2 when above {@link #MAX_RANGE_ROWS}).
     * @return Their indices, increasing.
     */
    public static int[] fittedRangeSample(int fitCount) {
        int m = Math.min(fitCount, MAX_RANGE_ROWS);
        int[] rows = new int[m];
        for (int i = 0; i < m; i++) {
            rows[i] = m == fitCount ? i : (int) ((long) i * (fitCount - 1) / (m - 1));
        }
        return rows;
    }

    /** {min, max} of the model's scores on (at most {@link #MAX_RANGE_ROWS} evenly spaced) fitting rows. */
    private double[] fittedRange(ScoredModel model, String who) {
        int m = Math.min(fitRows, MAX_RANGE_ROWS);
        float[] sample;
        if (m == fitRows) {
            sample = rows(0, fitRows);
        } else {
            sample = new float[m * numFeatures];
            int[] picked = fittedRangeSample(fitRows);
            for (int i = 0; i < m; i++) {
                System.arraycopy(matrix, picked[i] * numFeatures, sample, i * numFeatures, numFeatures);
            }
        }
        double[] scores = new double[m];
        model.scoreMatrix(sample, m, scores);
        double low = Double.POSITIVE_INFINITY, high = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < m; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalStateException(who + ": the model scores " + scores[i] + " on a fitting example; "
                        + "training diverged (try a lower learning rate or standardised inputs)");
            }
            low = Math.min(low, scores[i]);
            high = Math.max(high, scores[i]);
        }
        return new double[]{low, high};
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** A copy of rows [from, to). */
    /**
     * The same examples and split seen through a subset of the features (a student that sees fewer sensors than its
     * teacher): the matrix keeps only {@code columns}, and the constant-feature check is made again on them.
     * @param columns Feature ids of this data, increasing.
     * @param subset The feature domain of those columns (ids 0..k-1 in the same order).
     * @return The narrowed data.
     */
    TrainingData onColumns(int[] columns, ImmutableFeatureMap subset) {
        float[] narrowed = selectColumns(matrix, examples.size(), numFeatures, columns);
        List<String> subsetWarnings = new ArrayList<>();
        String constant = checkConstantFeatures(narrowed, 0, fitRows, subset, trainerName, "fitting examples");
        if (constant != null) {
            subsetWarnings.add(constant);
        }
        return new TrainingData(examples, originalIndices, narrowed, columns.length, fitRows, trainerName,
                subsetWarnings);
    }

    /**
     * Copies some columns of a row-major matrix.
     * @param rows The matrix, {@code n × d}.
     * @param n The number of rows.
     * @param d The number of columns.
     * @param columns The columns to keep, each in {@code [0, d)}.
     * @return The {@code n × columns.length} matrix.
     */
    static float[] selectColumns(float[] rows, int n, int d, int[] columns) {
        int k = columns.length;
        float[] out = new float[n * k];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < k; j++) {
                out[r * k + j] = rows[r * d + columns[j]];
            }
        }
        return out;
    }

    float[] rows(int from, int to) {
        return Arrays.copyOfRange(matrix, from * numFeatures, to * numFeatures);
    }
}
