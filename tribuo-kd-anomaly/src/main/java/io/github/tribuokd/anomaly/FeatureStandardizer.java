package io.github.tribuokd.anomaly;

import io.github.tribuokd.anomaly.protos.FeatureStandardizerProto;

import java.util.Arrays;

/**
 * Per-feature standardisation {@code z = (x − mean) / scale}, fitted on training data and stored in the model.
 * A feature that is constant on the training data gets scale 1 (it is only centred).
 */
public final class FeatureStandardizer {

    private final float[] mean;
    private final float[] scale;

    private FeatureStandardizer(float[] mean, float[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    /**
     * Fits mean and standard deviation per column.
     * @param matrix {@code [n, width]} row-major.
     * @param n Rows.
     * @param width Columns.
     * @return The fitted standardiser.
     */
    public static FeatureStandardizer fit(float[] matrix, int n, int width) {
        return fit(matrix, n, width, 0.0);
    }

    /**
     * Fits mean and standard deviation per column, with a floor on the scale: a column whose standard deviation is
     * below {@code minScale} is divided by {@code minScale} instead. On data already scaled to {@code [0, 1]} (SMD)
     * a floor such as 0.01 keeps a column that is nearly constant in training from turning a small change in
     * testing into a standardised value of thousands. With {@code minScale = 0} a column of standard deviation at
     * most 1e-8 keeps scale 1 (is only centred).
     * @param matrix {@code [n, width]} row-major.
     * @param n Rows.
     * @param width Columns.
     * @param minScale The floor, {@code ≥ 0}, finite.
     * @return The fitted standardiser.
     */
    public static FeatureStandardizer fit(float[] matrix, int n, int width, double minScale) {
        checkMinScale(minScale);
        if (n < 1) {
            throw new IllegalArgumentException("Cannot fit a standardiser on zero examples");
        }
        double[] sum = new double[width];
        double[] sumSq = new double[width];
        for (int r = 0; r < n; r++) {
            int o = r * width;
            for (int c = 0; c < width; c++) {
                double v = matrix[o + c];
                sum[c] += v;
            }
        }
        float[] mean = new float[width];
        for (int c = 0; c < width; c++) {
            mean[c] = (float) (sum[c] / n);
        }
        for (int r = 0; r < n; r++) {
            int o = r * width;
            for (int c = 0; c < width; c++) {
                double d = matrix[o + c] - mean[c];
                sumSq[c] += d * d;
            }
        }
        float[] scale = new float[width];
        for (int c = 0; c < width; c++) {
            double sd = Math.sqrt(sumSq[c] / n);
            if (minScale > 0) {
                scale[c] = (float) Math.max(sd, minScale);
            } else {
                scale[c] = sd > 1e-8 ? (float) sd : 1f;
            }
        }
        return new FeatureStandardizer(mean, scale);
    }

    /**
     * Standardises rows in place.
     * @param matrix {@code [n, width]} row-major.
     * @param n Rows.
     */
    public void applyInPlace(float[] matrix, int n) {
        applyInPlace(matrix, 0, n);
    }

    /**
     * Standardises rows {@code [firstRow, firstRow + n)} in place.
     * @param matrix {@code [.., width]} row-major.
     * @param firstRow The first row.
     * @param n Rows.
     */
    public void applyInPlace(float[] matrix, int firstRow, int n) {
        int width = mean.length;
        for (int r = firstRow; r < firstRow + n; r++) {
            int o = r * width;
            for (int c = 0; c < width; c++) {
                matrix[o + c] = (matrix[o + c] - mean[c]) / scale[c];
            }
        }
    }

    /**
     * The input energy of one raw row: the mean over features of its squared standardised values,
     * {@code (1/d) Σ_j ((x_j − mean_j) / scale_j)²}, each standardised value computed in float exactly as
     * {@link #applyInPlace} does, the sum in double.
     * @param raw The raw rows.
     * @param offset Where the row starts.
     * @return The energy, non-negative.
     */
    public double meanSquare(float[] raw, int offset) {
        int width = mean.length;
        double sum = 0;
        for (int c = 0; c < width; c++) {
            float z = (raw[offset + c] - mean[c]) / scale[c];
            sum += (double) z * z;
        }
        return sum / width;
    }

    /**
     * The standardisation of some of the features (a student that sees a subset of its teacher's inputs).
     * @param columns Feature indices, each in {@code [0, width())}.
     * @return A standardiser of {@code columns.length} features with their means and scales.
     */
    public FeatureStandardizer select(int[] columns) {
        float[] m = new float[columns.length];
        float[] s = new float[columns.length];
        for (int j = 0; j < columns.length; j++) {
            m[j] = mean[columns[j]];
            s[j] = scale[columns[j]];
        }
        return new FeatureStandardizer(m, s);
    }

    /**
     * The number of features.
     * @return The width.
     */
    public int width() {
        return mean.length;
    }

    /**
     * The per-feature means.
     * @return A copy.
     */
    public float[] mean() {
        return mean.clone();
    }

    /**
     * The per-feature scales (standard deviations, or 1 for constant features).
     * @return A copy.
     */
    public float[] scale() {
        return scale.clone();
    }

    /**
     * Serializes to protobuf.
     * @return The proto.
     */
    public FeatureStandardizerProto toProto() {
        FeatureStandardizerProto.Builder b = FeatureStandardizerProto.newBuilder();
        for (int i = 0; i < mean.length; i++) {
            b.addMean(mean[i]);
            b.addScale(scale[i]);
        }
        return b.build();
    }

    /**
     * Deserializes and checks the width.
     * @param proto The proto.
     * @param expectedWidth The model's number of features.
     * @return The standardiser.
     */
    public static FeatureStandardizer fromProto(FeatureStandardizerProto proto, int expectedWidth) {
        if (proto.getMeanCount() != expectedWidth || proto.getScaleCount() != expectedWidth) {
            throw new IllegalStateException("Invalid protobuf: standardiser has " + proto.getMeanCount() + " means and "
                    + proto.getScaleCount() + " scales, the model has " + expectedWidth + " features");
        }
        float[] mean = new float[expectedWidth];
        float[] scale = new float[expectedWidth];
        for (int i = 0; i < expectedWidth; i++) {
            mean[i] = proto.getMean(i);
            scale[i] = proto.getScale(i);
            if (!Float.isFinite(mean[i]) || !(scale[i] > 0) || !Float.isFinite(scale[i])) {
                throw new IllegalStateException("Invalid protobuf: standardiser entry " + i + " has mean " + mean[i]
                        + " and scale " + scale[i]);
            }
        }
        return new FeatureStandardizer(mean, scale);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FeatureStandardizer)) {
            return false;
        }
        FeatureStandardizer s = (FeatureStandardizer) o;
        return Arrays.equals(mean, s.mean) && Arrays.equals(scale, s.scale);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(scale);
    }

    /**
     * Checks a floor on the standardisation scale (trainers check theirs when configured).
     * @param minScale The floor, finite and {@code ≥ 0}.
     * @throws IllegalArgumentException If it is negative, NaN or infinite.
     */
    static void checkMinScale(double minScale) {
        if (!(minScale >= 0) || !Double.isFinite(minScale)) {
            throw new IllegalArgumentException("minScale must be finite and non-negative, found " + minScale);
        }
    }
}
