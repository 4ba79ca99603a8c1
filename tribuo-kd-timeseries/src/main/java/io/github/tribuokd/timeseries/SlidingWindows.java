package io.github.tribuokd.timeseries;

import io.github.tribuokd.anomaly.WindowLayout;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Sliding windows of length L and stride s over a {@link MultivariateSeries}: window {@code w} covers
 * the time steps {@code [w*s, w*s + L - 1]} (both inclusive), and a series of {@code n} steps has
 * {@code floor((n - L) / s) + 1} windows (none when {@code n < L}). Trailing steps that do not fill a
 * further window are not covered by any window start; see {@link PointScores} for mapping window
 * scores back to every point. Immutable.
 * <p>
 * A window is flattened time-major: the value of variable {@code v} at offset {@code t} in the window
 * goes to index {@code t * numVariables + v}, and the feature of that index is named
 * {@code "t" + t + ".v" + v} with both numbers zero-padded (see {@link #featureNames(int, int)}), so that
 * the lexicographic order in which Tribuo assigns feature ids equals the flattening order. The layout and its
 * names are {@link WindowLayout}'s, the documented on-disk contract of every window model.
 */
public final class SlidingWindows {

    private final int windowLength;
    private final int stride;

    /**
     * Creates a window configuration.
     *
     * @param windowLength The window length L, at least 1.
     * @param stride       The stride s, at least 1.
     * @throws IllegalArgumentException If either is less than 1.
     */
    public SlidingWindows(int windowLength, int stride) {
        if (windowLength < 1) {
            throw new IllegalArgumentException("windowLength must be at least 1, found " + windowLength);
        }
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be at least 1, found " + stride);
        }
        this.windowLength = windowLength;
        this.stride = stride;
    }

    /**
     * Returns the window length L.
     *
     * @return The window length.
     */
    public int windowLength() {
        return windowLength;
    }

    /**
     * Returns the stride s.
     *
     * @return The stride.
     */
    public int stride() {
        return stride;
    }

    /**
     * Returns the number of windows over a series of {@code numSteps} steps:
     * {@code floor((numSteps - L) / s) + 1}, or 0 when {@code numSteps < L}.
     *
     * @param numSteps The number of time steps, at least 0.
     * @return The number of windows.
     * @throws IllegalArgumentException If {@code numSteps} is negative.
     */
    public int numWindows(int numSteps) {
        if (numSteps < 0) {
            throw new IllegalArgumentException("numSteps must not be negative, found " + numSteps);
        }
        if (numSteps < windowLength) {
            return 0;
        }
        return (numSteps - windowLength) / stride + 1;
    }

    /**
     * Returns the first time step of window {@code w}: {@code w * s}.
     *
     * @param w The window index, at least 0.
     * @return The first time step (inclusive).
     * @throws IllegalArgumentException If {@code w} is negative.
     * @throws ArithmeticException      If the time step overflows an int.
     */
    public int windowStart(int w) {
        if (w < 0) {
            throw new IllegalArgumentException("window index must not be negative, found " + w);
        }
        return Math.multiplyExact(w, stride);
    }

    /**
     * Returns the last time step of window {@code w}: {@code w * s + L - 1} (inclusive).
     *
     * @param w The window index, at least 0.
     * @return The last time step (inclusive).
     * @throws IllegalArgumentException If {@code w} is negative.
     * @throws ArithmeticException      If the time step overflows an int.
     */
    public int windowEnd(int w) {
        return Math.addExact(windowStart(w), windowLength - 1);
    }

    /**
     * Checks that a series is long enough for at least one window, naming where it came from: call it on the test
     * series before training, so that a test file too short for the window is reported before the work, by file.
     *
     * @param series The series.
     * @param source Where the series came from, e.g. its file.
     * @return The number of windows, at least 1.
     * @throws IllegalArgumentException If the series is shorter than the window length; the message names
     *                                  {@code source}, the series, its length and the window length.
     */
    public int requireWindows(MultivariateSeries series, String source) {
        Objects.requireNonNull(series, "series must not be null");
        int n = numWindows(series.numSteps());
        if (n == 0) {
            throw new IllegalArgumentException(source + ": series '" + series.name() + "' has " + series.numSteps()
                    + " time steps, fewer than the window length " + windowLength + "; give a longer series or a "
                    + "shorter window");
        }
        return n;
    }

    /**
     * Returns the feature names of a flattened window, in flattening order ({@link WindowLayout#featureNames()},
     * whose Javadoc is the contract): the name at index
     * {@code t * numVariables + v} is {@code "t" + t + ".v" + v}, where {@code t} is zero-padded to the
     * number of digits of {@code windowLength - 1} and {@code v} to the number of digits of
     * {@code numVariables - 1}, each at least 1 digit. For example L = 10 and 38 variables give
     * {@code t0.v00, t0.v01, ..., t0.v37, t1.v00, ..., t9.v37}; L = 100 and 5 variables give
     * {@code t00.v0 ... t99.v4}.
     * <p>
     * Because the padding makes all names of one window the same length, the lexicographic order of the
     * names equals their index order, which is the order Tribuo assigns feature ids in (it sorts names),
     * so feature id {@code i} of a dataset built by {@link #toDataset} is flattened index {@code i}.
     *
     * @param windowLength The window length L, at least 1.
     * @param numVariables The number of variables, at least 1.
     * @return A fresh array of {@code windowLength * numVariables} names.
     * @throws IllegalArgumentException If either argument is less than 1.
     */
    public static String[] featureNames(int windowLength, int numVariables) {
        return WindowLayout.of(windowLength, numVariables).featureNames();
    }

    /**
     * Returns the feature names of a window of this length over {@code numVariables} variables; see
     * {@link #featureNames(int, int)}.
     *
     * @param numVariables The number of variables, at least 1.
     * @return A fresh array of {@code windowLength() * numVariables} names.
     */
    public String[] featureNames(int numVariables) {
        return featureNames(windowLength, numVariables);
    }

    /**
     * Returns the label of every window of a labelled series: 1 when at least one of the window's
     * points is labelled anomalous, else 0.
     *
     * @param series A labelled series.
     * @return One label per window ({@link #numWindows(int)} of them, possibly none).
     * @throws IllegalArgumentException If the series has no labels.
     */
    public int[] windowLabels(MultivariateSeries series) {
        Objects.requireNonNull(series, "series must not be null");
        if (!series.hasLabels()) {
            throw new IllegalArgumentException("series '" + series.name() + "' has no labels");
        }
        int n = series.numSteps();
        int[] prefix = new int[n + 1];
        for (int t = 0; t < n; t++) {
            prefix[t + 1] = prefix[t] + series.label(t);
        }
        int numWindows = numWindows(n);
        int[] result = new int[numWindows];
        for (int w = 0; w < numWindows; w++) {
            int start = w * stride;
            result[w] = prefix[start + windowLength] - prefix[start] > 0 ? 1 : 0;
        }
        return result;
    }

    /**
     * Copies window {@code w} of {@code series}, flattened time-major ({@code t * numVariables + v}), into
     * {@code dest} and returns it. As the series is stored row-major, a window is one contiguous block,
     * so this is a single array copy; pass the same buffer for every window to avoid allocation.
     *
     * @param series The series.
     * @param w      The window index, in {@code [0, numWindows(series.numSteps()))}.
     * @param dest   A buffer of at least {@code windowLength() * series.numVariables()} floats (only that
     *               prefix is written), or {@code null} to allocate one of exactly that size.
     * @return {@code dest}, or the new buffer.
     * @throws IndexOutOfBoundsException If {@code w} is not a window of the series.
     * @throws IllegalArgumentException  If {@code dest} is too short.
     */
    public float[] windowValues(MultivariateSeries series, int w, float[] dest) {
        Objects.requireNonNull(series, "series must not be null");
        Objects.checkIndex(w, numWindows(series.numSteps()));
        int size = windowLength * series.numVariables();
        if (dest == null) {
            dest = new float[size];
        } else if (dest.length < size) {
            throw new IllegalArgumentException("dest has length " + dest.length + " but a window needs " + size);
        }
        System.arraycopy(series.valuesView(), w * stride * series.numVariables(), dest, 0, size);
        return dest;
    }

    /**
     * Copies windows {@code first .. first + count - 1} of {@code series}, each flattened as in
     * {@link #windowValues(MultivariateSeries, int, float[])}, into one row-major matrix {@code [count, L·m]}: the
     * input of {@code ScoredModel.scoreMatrix}.
     *
     * @param series The series.
     * @param first  The first window.
     * @param count  The number of windows (non-negative).
     * @return A new matrix of {@code count * windowLength() * series.numVariables()} floats.
     * @throws IndexOutOfBoundsException If a window is not a window of the series.
     * @throws ArithmeticException       If the matrix would not fit in one array.
     */
    public float[] windowMatrix(MultivariateSeries series, int first, int count) {
        Objects.requireNonNull(series, "series must not be null");
        if (count < 0) {
            throw new IllegalArgumentException("count must be non-negative, found " + count);
        }
        Objects.checkFromIndexSize(first, count, numWindows(series.numSteps()));
        int width = windowLength * series.numVariables();
        float[] matrix = new float[Math.multiplyExact(count, width)];
        for (int w = 0; w < count; w++) {
            System.arraycopy(series.valuesView(), (first + w) * stride * series.numVariables(), matrix, w * width,
                    width);
        }
        return matrix;
    }

    /**
     * Builds a Tribuo anomaly dataset with one example per window, in window order (example {@code w} is
     * window {@code w}). Each example holds the flattened window under the names of
     * {@link #featureNames(int, int)}, so feature id {@code i} is flattened index {@code i}.
     * <p>
     * The output of a window is {@code new Event(EventType.ANOMALOUS)} when its window label (see
     * {@link #windowLabels(MultivariateSeries)}) is 1 and {@code new Event(EventType.EXPECTED)} otherwise;
     * every window of an unlabelled series is EXPECTED. Outputs are built explicitly, never by parsing
     * label strings through {@link AnomalyFactory}. The dataset uses an {@link AnomalyFactory} and a
     * {@link WindowedSeriesProvenance} recording the description, the series name and shape, L and s.
     *
     * @param series            The series.
     * @param sourceDescription A description of where the series came from (e.g. its file), recorded in
     *                          the provenance.
     * @return A new dataset of {@code numWindows(series.numSteps())} examples.
     * @throws IllegalArgumentException If the series is shorter than the window length.
     */
    public MutableDataset<Event> toDataset(MultivariateSeries series, String sourceDescription) {
        Objects.requireNonNull(series, "series must not be null");
        Objects.requireNonNull(sourceDescription, "sourceDescription must not be null");
        requireWindows(series, sourceDescription);
        AnomalyFactory factory = new AnomalyFactory();
        WindowedSeriesProvenance provenance = new WindowedSeriesProvenance(sourceDescription, series, this, factory);
        MutableDataset<Event> dataset = new MutableDataset<>(provenance, factory);
        for (Iterator<Example<Event>> it = exampleIterator(series); it.hasNext(); ) {
            dataset.add(it.next());
        }
        return dataset;
    }

    /**
     * The one windowing routine of this library: a lazy iterator over the windows of {@code series} as Tribuo
     * examples, in window order. Example {@code w} holds window {@code w} flattened time-major under the names of
     * {@link #featureNames(int, int)}, and its output is {@code new Event(ANOMALOUS)} when its window label
     * ({@link #windowLabels(MultivariateSeries)}) is 1, else {@code new Event(EXPECTED)}. Both
     * {@link #toDataset(MultivariateSeries, String)} and {@link WindowedSeriesDataSource} use it, so they give the
     * same examples for the same series.
     *
     * @param series The series; may be shorter than a window (the iterator is then empty).
     * @return A fresh iterator; every call to {@code next()} builds a new example.
     */
    Iterator<Example<Event>> exampleIterator(MultivariateSeries series) {
        Objects.requireNonNull(series, "series must not be null");
        int numWindows = numWindows(series.numSteps());
        int numVariables = series.numVariables();
        String[] names = numWindows == 0 ? new String[0] : featureNames(windowLength, numVariables);
        int[] labels = series.hasLabels() ? windowLabels(series) : null;
        float[] values = series.valuesView();
        return new Iterator<>() {
            private final double[] buffer = new double[names.length];
            private int w = 0;

            @Override
            public boolean hasNext() {
                return w < numWindows;
            }

            @Override
            public Example<Event> next() {
                if (w >= numWindows) {
                    throw new NoSuchElementException("no window " + w + ": the series has " + numWindows + " windows");
                }
                int offset = w * stride * numVariables;
                for (int i = 0; i < buffer.length; i++) {
                    buffer[i] = values[offset + i];
                }
                Event output = labels != null && labels[w] == 1
                        ? new Event(Event.EventType.ANOMALOUS)
                        : new Event(Event.EventType.EXPECTED);
                w++;
                // ArrayExample copies both arrays, so the buffer can be reused.
                return new ArrayExample<>(output, names, buffer);
            }
        };
    }

    /**
     * Builds the dataset of {@link #toDataset(MultivariateSeries, String)} with the series name as the
     * source description.
     *
     * @param series The series.
     * @return A new dataset of {@code numWindows(series.numSteps())} examples.
     * @throws IllegalArgumentException If the series is shorter than the window length.
     */
    public MutableDataset<Event> toDataset(MultivariateSeries series) {
        return toDataset(series, series.name());
    }

    /**
     * Two configurations are equal when their window lengths and strides are equal.
     *
     * @param o The object to compare with.
     * @return True if equal.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SlidingWindows)) {
            return false;
        }
        SlidingWindows other = (SlidingWindows) o;
        return windowLength == other.windowLength && stride == other.stride;
    }

    /**
     * Returns a hash code consistent with {@link #equals(Object)}.
     *
     * @return The hash code.
     */
    @Override
    public int hashCode() {
        return 31 * windowLength + stride;
    }

    /**
     * Returns a description of the configuration.
     *
     * @return The description.
     */
    @Override
    public String toString() {
        return "SlidingWindows(windowLength=" + windowLength + ", stride=" + stride + ")";
    }
}
