package io.github.tribuokd.evaluation;

import io.github.tribuokd.anomaly.AbstractScoredAnomalyModel;
import io.github.tribuokd.anomaly.AutoencoderModel;
import io.github.tribuokd.anomaly.DenseAutoencoderTrainer;
import io.github.tribuokd.anomaly.DenseReconstructionDistillationTrainer;
import io.github.tribuokd.anomaly.DistilledAnomalyModel;
import io.github.tribuokd.anomaly.MLPRegressionTrainer;
import io.github.tribuokd.anomaly.ScoreDistillationTrainer;
import io.github.tribuokd.anomaly.TrainingWarnings;
import io.github.tribuokd.anomaly.WindowLayout;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.LossFunction;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.PointScores;
import io.github.tribuokd.timeseries.SlidingWindows;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;
import org.tribuo.dataset.DatasetView;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Anomaly detection with privileged sensors, the "future work (2)" of seed 003 (Hayashi et al., IJCNN 2019, after
 * Lopez-Paz et al., "Unifying distillation and privileged information", ICLR 2016): at training time every sensor of
 * a machine is recorded; at deployment only some are. A teacher autoencoder sees all variables; a score-regression
 * student ({@link ScoreDistillationTrainer} with {@code studentFeatures}) sees only the deployed subset and learns
 * the teacher's log score. It is compared with (a) the same teacher trained on the subset alone, the detector one
 * would build without the privileged sensors, and (b) the full teacher, which needs every sensor at deployment.
 * <p>
 * <b>Protocol</b>, per entity (an SMD-layout machine: a normal training series and a labelled test series):
 * <ul>
 *   <li>Windows of {@link Settings#windowLength} steps (stride 1), flattened time-major; the first 90% of the
 *       training windows (in time order) fit every teacher, the last 10% are the student's calibration tail.</li>
 *   <li>Teachers: {@link #teacherTrainer} (dense autoencoder d-64-16-64-d, the demo's), each with its own threshold
 *       (the 0.99 quantile of its reconstruction errors on its last 10% of the fitting windows). The full teacher is
 *       trained once per entity.</li>
 *   <li>Student: {@link #studentTrainer} (MLP k-16-1, ReLU, MAE; the {@code score-mlp} preset's) distilled from the
 *       full teacher on the subset's window features. By default ({@link Settings#energyBaseline}) it learns
 *       {@code ln(S + ε) − ln(E + ε)}, S the teacher's score and E the mean squared standardised input of the
 *       subset, on inputs clipped to their training range, and scores {@code (E + ε)·exp(g(x)) − ε}: a student
 *       trained on normal windows only is never asked to extrapolate its learned score to anomalies, which lie away
 *       from them; its score there grows with E. Threshold: the 0.99 quantile of its scores on the calibration
 *       tail.</li>
 *   <li><b>Which sensors</b> ({@link #chooseVariables}; no label is ever read): the variables that vary over the
 *       training series are put in a random order (seed {@code seed + draw}); the subset for fraction f is the first
 *       {@code max(1, round(f·m))} of them, m counting every variable, so the subsets of one draw are nested (10% ⊂
 *       25% ⊂ 50%). Variables constant over the training series are never chosen: such a sensor tells a model
 *       nothing about normal behaviour. Several draws average over the luck of the choice.</li>
 *   <li>Second student: {@link #reconstructionStudentTrainer}, an autoencoder of the subset copying the full
 *       teacher's reconstructions of the subset's windows; its score is its own reconstruction error.</li>
 *   <li>Test: every window of the test series; the score of point t is that of the window ending at t (the first
 *       L−1 points take the first window's score). Metrics ({@link AnomalyMetrics}): ROC-AUC, PR-AUC, point-wise F1
 *       at each model's own threshold, PA%K area; the random-score baseline beside them.</li>
 * </ul>
 */
public final class PrivilegedSensorsExperiment {

    /** Settings of a run; the defaults are those of the published table. */
    public static final class Settings {
        /** Window length L in steps. */
        public int windowLength = 10;
        /** The student's share of the variables, one run per fraction. */
        public double[] fractions = {0.5, 0.25, 0.1};
        /** Random draws of the variables per fraction. */
        public int draws = 3;
        /** Seed of the variable choice (draw i uses {@code seed + i}) and of the random baseline. */
        public long seed = 1L;
        /** Epochs of every teacher. */
        public int teacherEpochs = 15;
        /** Epochs of the student. */
        public int studentEpochs = 30;
        /**
         * The student learns the log-ratio of the teacher's score to its input energy and clips its inputs to their
         * training range ({@code ScoreDistillationTrainer}'s energy baseline and clipping), so its score grows with
         * the distance from the normal data where it never saw a teacher score; false: the plain log-score student.
         */
        public boolean energyBaseline = true;
        /** Use only the first rows of the training series (0: all). */
        public int maxTrainRows = 0;
        /** Use only the first rows of the test series (0: all). */
        public int maxTestRows = 0;

        /**
         * Checks the settings.
         * @throws IllegalArgumentException If one is out of range, naming it.
         */
        public void check() {
            if (windowLength < 1 || draws < 1 || teacherEpochs < 1 || studentEpochs < 1 || maxTrainRows < 0
                    || maxTestRows < 0) {
                throw new IllegalArgumentException("window length, draws and epochs must be positive, row limits "
                        + "non-negative");
            }
            if (fractions == null || fractions.length == 0) {
                throw new IllegalArgumentException("At least one fraction of the variables is needed");
            }
            for (double f : fractions) {
                if (!(f > 0 && f < 1)) {
                    throw new IllegalArgumentException("Fractions of the variables must be in (0, 1), found " + f);
                }
            }
        }
    }

    /**
     * One detector's figures on the test series.
     * @param rocAuc Point-wise ROC-AUC.
     * @param prAuc Point-wise PR-AUC (average precision).
     * @param f1Pointwise Point-wise F1 at the detector's own threshold.
     * @param pakArea Area under PA%K F1 over K = 0..100.
     * @param parameters Trainable parameters (0 for the random baseline).
     */
    public record Figures(double rocAuc, double prAuc, double f1Pointwise, double pakArea, long parameters) {
        static Figures of(AnomalyMetrics m, long parameters) {
            return new Figures(m.rocAuc(), m.prAuc(), m.pointwise().f1(), m.paK().area(), parameters);
        }
    }

    /**
     * The three detectors on one subset of the variables.
     * @param fraction The target share of the variables.
     * @param draw The draw (0-based).
     * @param variables The chosen variables (0-based column indices, increasing).
     * @param subsetTeacher The teacher trained on the subset alone.
     * @param student The privileged score-regression student: sees the subset, learned the full teacher's score.
     * @param reconstructionStudent The privileged reconstruction student: an autoencoder of the subset that learned
     *                              the full teacher's reconstructions of it.
     * @param studentWarnings Training warnings recorded in the score-regression student's provenance.
     */
    public record Row(double fraction, int draw, int[] variables, Figures subsetTeacher, Figures student,
                      Figures reconstructionStudent, List<String> studentWarnings) { }

    /**
     * One entity's results.
     * @param entity The entity's name.
     * @param numVariables Its number of variables m.
     * @param varyingVariables How many vary over the training series (the candidates).
     * @param testPoints Test points.
     * @param anomalousPoints Anomalous test points.
     * @param fullTeacher The teacher on all variables.
     * @param random The random-score baseline (beside the full teacher: it flags as many points).
     * @param rows One row per fraction and draw.
     * @param seconds Wall time of the entity.
     */
    public record EntityResult(String entity, int numVariables, int varyingVariables, int testPoints,
                               int anomalousPoints, Figures fullTeacher, Figures random, List<Row> rows,
                               double seconds) { }

    private PrivilegedSensorsExperiment() {
    }

    /**
     * The teacher of every run: a dense autoencoder d-64-16-64-d (tanh), Adam 1e-3, minibatches of 128, seed 12345,
     * threshold the 0.99 quantile of the last 10% of its training windows (the demo's teacher).
     * @param epochs Epochs.
     * @return The trainer.
     */
    public static DenseAutoencoderTrainer teacherTrainer(int epochs) {
        return new DenseAutoencoderTrainer(new int[]{64, 16}, Activation.TANH, epochs, 128, new AdamOptimiser(1e-3),
                12345L, 0.1, 0.99);
    }

    /**
     * The student regression model: MLP k-16-1 (ReLU), MAE loss, Adam 1e-3, minibatches of 100, seed 12345 (the
     * {@code score-mlp} preset's).
     * @param epochs Epochs.
     * @return The trainer.
     */
    public static MLPRegressionTrainer studentTrainer(int epochs) {
        return new MLPRegressionTrainer(new int[]{16}, Activation.RELU, LossFunction.MAE, epochs, 100,
                new AdamOptimiser(1e-3), 12345L);
    }

    /**
     * The second privileged student: a dense autoencoder k-8-k (tanh) of the subset's window features that copies
     * the full teacher's reconstructions of them (α = 1, T = 1), Adam 1e-3, minibatches of 128, seed 12345, 10%
     * calibration tail, 0.99 quantile (the demo's student, {@link DenseReconstructionDistillationTrainer}); its
     * score is its own reconstruction error of the subset, so it never extrapolates a learned score.
     * @param epochs Epochs.
     * @return The trainer (without a teacher trainer: it distils a trained teacher).
     */
    public static DenseReconstructionDistillationTrainer reconstructionStudentTrainer(int epochs) {
        return new DenseReconstructionDistillationTrainer(null, new int[]{8}, Activation.TANH, 1.0, 1.0, epochs, 128,
                new AdamOptimiser(1e-3), 12345L, 0.1, 0.99);
    }

    /**
     * The student's variables (see the class documentation): the first {@code count} of the training series'
     * varying variables in a random order drawn from {@code seed}, sorted.
     * @param train The training series (never the test labels).
     * @param count How many variables, at least 1 (capped at the number that vary).
     * @param seed The seed of the order.
     * @return Column indices, increasing.
     * @throws IllegalArgumentException If no variable varies.
     */
    public static int[] chooseVariables(MultivariateSeries train, int count, long seed) {
        int[] order = varyingInRandomOrder(train, seed);
        int[] chosen = Arrays.copyOf(order, Math.min(Math.max(1, count), order.length));
        Arrays.sort(chosen);
        return chosen;
    }

    /** The varying variables of a series, shuffled (Fisher-Yates) with the seed. */
    private static int[] varyingInRandomOrder(MultivariateSeries train, long seed) {
        int m = train.numVariables();
        int[] varying = new int[m];
        int n = 0;
        for (int v = 0; v < m; v++) {
            float first = train.value(0, v);
            for (int t = 1; t < train.numSteps(); t++) {
                if (train.value(t, v) != first) {
                    varying[n++] = v;
                    break;
                }
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("Series '" + train.name() + "': no variable varies over the "
                    + train.numSteps() + " training steps");
        }
        int[] order = Arrays.copyOf(varying, n);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }

    /**
     * Runs the experiment on one entity.
     * @param entity The entity's name, for the result.
     * @param train Its normal training series.
     * @param test Its labelled test series (both classes present).
     * @param settings The settings.
     * @param progress Receives one line per trained model.
     * @return The results.
     * @throws IllegalArgumentException If the settings are invalid, the series too short or the test labels of
     *                                  one class.
     */
    public static EntityResult run(String entity, MultivariateSeries train, MultivariateSeries test,
                                   Settings settings, Consumer<String> progress) {
        settings.check();
        long start = System.nanoTime();
        if (settings.maxTrainRows > 0 && settings.maxTrainRows < train.numSteps()) {
            train = train.slice(0, settings.maxTrainRows);
        }
        if (settings.maxTestRows > 0 && settings.maxTestRows < test.numSteps()) {
            test = test.slice(0, settings.maxTestRows);
        }
        int[] labels = test.copyLabels();
        int anomalous = Arrays.stream(labels).sum();
        if (anomalous == 0 || anomalous == labels.length) {
            throw new IllegalArgumentException(entity + ": the test series has " + anomalous + " anomalous of "
                    + labels.length + " points; ROC-AUC and PR-AUC need both classes");
        }
        int m = train.numVariables();
        int length = settings.windowLength;
        SlidingWindows windows = new SlidingWindows(length, 1);
        windows.requireWindows(train, entity + " train");
        windows.requireWindows(test, entity + " test");
        MutableDataset<Event> trainData = windows.toDataset(train, entity + " train");
        Dataset<Event> fitView = fitPart(trainData);
        int numTest = windows.numWindows(test.numSteps());
        float[] testMatrix = windows.windowMatrix(test, 0, numTest);

        progress.accept(entity + ": full teacher on " + m + " variables");
        AutoencoderModel fullTeacher = teacherTrainer(settings.teacherEpochs).train(fitView);
        AnomalyMetrics fullMetrics = evaluate(fullTeacher, testMatrix, numTest, length, labels, settings.seed);
        Figures full = Figures.of(fullMetrics, fullTeacher.numParameters());
        Figures random = Figures.of(fullMetrics.randomBaseline(), 0);

        WindowLayout layout = WindowLayout.of(length, m);
        int varying = varyingInRandomOrder(train, settings.seed).length;
        List<Row> rows = new ArrayList<>();
        for (double fraction : settings.fractions) {
            for (int draw = 0; draw < settings.draws; draw++) {
                int count = Math.max(1, (int) Math.round(fraction * m));
                int[] variables = chooseVariables(train, count, settings.seed + draw);
                progress.accept(String.format("%s: %.0f%% of the variables (%d), draw %d", entity, 100 * fraction,
                        variables.length, draw));
                MultivariateSeries subsetTrain = train.selectVariables(variables);
                AutoencoderModel subsetTeacher = teacherTrainer(settings.teacherEpochs)
                        .train(fitPart(windows.toDataset(subsetTrain, entity + " train " + subsetTrain.name())));
                float[] subsetMatrix = windows.windowMatrix(test.selectVariables(variables), 0, numTest);
                Figures subset = Figures.of(evaluate(subsetTeacher, subsetMatrix, numTest, length, labels,
                        settings.seed), subsetTeacher.numParameters());

                ScoreDistillationTrainer kd = new ScoreDistillationTrainer(null, studentTrainer(settings.studentEpochs))
                        .withStudentFeatures(layout.featureNamesOf(variables))
                        .withEnergyBaseline(settings.energyBaseline)
                        .withClippedStudentInputs(settings.energyBaseline);
                DistilledAnomalyModel student = kd.distil(fullTeacher, trainData);
                float[] studentMatrix = columnsOf(testMatrix, numTest, layout, student.getFeatureIDMap());
                Figures distilled = Figures.of(evaluate(student, studentMatrix, numTest, length, labels,
                        settings.seed), student.numParameters());
                AutoencoderModel copier = reconstructionStudentTrainer(settings.teacherEpochs)
                        .withStudentFeatures(layout.featureNamesOf(variables)).distil(fullTeacher, trainData);
                Figures reconstruction = Figures.of(evaluate(copier, studentMatrix, numTest, length, labels,
                        settings.seed), copier.numParameters());
                rows.add(new Row(fraction, draw, variables, subset, distilled, reconstruction,
                        TrainingWarnings.of(student)));
            }
        }
        return new EntityResult(entity, m, varying, test.numSteps(), anomalous, full, random,
                Collections.unmodifiableList(rows), (System.nanoTime() - start) / 1e9);
    }

    /** The first 90% of the training windows (in time order), as the distillation trainer splits them. */
    private static Dataset<Event> fitPart(MutableDataset<Event> windows) {
        int n = windows.size();
        int fit = n - Math.max(1, (int) Math.floor(n * 0.1));
        int[] indices = new int[fit];
        for (int i = 0; i < fit; i++) {
            indices[i] = i;
        }
        return new DatasetView<>(windows, indices, "first 90% of the training windows");
    }

    /** The columns of the full window matrix that a model reads, in its feature-id order. */
    private static float[] columnsOf(float[] full, int n, WindowLayout layout, ImmutableFeatureMap features) {
        String[] names = layout.featureNames();
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            column.put(names[i], i);
        }
        int d = layout.numFeatures();
        int k = features.size();
        float[] out = new float[n * k];
        for (int j = 0; j < k; j++) {
            int c = column.get(features.get(j).getName());
            for (int r = 0; r < n; r++) {
                out[r * k + j] = full[r * d + c];
            }
        }
        return out;
    }

    /** Scores test windows, turns them into point scores and computes the metrics at the model's threshold. */
    private static AnomalyMetrics evaluate(AbstractScoredAnomalyModel model, float[] matrix, int numWindows, int length,
                                           int[] labels, long seed) {
        double[] scores = new double[numWindows];
        model.scoreMatrix(matrix, numWindows, scores);
        double[] points = PointScores.fromWindowScores(scores, length, labels.length);
        return AnomalyMetrics.compute(points, labels, model.threshold(), seed);
    }

    /** The detectors of {@link #means}, in order. */
    public static final List<String> DETECTORS = List.of("subset-only teacher", "privileged score student",
            "privileged reconstruction student", "full teacher", "random");

    /**
     * Means over entities and draws, per fraction: {@code [fraction index][detector][metric]}, detectors in the order
     * of {@link #DETECTORS}; metrics ROC-AUC, PR-AUC, F1 point-wise, PA%K area. Each entity's draws are averaged
     * first, so every entity weighs the same.
     * @param results The entities' results.
     * @param fractions The fractions, in the rows' order.
     * @return The means.
     */
    public static double[][][] means(List<EntityResult> results, double[] fractions) {
        int detectors = DETECTORS.size();
        double[][][] out = new double[fractions.length][detectors][4];
        for (EntityResult e : results) {
            for (int f = 0; f < fractions.length; f++) {
                double[][] entityMean = new double[3][4];
                int count = 0;
                for (Row r : e.rows()) {
                    if (r.fraction() == fractions[f]) {
                        add(entityMean[0], r.subsetTeacher(), 1);
                        add(entityMean[1], r.student(), 1);
                        add(entityMean[2], r.reconstructionStudent(), 1);
                        count++;
                    }
                }
                for (int k = 0; k < 3; k++) {
                    for (int j = 0; j < 4; j++) {
                        out[f][k][j] += entityMean[k][j] / count / results.size();
                    }
                }
                add(out[f][3], e.fullTeacher(), 1.0 / results.size());
                add(out[f][4], e.random(), 1.0 / results.size());
            }
        }
        return out;
    }

    private static void add(double[] sum, Figures figures, double weight) {
        sum[0] += weight * figures.rocAuc();
        sum[1] += weight * figures.prAuc();
        sum[2] += weight * figures.f1Pointwise();
        sum[3] += weight * figures.pakArea();
    }
}
