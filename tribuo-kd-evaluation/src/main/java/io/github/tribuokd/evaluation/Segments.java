package io.github.tribuokd.evaluation;

/**
 * True anomaly segments of a 0/1 label series.
 * <p>
 * A segment is a maximal run of consecutive {@code 1} labels (docs/EVALUATION.md, "Definitions"). Segments are the unit
 * of point-adjust (Xu et al., WWW 2018) and of PA%K (Kim et al., AAAI 2022).
 */
public final class Segments {

    /**
     * Private constructor for a static utility class.
     */
    private Segments() {}

    /**
     * Finds the true segments of the labels in one {@code O(n)} pass.
     * @param labels The labels, {@code 0} or {@code 1}; may be empty.
     * @return One {@code {start, endExclusive}} pair per segment, in increasing order of start; empty when there
     *         is no positive label.
     * @throws IllegalArgumentException If the labels are null or a label is not 0 or 1 (the message gives the
     *                                  index and value).
     */
    public static int[][] of(int[] labels) {
        checkLabels(labels);
        int[] flat = flat(labels);
        int[][] segments = new int[flat.length / 2][];
        for (int s = 0; s < segments.length; s++) {
            segments[s] = new int[]{flat[2 * s], flat[2 * s + 1]};
        }
        return segments;
    }

    /**
     * The segments as one flat array {@code {start0, end0, start1, end1, ...}} (ends exclusive), for the
     * metrics of this package. The labels must already be validated.
     */
    static int[] flat(int[] labels) {
        int n = labels.length;
        int count = 0;
        int previous = 0;
        for (int i = 0; i < n; i++) {
            int label = labels[i];
            if (label == 1 && previous == 0) {
                count++;
            }
            previous = label;
        }
        int[] flat = new int[2 * count];
        int s = 0;
        previous = 0;
        for (int i = 0; i < n; i++) {
            int label = labels[i];
            if (label != previous) {
                flat[s++] = i; // a start when label == 1, an end when label == 0
            }
            previous = label;
        }
        if (previous == 1) {
            flat[s] = n;
        }
        return flat;
    }

    /**
     * Checks that the labels are non-null and all 0 or 1.
     * @throws IllegalArgumentException If not.
     */
    static void checkLabels(int[] labels) {
        if (labels == null) {
            throw new IllegalArgumentException("labels must not be null");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("labels must be 0 or 1, found labels[" + i + "] = " + labels[i]);
            }
        }
    }
}
