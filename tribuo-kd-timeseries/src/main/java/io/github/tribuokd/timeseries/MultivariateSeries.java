package io.github.tribuokd.timeseries;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable multivariate time series: {@link #numSteps()} time steps (rows) of
 * {@link #numVariables()} variables (columns), stored row-major as {@code float}, with optional
 * 0/1 labels per time step (1 = anomalous).
 * <p>
 * The value of variable {@code v} at time step {@code t} is stored at index
 * {@code t * numVariables() + v}. All values are finite; the constructor rejects NaN and infinities
 * and names the offending time step and variable.
 * <p>
 * Instances are immutable: the constructor copies its arrays and every accessor that returns an array
 * returns a copy, except {@link #valuesView()}, which exposes the backing array for zero-copy reads
 * and must never be written to.
 * <p>
 * Use {@link #slice(int, int)} for time-ordered train/validation splits; a time series must never be
 * shuffled before splitting.
 */
public final class MultivariateSeries {

    private final String name;
    private final int numSteps;
    private final int numVariables;
    private final float[] values;
    /** Labels, or {@code null} when the series is unlabelled. */
    private final int[] labels;

    /**
     * Creates an unlabelled series, copying {@code values}.
     *
     * @param name         A name for the series (e.g. {@code "machine-1-5/train"}); used in messages
     *                     and provenance. Must not be null.
     * @param numSteps     The number of time steps (rows), at least 1.
     * @param numVariables The number of variables (columns), at least 1.
     * @param values       The values, row-major, of length {@code numSteps * numVariables}; all finite.
     * @throws IllegalArgumentException If the sizes are inconsistent or a value is not finite.
     */
    public MultivariateSeries(String name, int numSteps, int numVariables, float[] values) {
        this(name, numSteps, numVariables, values, null);
    }

    /**
     * Creates a series, copying {@code values} and {@code labels}.
     *
     * @param name         A name for the series (e.g. {@code "machine-1-5/test"}); used in messages
     *                     and provenance. Must not be null.
     * @param numSteps     The number of time steps (rows), at least 1.
     * @param numVariables The number of variables (columns), at least 1.
     * @param values       The values, row-major, of length {@code numSteps * numVariables}; all finite.
     * @param labels       The labels, one 0 (normal) or 1 (anomalous) per time step, or {@code null}
     *                     for an unlabelled series.
     * @throws IllegalArgumentException If the sizes are inconsistent, a value is not finite or a label
     *                                  is neither 0 nor 1.
     */
    public MultivariateSeries(String name, int numSteps, int numVariables, float[] values, int[] labels) {
        this(name, numSteps, numVariables,
                Objects.requireNonNull(values, "values must not be null").clone(),
                labels == null ? null : labels.clone(),
                true);
    }

    /**
     * Validating constructor that takes ownership of the arrays (no copy).
     */
    private MultivariateSeries(String name, int numSteps, int numVariables, float[] values, int[] labels,
                               boolean owned) {
        this.name = Objects.requireNonNull(name, "name must not be null");
        if (numSteps < 1) {
            throw new IllegalArgumentException("series '" + name + "': numSteps must be at least 1, found " + numSteps);
        }
        if (numVariables < 1) {
            throw new IllegalArgumentException("series '" + name + "': numVariables must be at least 1, found " + numVariables);
        }
        long expected = (long) numSteps * numVariables;
        if (expected > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("series '" + name + "': " + numSteps + " x " + numVariables
                    + " values do not fit in one array");
        }
        if (values.length != expected) {
            throw new IllegalArgumentException("series '" + name + "': expected " + numSteps + " x " + numVariables
                    + " = " + expected + " values, found " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            float x = values[i];
            if (Float.isNaN(x) || Float.isInfinite(x)) {
                int t = i / numVariables;
                int v = i % numVariables;
                throw new IllegalArgumentException("series '" + name + "': value at time step " + t + ", variable " + v
                        + " (0-based; row " + (t + 1) + ", column " + (v + 1) + " 1-based) is " + x
                        + "; values must be finite");
            }
        }
        if (labels != null) {
            if (labels.length != numSteps) {
                throw new IllegalArgumentException("series '" + name + "': expected " + numSteps
                        + " labels (one per time step), found " + labels.length);
            }
            for (int t = 0; t < labels.length; t++) {
                if (labels[t] != 0 && labels[t] != 1) {
                    throw new IllegalArgumentException("series '" + name + "': label at time step " + t
                            + " (0-based) is " + labels[t] + "; labels must be 0 or 1");
                }
            }
        }
        this.numSteps = numSteps;
        this.numVariables = numVariables;
        this.values = values;
        this.labels = labels;
    }

    /**
     * Creates a series that takes ownership of {@code values} and {@code labels} without copying them.
     * Used by the loaders in this package, which build fresh arrays; the caller must not keep or modify
     * the arrays afterwards. All validation of the public constructor applies.
     *
     * @param name         The series name.
     * @param numSteps     The number of time steps.
     * @param numVariables The number of variables.
     * @param values       The values, row-major; ownership passes to the series.
     * @param labels       The labels or {@code null}; ownership passes to the series.
     * @return The series.
     */
    static MultivariateSeries wrap(String name, int numSteps, int numVariables, float[] values, int[] labels) {
        return new MultivariateSeries(name, numSteps, numVariables,
                Objects.requireNonNull(values, "values must not be null"), labels, true);
    }

    /**
     * Returns the name of this series.
     *
     * @return The name.
     */
    public String name() {
        return name;
    }

    /**
     * Returns the number of time steps (rows).
     *
     * @return The number of time steps.
     */
    public int numSteps() {
        return numSteps;
    }

    /**
     * Returns the number of variables (columns).
     *
     * @return The number of variables.
     */
    public int numVariables() {
        return numVariables;
    }

    /**
     * Returns the value of variable {@code v} at time step {@code t}.
     *
     * @param t The time step, in {@code [0, numSteps())}.
     * @param v The variable, in {@code [0, numVariables())}.
     * @return The value.
     * @throws IndexOutOfBoundsException If {@code t} or {@code v} is out of range.
     */
    public float value(int t, int v) {
        Objects.checkIndex(t, numSteps);
        Objects.checkIndex(v, numVariables);
        return values[t * numVariables + v];
    }

    /**
     * Returns a copy of the values, row-major ({@code t * numVariables() + v}).
     *
     * @return A fresh copy of the values.
     */
    public float[] copyValues() {
        return values.clone();
    }

    /**
     * Returns the backing array of values, row-major ({@code t * numVariables() + v}), without copying.
     * <p>
     * <b>Read-only:</b> this exists so that windowing and models can read large series without a copy.
     * Writing to the returned array breaks the immutability of this series and of every slice or dataset
     * derived from it; use {@link #copyValues()} when a mutable copy is needed.
     *
     * @return The backing array; must not be modified.
     */
    public float[] valuesView() {
        return values;
    }

    /**
     * Returns whether this series carries per-step labels.
     *
     * @return True if labels are present.
     */
    public boolean hasLabels() {
        return labels != null;
    }

    /**
     * Returns the label of time step {@code t}: 1 if anomalous, 0 if normal.
     *
     * @param t The time step, in {@code [0, numSteps())}.
     * @return The label, 0 or 1.
     * @throws IllegalStateException     If this series has no labels.
     * @throws IndexOutOfBoundsException If {@code t} is out of range.
     */
    public int label(int t) {
        requireLabels();
        Objects.checkIndex(t, numSteps);
        return labels[t];
    }

    /**
     * Returns a copy of the labels, one 0/1 per time step.
     *
     * @return A fresh copy of the labels.
     * @throws IllegalStateException If this series has no labels.
     */
    public int[] copyLabels() {
        requireLabels();
        return labels.clone();
    }

    /**
     * Returns the number of time steps labelled anomalous (label 1).
     *
     * @return The number of anomalous time steps.
     * @throws IllegalStateException If this series has no labels.
     */
    public int numAnomalousSteps() {
        requireLabels();
        int count = 0;
        for (int l : labels) {
            count += l;
        }
        return count;
    }

    /**
     * Returns the time range {@code [from, to)} of this series as a new series, keeping the labels of
     * that range. Use it for time-ordered splits (e.g. the first 70% of a training series for fitting,
     * the rest for validation); time series must never be shuffled before splitting.
     * <p>
     * The slice is named {@code name() + "[from:to]"}.
     *
     * @param from The first time step of the slice (inclusive), at least 0.
     * @param to   The end of the slice (exclusive), greater than {@code from} and at most {@code numSteps()}.
     * @return The slice.
     * @throws IndexOutOfBoundsException If the range is empty or outside the series.
     */
    public MultivariateSeries slice(int from, int to) {
        if (from < 0 || to > numSteps || from >= to) {
            throw new IndexOutOfBoundsException("series '" + name + "': slice [" + from + ", " + to
                    + ") is empty or outside [0, " + numSteps + ")");
        }
        float[] sliceValues = Arrays.copyOfRange(values, from * numVariables, to * numVariables);
        int[] sliceLabels = labels == null ? null : Arrays.copyOfRange(labels, from, to);
        return new MultivariateSeries(name + "[" + from + ":" + to + "]", to - from, numVariables,
                sliceValues, sliceLabels, true);
    }

    /**
     * Returns some variables of this series as a new series (the sensors a deployment has), keeping every step and
     * the labels. Variable {@code j} of the result is variable {@code variables[j]} of this series; the result is
     * named {@code name() + "{v3,v17,...}"}.
     *
     * @param variables The variables to keep, each in {@code [0, numVariables())}, without repeats, at least one.
     * @return The series of those variables.
     * @throws IllegalArgumentException If a variable is out of range or repeated, or none is given.
     */
    public MultivariateSeries selectVariables(int... variables) {
        if (variables.length == 0) {
            throw new IllegalArgumentException("series '" + name + "': selectVariables needs at least one variable");
        }
        boolean[] seen = new boolean[numVariables];
        StringBuilder suffix = new StringBuilder("{");
        for (int j = 0; j < variables.length; j++) {
            int v = variables[j];
            if (v < 0 || v >= numVariables) {
                throw new IllegalArgumentException("series '" + name + "': variable " + v + " is outside [0, "
                        + numVariables + ")");
            }
            if (seen[v]) {
                throw new IllegalArgumentException("series '" + name + "': variable " + v + " is selected twice");
            }
            seen[v] = true;
            suffix.append(j == 0 ? "v" : ",v").append(v);
        }
        int k = variables.length;
        float[] selected = new float[numSteps * k];
        for (int t = 0; t < numSteps; t++) {
            for (int j = 0; j < k; j++) {
                selected[t * k + j] = values[t * numVariables + variables[j]];
            }
        }
        return new MultivariateSeries(name + suffix.append('}'), numSteps, k, selected,
                labels == null ? null : labels.clone(), true);
    }

    private void requireLabels() {
        if (labels == null) {
            throw new IllegalStateException("series '" + name + "' has no labels");
        }
    }

    /**
     * Two series are equal when they have the same name, shape, values and labels (or both lack labels).
     *
     * @param o The object to compare with.
     * @return True if equal.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MultivariateSeries)) {
            return false;
        }
        MultivariateSeries other = (MultivariateSeries) o;
        return numSteps == other.numSteps
                && numVariables == other.numVariables
                && name.equals(other.name)
                && Arrays.equals(values, other.values)
                && Arrays.equals(labels, other.labels);
    }

    /**
     * Returns a hash code consistent with {@link #equals(Object)}.
     *
     * @return The hash code.
     */
    @Override
    public int hashCode() {
        int h = Objects.hash(name, numSteps, numVariables);
        h = 31 * h + Arrays.hashCode(values);
        h = 31 * h + Arrays.hashCode(labels);
        return h;
    }

    /**
     * Returns a short description: name, shape and label summary (not the values).
     *
     * @return The description.
     */
    @Override
    public String toString() {
        return "MultivariateSeries(name=" + name + ", numSteps=" + numSteps + ", numVariables=" + numVariables
                + (labels == null ? ", unlabelled" : ", anomalousSteps=" + numAnomalousSteps()) + ")";
    }
}
