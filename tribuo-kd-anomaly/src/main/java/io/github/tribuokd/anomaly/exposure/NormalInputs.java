package io.github.tribuokd.anomaly.exposure;

import io.github.tribuokd.anomaly.FeatureStandardizer;
import io.github.tribuokd.anomaly.WindowLayout;
import org.tribuo.ImmutableFeatureMap;

/**
 * The normal inputs an {@link ExposureGenerator} starts from: raw rows in feature-id order, the feature domain,
 * each feature's mean and standard deviation on these rows (a feature constant on them has standard deviation 1,
 * as in {@link FeatureStandardizer}, so "one standard deviation" is one unit of the standardised space that the
 * teachers of this library see), and the window layout when the features are {@code t<step>.v<variable>} windows
 * (null for tabular features).
 */
public final class NormalInputs {

    private final float[] rows;
    private final int numRows;
    private final ImmutableFeatureMap featureMap;
    private final float[] mean;
    private final float[] sd;
    private final WindowLayout layout;

    private NormalInputs(float[] rows, int numRows, ImmutableFeatureMap featureMap, float[] mean, float[] sd,
                         WindowLayout layout) {
        this.rows = rows;
        this.numRows = numRows;
        this.featureMap = featureMap;
        this.mean = mean;
        this.sd = sd;
        this.layout = layout;
    }

    /**
     * Wraps normal rows (not copied: callers must not change them while generators run).
     * @param rows {@code [numRows, featureMap.size()]} row-major, raw.
     * @param numRows The number of rows ({@code ≥ 1}).
     * @param featureMap The feature domain.
     * @return The inputs with their statistics.
     */
    public static NormalInputs of(float[] rows, int numRows, ImmutableFeatureMap featureMap) {
        int d = featureMap.size();
        if (numRows < 1) {
            throw new IllegalArgumentException("Exposure needs at least one normal input, found " + numRows);
        }
        if (d < 1) {
            throw new IllegalArgumentException("Exposure needs at least one feature");
        }
        if (rows.length < (long) numRows * d) {
            throw new IllegalArgumentException("rows holds " + rows.length + " numbers, fewer than " + numRows
                    + " rows x " + d + " features");
        }
        FeatureStandardizer stats = FeatureStandardizer.fit(rows, numRows, d);
        return new NormalInputs(rows, numRows, featureMap, stats.mean(), stats.scale(),
                WindowLayout.orNull(featureMap));
    }

    /**
     * The raw rows, {@code [numRows, width]} row-major (not a copy: do not modify).
     * @return The rows.
     */
    public float[] rows() {
        return rows;
    }

    /**
     * The number of rows.
     * @return n.
     */
    public int numRows() {
        return numRows;
    }

    /**
     * The number of features per row.
     * @return d.
     */
    public int width() {
        return featureMap.size();
    }

    /**
     * The feature domain.
     * @return The feature map.
     */
    public ImmutableFeatureMap featureMap() {
        return featureMap;
    }

    /**
     * The mean of feature {@code j} on the rows.
     * @param j The feature id.
     * @return The mean.
     */
    public float mean(int j) {
        return mean[j];
    }

    /**
     * The standard deviation of feature {@code j} on the rows (1 for a constant feature).
     * @param j The feature id.
     * @return The standard deviation.
     */
    public float sd(int j) {
        return sd[j];
    }

    /**
     * The window layout, or null for tabular features.
     * @return The layout.
     */
    public WindowLayout layout() {
        return layout;
    }

    /**
     * Copies row {@code r} into {@code out} at {@code offset}.
     * @param r The row.
     * @param out The destination.
     * @param offset Where to write.
     */
    public void copyRow(int r, float[] out, int offset) {
        int d = width();
        System.arraycopy(rows, r * d, out, offset, d);
    }
}
