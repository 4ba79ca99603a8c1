package io.github.tribuokd.anomaly;

import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Output;

/**
 * Turns Tribuo examples into dense float32 rows in feature-id order, refusing anything that would make a score
 * silently wrong.
 * <p>
 * Tribuo drops unknown features at prediction time and treats absent features as zero (TRIBUO-NOTES.md, trap 4).
 * The detectors of this library are dense models of fixed-layout inputs (time-series windows, images), so an
 * example must carry exactly the model's features: an unknown feature name, a missing feature, or a NaN/infinite
 * value is an {@link IllegalArgumentException} that names the feature and the example.
 */
public final class FeatureMatrix {

    private FeatureMatrix() { }

    /**
     * Writes one example into {@code dest[offset, offset + featureMap.size())}, allocating nothing.
     * @param example The example.
     * @param featureMap The model's feature domain.
     * @param dest The destination buffer.
     * @param offset Where the row starts.
     * @param exampleIndex The example's position, used in error messages (or -1 if unknown).
     * @param <T> The output type.
     */
    public static <T extends Output<T>> void fillRow(Example<T> example, ImmutableFeatureMap featureMap,
                                                     float[] dest, int offset, long exampleIndex) {
        int width = featureMap.size();
        int found = 0;
        for (Feature f : example) {
            int id = featureMap.getID(f.getName());
            if (id < 0) {
                throw new IllegalArgumentException(where(exampleIndex) + " has feature '" + f.getName()
                        + "' which the model does not know (the model has " + width + " features, e.g. '"
                        + featureMap.get(0).getName() + "')");
            }
            double v = f.getValue();
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(where(exampleIndex) + " has a non-finite value " + v
                        + " for feature '" + f.getName() + "'");
            }
            dest[offset + id] = (float) v;
            found++;
        }
        if (found != width) {
            throw new IllegalArgumentException(where(exampleIndex) + " has " + found + " of the model's " + width
                    + " features; missing: " + firstMissing(example, featureMap)
                    + ". Dense detectors need every feature (absent is not zero here)");
        }
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

    private static String where(long exampleIndex) {
        return exampleIndex >= 0 ? "Example " + exampleIndex : "The example";
    }

    private static <T extends Output<T>> String firstMissing(Example<T> example, ImmutableFeatureMap featureMap) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        int missing = 0;
        for (int id = 0; id < featureMap.size(); id++) {
            String name = featureMap.get(id).getName();
            if (example.lookup(name) == null) {
                missing++;
                if (shown < 3) {
                    sb.append(shown == 0 ? "'" : ", '").append(name).append('\'');
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
