package io.github.tribuokd.evaluation;

import io.github.tribuokd.timeseries.SlidingWindows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The windows of a labelled test series split in time, as Malhotra et al. 2016 (§2.2) use a labelled validation
 * part to choose {@code τ} and {@code c}: with the cut at step {@code cut = round(f · numSteps)}, the
 * <b>labelled</b> part holds the windows whose last step is at most {@code cut} ({@link SlidingWindows#windowEnd},
 * inclusive), the <b>evaluation</b> part the other windows that start at or after {@code cut}; windows straddling the
 * cut belong to neither. With {@code f = 0} every window is evaluated. Immutable.
 */
public final class LabelledSplit {

    private final int[] labelled;
    private final int[] evaluation;
    private final int[] labels;

    private LabelledSplit(int[] labelled, int[] evaluation, int[] labels) {
        this.labelled = labelled;
        this.evaluation = evaluation;
        this.labels = labels;
    }

    /**
     * Splits the windows of a series.
     * @param windows The windowing of the series.
     * @param numSteps The length of the series.
     * @param labelledFraction The labelled fraction {@code f} of the series, in {@code [0, 1)}.
     * @param labels One 0/1 label per window ({@link SlidingWindows#windowLabels}).
     * @return The split.
     * @throws IllegalArgumentException If {@code f} is outside {@code [0, 1)} or no window starts after the cut.
     */
    public static LabelledSplit of(SlidingWindows windows, int numSteps, double labelledFraction, int[] labels) {
        if (!(labelledFraction >= 0 && labelledFraction < 1)) {
            throw new IllegalArgumentException("LabelledSplit: the labelled fraction must be in [0, 1), found "
                    + labelledFraction);
        }
        int cut = (int) Math.round(labelledFraction * numSteps);
        List<Integer> lab = new ArrayList<>();
        List<Integer> eval = new ArrayList<>();
        for (int w = 0; w < labels.length; w++) {
            if (cut > 0 && windows.windowEnd(w) <= cut) {
                lab.add(w);
            } else if (windows.windowStart(w) >= cut) {
                eval.add(w);
            }
        }
        if (eval.isEmpty()) {
            throw new IllegalArgumentException("LabelledSplit: no test window starts after the labelled part (cut at "
                    + "step " + cut + " of " + numSteps + "); lower the labelled fraction");
        }
        return new LabelledSplit(lab.stream().mapToInt(Integer::intValue).toArray(),
                eval.stream().mapToInt(Integer::intValue).toArray(), labels.clone());
    }

    /**
     * The labelled windows, in time order (empty when {@code f = 0}).
     * @return A copy of their indices.
     */
    public int[] labelled() {
        return labelled.clone();
    }

    /**
     * The evaluation windows, in time order.
     * @return A copy of their indices.
     */
    public int[] evaluation() {
        return evaluation.clone();
    }

    /**
     * The number of labelled windows.
     * @return The count.
     */
    public int numLabelled() {
        return labelled.length;
    }

    /**
     * The number of evaluation windows.
     * @return The count.
     */
    public int numEvaluation() {
        return evaluation.length;
    }

    /**
     * Every window's label.
     * @return A copy of the labels.
     */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * The labels of some windows.
     * @param part Window indices.
     * @return Their labels, in the order of {@code part}.
     */
    public int[] labelsOf(int[] part) {
        int[] out = new int[part.length];
        for (int i = 0; i < part.length; i++) {
            out[i] = labels[part[i]];
        }
        return out;
    }

    /**
     * The number of anomalous labelled windows.
     * @return The count.
     */
    public int labelledPositives() {
        return Arrays.stream(labelsOf(labelled)).sum();
    }

    /**
     * The number of anomalous evaluation windows.
     * @return The count.
     */
    public int evaluationPositives() {
        return Arrays.stream(labelsOf(evaluation)).sum();
    }

    /**
     * The values of some windows.
     * @param values One value per window.
     * @param part Window indices.
     * @return Their values, in the order of {@code part}.
     */
    public static double[] pick(double[] values, int[] part) {
        double[] out = new double[part.length];
        for (int i = 0; i < part.length; i++) {
            out[i] = values[part[i]];
        }
        return out;
    }
}
