package io.github.tribuokd.timeseries.mscred;

import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.PointScores;
import io.github.tribuokd.timeseries.SignatureMatrixSequence;
import io.github.tribuokd.timeseries.SlidingWindows;
import io.github.tribuokd.timeseries.SmdEntity;
import io.github.tribuokd.timeseries.SmdLoader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * An experiment, not a test: which score of MSCRED's residual matrix ranks a dataset's anomalies, one teacher per
 * channel (entity), with raw or standardised inputs. For every entity with an anomalous test point it trains a
 * quarter-width teacher (L = 100, 4 epochs), computes the scale-1 residual matrix Υ of every calibration-tail
 * input (the last 10% of the training series) and every test input, and prints the ROC-AUC of each score:
 * <ul>
 *   <li>{@code count}: entries with |Υ| above τ (eq. 4, the model's score);</li>
 *   <li>{@code energy}: mean(Υ²);</li>
 *   <li>{@code z(1e-2)}, {@code z(1e-4)}: mean(Υ²/(σ²_ij + ε·mean σ²)), σ²_ij each entry's mean square on the
 *       calibration tail;</li>
 *   <li>{@code zmax}: the largest Υ²/(σ²_ij + 1e-2·mean σ²);</li>
 *   <li>{@code over-max}: entries above their largest calibration |Υ| (ties broken by z(1e-2));</li>
 *   <li>{@code row0}: energy of row and column 0 (MSL/SMAP's telemetry variable).</li>
 * </ul>
 * Usage: {@code ResidualScoreExperiment DIR standardised|raw}.
 */
public final class ResidualScoreExperiment {

    private static final String[] SCORES = {"count", "energy", "z(1e-2)", "z(1e-4)", "zmax", "over-max", "row0"};

    private ResidualScoreExperiment() { }

    /** ROC-AUC by average ranks (ties share their rank). */
    static double rocAuc(double[] scores, int[] labels) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double positives = 0;
        double rankSum = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1) {
                    positives++;
                    rankSum += rank;
                }
            }
            i = j + 1;
        }
        double negatives = n - positives;
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /** Every input's scale-1 residual matrix (the model's standardisation applied). */
    private static float[][] residuals(MSCREDModel model, MultivariateSeries raw, SignatureMatrixSequence[] seqOut) {
        MultivariateSeries series = MSCREDData.standardised(raw, model.standardizerOrNull());
        SignatureMatrixSequence seq = model.signature().build(series, model.signature().firstMatrixTime(), 2);
        float[][] r = new float[seq.numInputs()][];
        model.scoreInputs(seq.valuesView(), seq.stackSize(), seq.numInputs(), new double[seq.numInputs()], 2, r);
        seqOut[0] = seq;
        return r;
    }

    /**
     * Runs the experiment.
     * @param args The dataset folder and {@code standardised} or {@code raw}.
     * @throws Exception If the data cannot be read.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[1].equals("standardised") || args[1].equals("raw"))) {
            System.err.println("Usage: ResidualScoreExperiment DIR standardised|raw");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        boolean raw = args[1].equals("raw");
        double[] sums = new double[SCORES.length];
        int entities = 0;
        long start = System.nanoTime();
        for (String name : SmdLoader.listEntities(data)) {
            SmdEntity entity = SmdLoader.load(data, name);
            MultivariateSeries train = entity.train();
            MultivariateSeries test = entity.test();
            int[] labels = test.copyLabels();
            if (Arrays.stream(labels).sum() == 0) {
                continue;
            }
            MSCREDTrainer trainer = new MSCREDTrainer(100, new int[]{8, 16, 32, 64}, new int[]{3, 3, 2, 2},
                    new int[]{1, 2, 2, 2}, 4, 8, 1e-3, 1, 1);
            if (raw) {
                trainer.withRawInputs();
            }
            MSCREDModel model = trainer.train(new SlidingWindows(1, 1).toDataset(train, name));
            int n = train.numVariables();
            int nn = n * n;
            SignatureMatrixSequence[] seq = new SignatureMatrixSequence[1];
            float[][] fit = residuals(model, train, seq);
            int tailStart = (int) Math.floor(train.numSteps() * 0.9);
            List<float[]> calibration = new ArrayList<>();
            for (int i = 0; i < fit.length; i++) {
                if (seq[0].inputTime(i) >= tailStart) {
                    calibration.add(fit[i]);
                }
            }
            double[] meanSquare = new double[nn];
            double[] max = new double[nn];
            for (float[] r : calibration) {
                for (int j = 0; j < nn; j++) {
                    meanSquare[j] += (double) r[j] * r[j] / calibration.size();
                    max[j] = Math.max(max[j], Math.abs(r[j]));
                }
            }
            double mean = Arrays.stream(meanSquare).average().orElse(0) + 1e-12;
            float[][] res = residuals(model, test, seq);
            double[][] scores = new double[SCORES.length][res.length];
            for (int i = 0; i < res.length; i++) {
                float[] r = res[i];
                for (int j = 0; j < nn; j++) {
                    double sq = (double) r[j] * r[j];
                    double z2 = sq / (meanSquare[j] + 1e-2 * mean);
                    scores[0][i] += Math.abs(r[j]) > model.tau() ? 1 : 0;
                    scores[1][i] += sq / nn;
                    scores[2][i] += z2 / nn;
                    scores[3][i] += sq / (meanSquare[j] + 1e-4 * mean) / nn;
                    scores[4][i] = Math.max(scores[4][i], z2);
                    scores[5][i] += (Math.abs(r[j]) > max[j] + 1e-6 ? 1 : 0) + 1e-9 * z2;
                    scores[6][i] += j < n || j % n == 0 ? sq : 0;
                }
            }
            StringBuilder line = new StringBuilder(name);
            for (int k = 0; k < SCORES.length; k++) {
                double[] points = PointScores.fromGridScores(scores[k], seq[0].inputTime(0), model.signature().gap(),
                        test.numSteps());
                double auc = rocAuc(points, labels);
                sums[k] += auc;
                line.append(String.format(Locale.ROOT, " %s=%.3f", SCORES[k], auc));
            }
            entities++;
            System.out.println(line);
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "MEAN over %d entities (%s inputs, %.1f min)",
                entities, args[1], (System.nanoTime() - start) / 60e9));
        for (int k = 0; k < SCORES.length; k++) {
            line.append(String.format(Locale.ROOT, " %s=%.3f", SCORES[k], sums[k] / entities));
        }
        System.out.println(line);
    }
}
