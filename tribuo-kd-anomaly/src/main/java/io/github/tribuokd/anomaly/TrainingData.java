package io.github.tribuokd.anomaly;

import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.anomaly.Event;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The normal examples of an anomaly-detection training set, in dataset order, as a dense matrix, with the
 * time-ordered split into a fitting part and a calibration (validation) tail. Never shuffled: for time series the
 * calibration data must come after the fitting data (TRIBUO-NOTES.md, trap 7).
 */
final class TrainingData {

    private static final Logger logger = Logger.getLogger(TrainingData.class.getName());

    final List<Example<Event>> examples;
    /** Position in the original dataset of each kept example. */
    final int[] originalIndices;
    final float[] matrix;
    final int numFeatures;
    final int fitRows;
    final int calibrationRows;

    private TrainingData(List<Example<Event>> examples, int[] originalIndices, float[] matrix, int numFeatures,
                         int fitRows) {
        this.examples = examples;
        this.originalIndices = originalIndices;
        this.matrix = matrix;
        this.numFeatures = numFeatures;
        this.fitRows = fitRows;
        this.calibrationRows = examples.size() - fitRows;
    }

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
        if (fit < 1) {
            throw new IllegalArgumentException(trainerName + ": " + n + " examples leave none for fitting after a "
                    + "calibration fraction of " + calibrationFraction);
        }
        float[] matrix = FeatureMatrix.toMatrix(kept, featureMap);
        return new TrainingData(kept, java.util.Arrays.copyOf(indices, n), matrix, featureMap.size(), fit);
    }

    /**
     * The threshold rule of every trainer here: the {@code quantile} of the model's scores on the calibration tail
     * (or on the fitting rows when there is no tail).
     */
    double calibrationThreshold(ScoredModel unthresholded, double quantile) {
        int from = calibrationRows > 0 ? fitRows : 0;
        int to = examples.size();
        double[] scores = new double[to - from];
        unthresholded.scoreMatrix(rows(from, to), to - from, scores);
        return Quantiles.quantile(scores, quantile);
    }

    /** A copy of rows [from, to). */
    float[] rows(int from, int to) {
        return java.util.Arrays.copyOfRange(matrix, from * numFeatures, to * numFeatures);
    }
}
