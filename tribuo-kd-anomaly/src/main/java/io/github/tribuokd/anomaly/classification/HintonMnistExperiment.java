package io.github.tribuokd.anomaly.classification;

import io.github.tribuokd.anomaly.images.IdxImages;
import io.github.tribuokd.anomaly.images.OneClassImageSplit;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableDataset;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Seed 003's MNIST experiments (Hinton, Vinyals and Dean, "Distilling the Knowledge in a Neural Network", section 3):
 * a dropout teacher (784-1200-1200-10), the same student (784-800-800-10) trained alone and distilled, and the
 * omitted-class run (the transfer set holds no 3), with and without a bias correction for the omitted class.
 * <p>
 * <b>Protocol.</b> Pixels scaled to [0, 1]. The last {@code validation} training images are held out: every model
 * trains on the rest, and the temperature T and weight α of the distilled student are chosen among
 * {@link Settings#temperatures} × {@link Settings#alphas} by validation errors only (the test set is never used to
 * choose anything). The omitted-3 student uses the chosen (T, α) and the teacher trained on every digit. Its bias
 * correction adds δ to its class-3 logit, δ found by bisection so that its mean predicted probability of 3 on the
 * validation images equals the frequency of 3s among them (Hinton et al. instead raised the bias by 3.5, a value
 * chosen for test performance). Differences from the paper: no input jitter and no input dropout for the
 * teacher (hidden dropout only), Adam instead of SGD with momentum, far fewer epochs.
 */
public final class HintonMnistExperiment {

    /** The omitted class. */
    public static final int OMITTED = 3;

    /** Settings of one run. */
    public static final class Settings {
        /** Teacher hidden widths (paper: 1200, 1200). */
        public int[] teacherHidden = {1200, 1200};
        /** Student hidden widths (paper: 800, 800). */
        public int[] studentHidden = {800, 800};
        /** Teacher dropout on the hidden layers. */
        public double teacherDropout = 0.5;
        /** Student dropout (none: the paper's student is unregularised). */
        public double studentDropout = 0.0;
        /** Epochs of every model. */
        public int epochs = 5;
        /** Minibatch size. */
        public int batchSize = 100;
        /** Adam learning rate. */
        public double learningRate = 1e-3;
        /** Held-out training images (the last ones), for choosing T and α and the bias correction. */
        public int validation = 10_000;
        /** Use at most this many training images before the split (0: all). */
        public int maxTrain = 0;
        /** Candidate temperatures. */
        public double[] temperatures = {4, 20};
        /** Candidate soft-term weights. */
        public double[] alphas = {0.9};
        /** Seed. */
        public long seed = 12345L;
    }

    /** One row of the table: test errors (out of {@code testSize}) and errors on the test 3s. */
    public record Row(String name, String setting, int testErrors, int testSize, int errorsOn3, int numTest3,
                      int validationErrors, double seconds, Integer seedErrors, Integer seedErrorsOn3) {
    }

    /** One candidate of the (T, α) grid with its validation errors. */
    public record Candidate(double temperature, double alpha, int validationErrors, double seconds) {
    }

    /** The outcome. */
    public record Result(List<Row> rows, List<Candidate> grid, double chosenTemperature, double chosenAlpha,
                         double biasDelta, int trainSize, int transferSizeWithout3, int validationSize,
                         long teacherParameters, long studentParameters, double totalSeconds) {
    }

    private final Settings s;
    private final Consumer<String> progress;

    /**
     * @param settings The settings.
     * @param progress Progress lines.
     */
    public HintonMnistExperiment(Settings settings, Consumer<String> progress) {
        if (settings.epochs < 1 || settings.validation < 1 || settings.temperatures.length == 0
                || settings.alphas.length == 0) {
            throw new IllegalArgumentException("epochs and validation must be positive, and the grid non-empty");
        }
        this.s = settings;
        this.progress = progress;
    }

