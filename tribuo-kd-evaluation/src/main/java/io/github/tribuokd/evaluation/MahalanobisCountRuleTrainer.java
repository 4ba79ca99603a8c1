package io.github.tribuokd.evaluation;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.tribuokd.anomaly.FeatureMatrix;
import io.github.tribuokd.anomaly.LSTMAutoencoderModel;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Seed {@code 000_*} (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md)'s whole detector as a Tribuo {@link Trainer}: an LSTM encoder-decoder (the teacher,
 * {@code LSTMAutoencoderTrainer}, or a distilled student, {@code ReconstructionDistillationTrainer}) that decides by
 * the Mahalanobis count rule of §2.1, eq. 1, calibrated without labels on normal validation windows.
 * <p>
 * The wrapped trainer fits the network on the first {@code 1 − f} of the training windows (time order); this trainer
 * then takes the time-ordered tail of {@code f} (the windows the wrapped trainer held out, {@code f} =
 * {@link #validationFraction}, normal windows only), computes their per-point errors {@code e_t}
 * ({@link LSTMAutoencoderModel#errorVectors}), fits {@code μ} and {@code Σ} on them
 * ({@link MahalanobisCountRule#fit}), scores every validation point {@code a_t} (eq. 1) and calibrates
 * {@code τ} and {@code c} on the validation windows ({@link CalibratedCountRule}: {@code τ} = the
 * {@code q_τ}-quantile of the {@code a_t}, {@code c} = 1 + ⌈the {@code q_c}-quantile of the windows' counts⌉). The
 * model it returns carries the rule ({@link LSTMAutoencoderModel#withDecisionRule}): its score is the number of a
 * window's points with {@code a_t > τ} and it predicts ANOMALOUS exactly when that number is at least {@code c}, in
 * Java, after serialization and in ONNX.
 * <p>
 * {@link #calibrate(LSTMAutoencoderModel, Dataset)} attaches the rule to an already trained model (the
 * {@code smd-lstm} command trains one teacher, distils several students from it and calibrates each); it is exactly
 * what {@link #train} does after the wrapped trainer. The model's trainer provenance is the wrapped trainer's; the
 * rule's settings are in its instance provenance ({@link LSTMAutoencoderModel#DECISION_RULE_PROVENANCE}).
 */
public final class MahalanobisCountRuleTrainer implements Trainer<Event> {

    @Config(description = "The trainer of the LSTM autoencoder (its models must be LSTMAutoencoderModels). "
            + "Optional when only calibrate(model, dataset) is used.")
    private Trainer<Event> trainer;

    @Config(description = "Quantile q_tau of the validation points' Mahalanobis scores a_t that sets tau.")
    private double tauQuantile = 0.99;

    @Config(description = "Quantile q_c of the validation windows' counts of a_t > tau; c = 1 + its ceiling.")
    private double countQuantile = CalibratedCountRule.DEFAULT_COUNT_QUANTILE;

    @Config(description = "Fraction of the training windows (the time-ordered tail) the rule is calibrated on; "
            + "the wrapped trainer's validation fraction.")
    private double validationFraction = 0.1;

    /** For OLCUT. */
    private MahalanobisCountRuleTrainer() { }

    /**
     * Creates a trainer with the seed-000 protocol's settings: {@code q_c} = 0.99 and a validation tail of 10%.
     * @param trainer The trainer of the LSTM autoencoder, or null when only {@link #calibrate} is used.
     * @param tauQuantile {@code q_τ} in {@code [0, 1]}.
     */
    public MahalanobisCountRuleTrainer(Trainer<Event> trainer, double tauQuantile) {
        this(trainer, tauQuantile, CalibratedCountRule.DEFAULT_COUNT_QUANTILE, 0.1);
    }

    /**
     * Creates a trainer.
     * @param trainer The trainer of the LSTM autoencoder, or null when only {@link #calibrate} is used.
     * @param tauQuantile {@code q_τ} in {@code [0, 1]}.
     * @param countQuantile {@code q_c} in {@code [0, 1]}.
     * @param validationFraction The calibration tail's fraction of the training windows, in {@code (0, 1)}.
     */
    public MahalanobisCountRuleTrainer(Trainer<Event> trainer, double tauQuantile, double countQuantile,
                                       double validationFraction) {
        this.trainer = trainer;
        this.tauQuantile = tauQuantile;
        this.countQuantile = countQuantile;
        this.validationFraction = validationFraction;
        postConfig();
    }

    /**
     * Checks the settings.
     * @throws IllegalArgumentException If a quantile is outside {@code [0, 1]} or the fraction outside
     *                                  {@code (0, 1)}.
     */
    @Override
    public void postConfig() {
        if (!(tauQuantile >= 0 && tauQuantile <= 1) || !(countQuantile >= 0 && countQuantile <= 1)) {
            throw new IllegalArgumentException("MahalanobisCountRuleTrainer: quantiles must be in [0, 1], found q_tau = "
                    + tauQuantile + ", q_c = " + countQuantile);
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("MahalanobisCountRuleTrainer: validationFraction must be in (0, 1), found "
                    + validationFraction);
        }
    }

    /**
     * Trains the LSTM autoencoder with the wrapped trainer and attaches the calibrated count rule.
     * @param examples Normal training windows in time order.
     * @return The model, deciding by the rule.
     */
    @Override
    public LSTMAutoencoderModel train(Dataset<Event> examples) {
        return train(examples, Collections.emptyMap());
    }

    /**
     * Trains the LSTM autoencoder with the wrapped trainer and attaches the calibrated count rule.
     * @param examples Normal training windows in time order.
     * @param runProvenance Extra provenance for the wrapped trainer's model.
     * @return The model, deciding by the rule.
     */
    @Override
    public LSTMAutoencoderModel train(Dataset<Event> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    /**
     * Trains the LSTM autoencoder with the wrapped trainer and attaches the calibrated count rule.
     * @param examples Normal training windows in time order.
     * @param runProvenance Extra provenance for the wrapped trainer's model.
     * @param invocationCount The wrapped trainer's invocation count to train at.
     * @return The model, deciding by the rule.
     * @throws IllegalStateException If no trainer is configured.
     * @throws IllegalArgumentException If the wrapped trainer's model is not an {@link LSTMAutoencoderModel}.
     */
    @Override
    public LSTMAutoencoderModel train(Dataset<Event> examples, Map<String, Provenance> runProvenance,
                                      int invocationCount) {
        if (trainer == null) {
            throw new IllegalStateException("MahalanobisCountRuleTrainer: no LSTM autoencoder trainer is configured;"
                    + " use calibrate(model, dataset) to attach the rule to a trained model");
        }
        Model<Event> model = trainer.train(examples, runProvenance, invocationCount);
        if (!(model instanceof LSTMAutoencoderModel)) {
            throw new IllegalArgumentException("MahalanobisCountRuleTrainer: the wrapped trainer made a "
                    + model.getClass().getName() + ", expected an LSTMAutoencoderModel");
        }
        return calibrate((LSTMAutoencoderModel) model, examples).model();
    }

    /**
     * Calibrates the rule on the tail of the training windows (normal windows only, the last
     * {@code ⌊f · n⌋}, at least one) and attaches it to the model.
     * @param model A trained LSTM autoencoder.
     * @param trainingWindows The windows it was trained on, in time order.
     * @return The calibration, with the model deciding by the rule.
     * @throws IllegalArgumentException If the windows hold no normal window.
     */
    public Calibration calibrate(LSTMAutoencoderModel model, Dataset<Event> trainingWindows) {
        List<Example<Event>> normal = new ArrayList<>(trainingWindows.size());
        for (Example<Event> e : trainingWindows) {
            if (e.getOutput().getType() != Event.EventType.ANOMALOUS) {
                normal.add(e);
            }
        }
        if (normal.isEmpty()) {
            throw new IllegalArgumentException("MahalanobisCountRuleTrainer: no normal training window to calibrate on");
        }
        int tail = Math.max(1, (int) Math.floor(normal.size() * validationFraction));
        List<Example<Event>> validation = normal.subList(normal.size() - tail, normal.size());
        return calibrate(model, FeatureMatrix.toMatrix(validation, model.getFeatureIDMap()), tail);
    }

    /**
     * Calibrates the rule on normal validation windows and attaches it to the model.
     * @param model A trained LSTM autoencoder.
     * @param validationWindows Raw normal windows {@code [n, L·m]} in feature-id order (not modified).
     * @param n The number of windows, at least 1 (eq. 1's covariance needs two points).
     * @return The calibration, with the model deciding by the rule.
     * @throws IllegalArgumentException If the windows are too few or the array too short.
     */
    public Calibration calibrate(LSTMAutoencoderModel model, float[] validationWindows, int n) {
        int steps = model.windowLength(), m = model.variables();
        if (n < 1 || validationWindows.length < (long) n * steps * m) {
            throw new IllegalArgumentException("MahalanobisCountRuleTrainer: " + n + " validation windows of " + steps
                    + " x " + m + " need " + (long) n * steps * m + " values, found " + validationWindows.length);
        }
        float[] errors = new float[n * steps * m];
        model.errorVectors(validationWindows, n, errors);
        double[][] points = new double[n * steps][m];
        for (int p = 0; p < n * steps; p++) {
            for (int j = 0; j < m; j++) {
                points[p][j] = errors[p * m + j];
            }
        }
        MahalanobisCountRule distance = MahalanobisCountRule.fit(points, 0.0, 1);
        double[] scores = distance.scores(points);
        double[][] windows = new double[n][];
        for (int v = 0; v < n; v++) {
            windows[v] = Arrays.copyOfRange(scores, v * steps, (v + 1) * steps);
        }
        CalibratedCountRule normalRule = CalibratedCountRule.calibrate(windows, tauQuantile, countQuantile);
        MahalanobisCountRule rule = distance.withTauAndCount(normalRule.tau(), normalRule.count());
        return new Calibration(model.withDecisionRule(rule.modelRule()), rule, scores, windows);
    }

    /**
     * The wrapped trainer's invocation count (0 without one).
     * @return The count.
     */
    @Override
    public int getInvocationCount() {
        return trainer == null ? 0 : trainer.getInvocationCount();
    }

    /**
     * Sets the wrapped trainer's invocation count.
     * @param invocationCount The count.
     */
    @Override
    public void setInvocationCount(int invocationCount) {
        if (trainer != null) {
            trainer.setInvocationCount(invocationCount);
        }
    }

    /**
     * The provenance: the wrapped trainer and the rule's settings.
     * @return The provenance.
     */
    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    /**
     * A readable summary.
     * @return The summary.
     */
    @Override
    public String toString() {
        return "MahalanobisCountRuleTrainer(trainer=" + trainer + ",tauQuantile=" + tauQuantile + ",countQuantile="
                + countQuantile + ",validationFraction=" + validationFraction + ")";
    }

    /** A model with its calibrated rule, and the validation scores the rule was calibrated on. Immutable. */
    public static final class Calibration {
        private final LSTMAutoencoderModel model;
        private final MahalanobisCountRule rule;
        private final double[] validationPointScores;
        private final double[][] validationWindows;

        private Calibration(LSTMAutoencoderModel model, MahalanobisCountRule rule, double[] validationPointScores,
                            double[][] validationWindows) {
            this.model = model;
            this.rule = rule;
            this.validationPointScores = validationPointScores;
            this.validationWindows = validationWindows;
        }

        /**
         * The model deciding by the rule.
         * @return The model.
         */
        public LSTMAutoencoderModel model() {
            return model;
        }

        /**
         * The rule ({@code μ}, {@code Σ}, {@code τ}, {@code c}); {@link MahalanobisCountRule#modelRule()} is the
         * object the model carries.
         * @return The rule.
         */
        public MahalanobisCountRule rule() {
            return rule;
        }

        /**
         * The validation points' scores {@code a_t} (eq. 1), window-major.
         * @return A copy.
         */
        public double[] validationPointScores() {
            return validationPointScores.clone();
        }

        /**
         * The validation points' scores {@code a_t}, one row per validation window (the windows {@code τ} and
         * {@code c} were calibrated on; the history with which a drift normaliser starts on the test series).
         * @return A copy, {@code [numWindows][L]}.
         */
        public double[][] validationWindows() {
            double[][] copy = new double[validationWindows.length][];
            for (int v = 0; v < copy.length; v++) {
                copy[v] = validationWindows[v].clone();
            }
            return copy;
        }
    }
}
