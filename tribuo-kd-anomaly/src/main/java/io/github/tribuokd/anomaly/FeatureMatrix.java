package io.github.tribuokd.anomaly;

import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Output;

import java.util.Arrays;

/**
 * Turns Tribuo examples into dense float32 rows in feature-id order, refusing anything that would make a score
 * silently wrong.
 * <p>
 * Tribuo drops unknown features at prediction time and treats absent features as zero (TRIBUO-NOTES.md, trap 4).
 * The detectors of this library are dense models of fixed-layout inputs (time-series windows, images), so an
 * example must carry exactly the model's features, each once: an unknown feature name, a duplicated or missing
 * feature, or a value that is NaN, infinite or beyond the float32 range is an {@link IllegalArgumentException} that
 * names the feature and the example.
 */
public final class FeatureMatrix {

    private FeatureMatrix() { }

    /**
     * Writes one example into {@code dest[offset, offset + featureMap.size())}, allocating nothing.
     * <p>
     * Every slot of the row is checked: an unknown feature, a feature given twice (which could otherwise stand in
     * for a missing one) or a missing feature is an error naming it, and so is a value that is NaN, infinite or
     * beyond the float32 range ({@code ±3.4028235E38}) the models compute in (a double such as {@code 1e300} would
     * otherwise become an infinite float and a NaN score).
     * @param example The example.
     * @param featureMap The model's feature domain.
     * @param dest The destination buffer.
     * @param offset Where the row starts.
     * @param exampleIndex The example's position, used in error messages (or -1 if unknown).
     * @param <T> The output type.
     * @throws IllegalArgumentException If the example does not carry exactly the model's features, each once, with
     *                                  values representable as finite float32 numbers.
     */
    public static <T extends Output<T>> void fillRow(Example<T> example, ImmutableFeatureMap featureMap,
                                                     float[] dest, int offset, long exampleIndex) {
        fill(example, featureMap, dest, offset, exampleIndex, true);
    }

    /**
     * As {@link #fillRow}, but a value that is not a finite float32 number is written as 0 and reported instead of
     * refused (unknown, duplicate and missing features are still errors): for a caller that flags such rows.
     * @param example The example.
     * @param featureMap The model's feature domain.
     * @param dest The destination buffer.
     * @param offset Where the row starts.
     * @param exampleIndex The example's position, used in error messages (or -1 if unknown).
     * @param <T> The output type.
     * @return -1 when every value is a finite float32 number, else the id of the first feature whose value is not.
     * @throws IllegalArgumentException If the example does not carry exactly the model's features, each once.
     */
    public static <T extends Output<T>> int fillRowFlaggingNonFinite(Example<T> example,
                                                                     ImmutableFeatureMap featureMap, float[] dest,
                                                                     int offset, long exampleIndex) {
        return fill(example, featureMap, dest, offset, exampleIndex, false);
    }

    /**
     * The row is first set to NaN, which no accepted value can be, so that a slot already written (a duplicate) and
     * a slot never written (a missing feature) are both seen without a scratch buffer.
     */
    private static <T extends Output<T>> int fill(Example<T> example, ImmutableFeatureMap featureMap, float[] dest,
                                                  int offset, long exampleIndex, boolean refuseNonFinite) {
        int width = featureMap.size();
        Arrays.fill(dest, offset, offset + width, Float.NaN);
        int found = 0;
        int firstNonFinite = -1;
        for (Feature f : example) {
            int id = featureMap.getID(f.getName());
            if (id < 0) {
                throw new IllegalArgumentException(where(exampleIndex) + " has feature '" + f.getName()
                        + "' which the model does not know (the model has " + width + " features, e.g. '"
                        + featureMap.get(0).getName() + "')");
            }
            if (!Float.isNaN(dest[offset + id])) {
                throw new IllegalArgumentException(where(exampleIndex) + " has feature '" + f.getName()
                        + "' more than once; each of the model's " + width + " features must appear exactly once");
            }
            double v = f.getValue();
            float x = (float) v;
            if (!Float.isFinite(x)) {
                if (refuseNonFinite) {
                    throw new IllegalArgumentException(nonFiniteMessage(exampleIndex, f.getName(), v));
                }
                if (firstNonFinite < 0) {
                    firstNonFinite = id;
                }
                x = 0f;
            }
            dest[offset + id] = x;
            found++;
        }
        if (found != width) {
            throw new IllegalArgumentException(where(exampleIndex) + " has " + found + " of the model's " + width
                    + " features; missing: " + missing(dest, offset, featureMap)
                    + ". Dense detectors need every feature (absent is not zero here)");
        }
        return firstNonFinite;
    }

    private static String nonFiniteMessage(long exampleIndex, String feature, double v) {
        if (Double.isFinite(v)) {
            return where(exampleIndex) + " has value " + v + " for feature '" + feature + "', beyond the float32 range"
                    + " (±" + Float.MAX_VALUE + ") the models compute in";
        }
        return where(exampleIndex) + " has a non-finite value " + v + " for feature '" + feature + "'";
    }

    /**
     * Converts examples into a row-major matrix {@code [n, featureMap.size()]}.
     * @param examples The examples.
     * @param featureMap The feature domain.
     * @param <T> The output type.
     * @return The matrix.
     */
    public static <T extends Output<T>> float[] toMatrix(Iterable<Example<T>> examples, ImmutableFeatureMap featureMap) {
        int n = 0;
        for (Example<T> ignored : examples) {
            n++;
        }
        int width = featureMap.size();
        float[] matrix = new float[Math.multiplyExact(n, width)];
        int i = 0;
        for (Example<T> e : examples) {
            fillRow(e, featureMap, matrix, i * width, i);
            i++;
        }
        return matrix;
    }

    /**
     * Finds the first value of {@code values[offset, offset + length)} that is NaN or infinite, allocating nothing:
     * the check of raw float32 input on the zero-copy scoring paths.
     * @param values The values.
     * @param offset The first value checked.
     * @param length The number of values checked.
     * @return The position of the first non-finite value relative to {@code offset}, or -1 when all are finite.
     */
    public static int firstNonFinite(float[] values, int offset, int length) {
        for (int i = 0; i < length; i++) {
            if (!Float.isFinite(values[offset + i])) {
                return i;
            }
        }
        return -1;
    }

    private static String where(long exampleIndex) {
        return exampleIndex >= 0 ? "Example " + exampleIndex : "The example";
    }

    /** The features whose slots were never written (still NaN), the first three by name. */
    private static String missing(float[] dest, int offset, ImmutableFeatureMap featureMap) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        int missing = 0;
        for (int id = 0; id < featureMap.size(); id++) {
            if (Float.isNaN(dest[offset + id])) {
                missing++;
                if (shown < 3) {
                    sb.append(shown == 0 ? "'" : ", '").append(featureMap.get(id).getName()).append('\'');
                    shown++;
                }
            }
        }
        if (missing > shown) {
            sb.append(" and ").append(missing - shown).append(" more");
        }
        return sb.toString();
    }
}