    /**
     * Runs everything.
     * @param mnist The folder of MNIST's four IDX files.
     * @return The table.
     * @throws IOException If the files cannot be read.
     */
    public Result run(Path mnist) throws IOException {
        long start = System.nanoTime();
        IdxImages train = IdxImages.loadSplit(mnist, true);
        IdxImages test = IdxImages.loadSplit(mnist, false);
        int n = s.maxTrain > 0 ? Math.min(s.maxTrain, train.count()) : train.count();
        if (s.validation >= n) {
            throw new IllegalArgumentException("validation (" + s.validation + ") must be below the training size "
                    + n);
        }
        int fitSize = n - s.validation;
        String[] names = OneClassImageSplit.featureNames(train.numPixels());
        List<Example<Label>> fitList = examples(train, 0, fitSize, names, -1);
        List<Example<Label>> valList = examples(train, fitSize, n, names, -1);
        List<Example<Label>> testList = examples(test, 0, test.count(), names, -1);
        MutableDataset<Label> fit = dataset(fitList, mnist + " train[0," + fitSize + ")");
        List<Example<Label>> no3 = new ArrayList<>();
        for (Example<Label> e : fitList) {
            if (!e.getOutput().getLabel().equals(String.valueOf(OMITTED))) {
                no3.add(e);
            }
        }
        // The transfer set without 3s keeps the full label domain, so the student still has a class-3 output.
        Dataset<Label> fitNo3 = ImmutableDataset.copyDataset(dataset(no3, mnist + " train[0," + fitSize
                + ") without 3s"), fit.getFeatureIDMap(), fit.getOutputIDInfo());
        int id3 = fit.getOutputIDInfo().getID(new Label(String.valueOf(OMITTED)));

        List<Row> rows = new ArrayList<>();
        long t = System.nanoTime();
        MLPClassificationModel teacher = trainer(s.teacherHidden, s.teacherDropout, 0).train(fit);
        rows.add(row("teacher " + sizes(s.teacherHidden), "dropout " + s.teacherDropout, teacher, 0, id3,
                valList, testList, t, 67, null));
        progress.accept(rows.get(rows.size() - 1).toString());

        t = System.nanoTime();
        MLPClassificationModel alone = trainer(s.studentHidden, s.studentDropout, 1).train(fit);
        rows.add(row("student " + sizes(s.studentHidden) + " alone", "hard labels", alone, 0, id3, valList,
                testList, t, 146, null));
        progress.accept(rows.get(rows.size() - 1).toString());

        List<Candidate> grid = new ArrayList<>();
        MLPClassificationModel best = null;
        Candidate bestCandidate = null;
        double bestSeconds = 0;
        for (double temperature : s.temperatures) {
            for (double alpha : s.alphas) {
                t = System.nanoTime();
                MLPClassificationModel m = new SoftTargetDistillationTrainer(null,
                        trainer(s.studentHidden, s.studentDropout, 1), alpha, temperature).distil(teacher, fit);
                double secs = (System.nanoTime() - t) / 1e9;
                Candidate c = new Candidate(temperature, alpha, errors(m, valList, 0, id3, -1), secs);
                grid.add(c);
                progress.accept(c.toString());
                if (bestCandidate == null || c.validationErrors() < bestCandidate.validationErrors()) {
                    best = m;
                    bestCandidate = c;
                    bestSeconds = secs;
                }
            }
        }
        String chosen = "T = " + fmt(bestCandidate.temperature()) + ", α = " + fmt(bestCandidate.alpha());
        rows.add(new Row("student " + sizes(s.studentHidden) + " distilled", chosen + " (chosen on validation)",
                errors(best, testList, 0, id3, -1), testList.size(), errors(best, testList, 0, id3, OMITTED),
                count(testList, OMITTED), bestCandidate.validationErrors(), bestSeconds, 74, null));
        progress.accept(rows.get(rows.size() - 1).toString());

        t = System.nanoTime();
        MLPClassificationModel omitted = new SoftTargetDistillationTrainer(null,
                trainer(s.studentHidden, s.studentDropout, 1), bestCandidate.alpha(), bestCandidate.temperature())
                .distil(teacher, fitNo3);
        double omittedSeconds = (System.nanoTime() - t) / 1e9;
        rows.add(new Row("student distilled, no 3 in transfer set", chosen, errors(omitted, testList, 0, id3, -1),
                testList.size(), errors(omitted, testList, 0, id3, OMITTED), count(testList, OMITTED),
                errors(omitted, valList, 0, id3, -1), omittedSeconds, null, null));
        double delta = biasCorrection(omitted, valList, id3);
        rows.add(new Row("same, class-3 bias raised", "δ = " + fmt(delta) + " (validation frequency of 3)",
                errors(omitted, testList, delta, id3, -1), testList.size(),
                errors(omitted, testList, delta, id3, OMITTED), count(testList, OMITTED),
                errors(omitted, valList, delta, id3, -1), 0, 109, 14));
        progress.accept(rows.get(rows.size() - 2).toString());
        progress.accept(rows.get(rows.size() - 1).toString());
        return new Result(rows, grid, bestCandidate.temperature(), bestCandidate.alpha(), delta, fitSize,
                fitNo3.size(), valList.size(), teacher.numParameters(), alone.numParameters(),
                (System.nanoTime() - start) / 1e9);
    }

