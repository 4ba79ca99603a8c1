package io.github.tribuokd.anomaly.classification;

import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Seed 003's Mackey-Glass setting (Hayashi et al., IJCNN 2019, slide table): training 100, validation 100, test
 * 10000 consecutive times, horizon k = 8, student input x(t−3..t) (length 4), teacher input of length 2
 * ({@code teacherFeatures}, default {@code s3, p1} = x(t), x(t+k−1): one present and one privileged value).
 * Student: the MLP classifier with no hidden layer (multinomial logistic regression). Baseline: the student on hard
 * labels alone (λ = 0). Proposed: generalized distillation with T and λ chosen by validation accuracy (ties: the
 * first in grid order), never by test labels.
 */
public final class MackeyGlassExperiment {

    /**
     * One seed's result.
     * @param seed The seed.
     * @param teacherTest The teacher's test accuracy (on its own features).
     * @param baselineTest The student alone (λ = 0): test accuracy.
     * @param proposedTest The distilled student: test accuracy.
     * @param temperature The chosen T.
     * @param lambda The chosen λ.
     * @param proposedValidation The chosen student's validation accuracy.
     */
    public record Row(long seed, double teacherTest, double baselineTest, double proposedTest, double temperature,
                      double lambda, double proposedValidation) { }

    /** Temperatures tried. */
    public static final double[] TEMPERATURES = {1, 2, 5};
    /** Imitation weights tried. */
    public static final double[] LAMBDAS = {0.25, 0.5, 0.75, 1.0};

    private MackeyGlassExperiment() { }

    /**
     * Runs the setting for one seed (the seed sets network initialisation and minibatch order).
     * @param seed The seed.
     * @param train Training length (slide: 100).
     * @param validation Validation length (slide: 100).
     * @param test Test length (slide: 10000).
     * @param k Horizon (slide: 8).
     * @param epochs Epochs of every network.
     * @param teacherFeatures The teacher's feature names.
     * @return The row.
     */
    public static Row run(long seed, int train, int validation, int test, int k, int epochs,
                          List<String> teacherFeatures) {
        double[] x = MackeyGlass.series(train + validation + test + k + 10, 300);
        Dataset<Label> trainData = MackeyGlass.task(x, 3, train, k, "Mackey-Glass train");
        Dataset<Label> valData = MackeyGlass.task(x, 3 + train, validation, k, "Mackey-Glass validation");
        Dataset<Label> testData = MackeyGlass.task(x, 3 + train + validation, test, k, "Mackey-Glass test");
        List<String> student = Arrays.asList(MackeyGlass.STUDENT);
        Dataset<Label> valX = GeneralizedDistillationTrainer.select(valData, student, "student");
        Dataset<Label> testX = GeneralizedDistillationTrainer.select(testData, student, "student");
        MLPClassificationTrainer teacherTrainer = new MLPClassificationTrainer(new int[]{16}, Activation.TANH, 0.0,
                epochs, 10, new AdamOptimiser(1e-2), seed);
        Model<Label> baseline = new GeneralizedDistillationTrainer(teacherTrainer, logistic(epochs, seed), student,
                teacherFeatures, 1.0, 0.0).train(trainData);
        double bestVal = -1;
        Model<Label> best = null;
        double bestT = 0, bestL = 0;
        for (double t : TEMPERATURES) {
            for (double l : LAMBDAS) {
                Model<Label> m = new GeneralizedDistillationTrainer(teacherTrainer, logistic(epochs, seed), student,
                        teacherFeatures, t, l).train(trainData);
                double v = accuracy(m, valX);
                if (v > bestVal) {
                    bestVal = v;
                    best = m;
                    bestT = t;
                    bestL = l;
                }
            }
        }
        Model<Label> teacher = teacherTrainer.train(GeneralizedDistillationTrainer.select(trainData, teacherFeatures,
                "teacher"));
        double teacherAcc = accuracy(teacher, GeneralizedDistillationTrainer.select(testData, teacherFeatures,
                "teacher"));
        return new Row(seed, teacherAcc, accuracy(baseline, testX), accuracy(best, testX), bestT, bestL, bestVal);
    }

    /** Default teacher features: x(t) and the privileged x(t+k−1). */
    public static final List<String> DEFAULT_TEACHER = List.of("s3", "p1");

    static MLPClassificationTrainer logistic(int epochs, long seed) {
        return new MLPClassificationTrainer(new int[0], Activation.TANH, 0.0, epochs, 10, new AdamOptimiser(1e-2),
                seed);
    }

    /**
     * Accuracy of a model on examples.
     * @param model The model.
     * @param data The examples.
     * @return The fraction predicted correctly.
     */
    public static double accuracy(Model<Label> model, Iterable<Example<Label>> data) {
        int n = 0;
        int ok = 0;
        for (Example<Label> e : data) {
            n++;
            ok += model.predict(e).getOutput().getLabel().equals(e.getOutput().getLabel()) ? 1 : 0;
        }
        return (double) ok / n;
    }

    /**
     * Mean and sample standard deviation.
     * @param v Values.
     * @return {mean, sd}.
     */
    public static double[] meanSd(double[] v) {
        double m = Arrays.stream(v).average().orElse(Double.NaN);
        double s = 0;
        for (double d : v) {
            s += (d - m) * (d - m);
        }
        return new double[]{m, v.length > 1 ? Math.sqrt(s / (v.length - 1)) : 0};
    }

    /**
     * Runs several seeds.
     * @param seeds The seeds.
     * @param epochs Epochs.
     * @param test Test length.
     * @return The rows.
     */
    public static List<Row> runAll(long[] seeds, int epochs, int test) {
        List<Row> rows = new ArrayList<>();
        for (long s : seeds) {
            rows.add(run(s, 100, 100, test, 8, epochs, DEFAULT_TEACHER));
        }
        return rows;
    }
}