    private MLPClassificationTrainer trainer(int[] hidden, double dropout, long seedOffset) {
        return new MLPClassificationTrainer(hidden, Activation.RELU, dropout, s.epochs, s.batchSize,
                new AdamOptimiser(s.learningRate), s.seed + seedOffset);
    }

    private Row row(String name, String setting, MLPClassificationModel m, double delta, int id3,
                    List<Example<Label>> val, List<Example<Label>> test, long startNanos, Integer seedErrors,
                    Integer seedOn3) {
        double secs = (System.nanoTime() - startNanos) / 1e9;
        return new Row(name, setting, errors(m, test, delta, id3, -1), test.size(), errors(m, test, delta, id3,
                OMITTED), count(test, OMITTED), errors(m, val, delta, id3, -1), secs, seedErrors, seedOn3);
    }

    /**
     * The δ added to the class-3 logit that makes the mean predicted probability of 3 on the examples equal the
     * frequency of 3 among them (bisection; the mean is increasing in δ).
     * @param model The student.
     * @param examples Labelled examples (the validation images).
     * @param id3 The label id of 3.
     * @return δ.
     */
    public static double biasCorrection(MLPClassificationModel model, List<Example<Label>> examples, int id3) {
        float[][] logits = new float[examples.size()][];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = model.logits(examples.get(i));
        }
        double target = (double) count(examples, OMITTED) / examples.size();
        double lo = -50, hi = 50;
        for (int it = 0; it < 60; it++) {
            double mid = (lo + hi) / 2;
            double mean = 0;
            for (float[] z : logits) {
                mean += prob(z, id3, mid);
            }
            if (mean / logits.length < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    private static double prob(float[] z, int id, double delta) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < z.length; j++) {
            max = Math.max(max, z[j] + (j == id ? delta : 0));
        }
        double sum = 0, pj = 0;
        for (int j = 0; j < z.length; j++) {
            double e = Math.exp(z[j] + (j == id ? delta : 0) - max);
            sum += e;
            if (j == id) {
                pj = e;
            }
        }
        return pj / sum;
    }

    /**
     * Misclassified examples, with δ added to the class-{@code id3} logit.
     * @param model The model.
     * @param examples The examples.
     * @param delta Added to logit {@code id3}.
     * @param id3 The id whose logit is shifted.
     * @param onlyDigit Count only examples of this digit (−1: all).
     * @return The error count.
     */
    public static int errors(MLPClassificationModel model, List<Example<Label>> examples, double delta, int id3,
                             int onlyDigit) {
        int wrong = 0;
        for (Example<Label> e : examples) {
            if (onlyDigit >= 0 && !e.getOutput().getLabel().equals(String.valueOf(onlyDigit))) {
                continue;
            }
            float[] z = model.logits(e);
            int best = 0;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < z.length; j++) {
                double v = z[j] + (j == id3 ? delta : 0);
                if (v > bestValue) {
                    bestValue = v;
                    best = j;
                }
            }
            if (!model.getOutputIDInfo().getOutput(best).equals(e.getOutput())) {
                wrong++;
            }
        }
        return wrong;
    }

    private static int count(List<Example<Label>> examples, int digit) {
        String d = String.valueOf(digit);
        int c = 0;
        for (Example<Label> e : examples) {
            if (e.getOutput().getLabel().equals(d)) {
                c++;
            }
        }
        return c;
    }

    /**
     * Images {@code [from, to)} as labelled examples, pixels / 255.
     * @param images The images.
     * @param from First index.
     * @param to End index.
     * @param names Feature names.
     * @param skipDigit A digit to leave out (−1: none).
     * @return The examples.
     */
    static List<Example<Label>> examples(IdxImages images, int from, int to, String[] names, int skipDigit) {
        List<Example<Label>> out = new ArrayList<>(to - from);
        float[] floats = new float[images.numPixels()];
        double[] values = new double[floats.length];
        for (int i = from; i < to; i++) {
            if (images.label(i) == skipDigit) {
                continue;
            }
            images.pixels(i, floats, 0);
            for (int k = 0; k < values.length; k++) {
                values[k] = floats[k];
            }
            out.add(new ArrayExample<>(new Label(String.valueOf(images.label(i))), names, values));
        }
        return out;
    }

    private static MutableDataset<Label> dataset(List<Example<Label>> examples, String description) {
        LabelFactory factory = new LabelFactory();
        return new MutableDataset<>(new ListDataSource<>(examples, factory,
                new SimpleDataSourceProvenance(description, factory)));
    }

    private static String sizes(int[] hidden) {
        StringBuilder sb = new StringBuilder("784");
        for (int h : hidden) {
            sb.append('-').append(h);
        }
        return sb.append("-10").toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format("%.3g", v);
    }
}
