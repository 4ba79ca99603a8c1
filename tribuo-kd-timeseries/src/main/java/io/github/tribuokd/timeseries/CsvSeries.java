package io.github.tribuokd.timeseries;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A series read from a CSV file by {@link CsvSeriesLoader}: the values (and labels, when the file had a label
 * column), the names of the variable columns in the order of the series' variables, the raw timestamp text of
 * every row when the file had a timestamp column, and the file itself. Immutable.
 */
public final class CsvSeries {

    private final Path file;
    private final MultivariateSeries series;
    private final List<String> variableNames;
    /** One raw timestamp per time step, or {@code null} without a timestamp column. */
    private final List<String> timestamps;

    /**
     * Creates a CSV series.
     *
     * @param file          The file the series was read from.
     * @param series        The series.
     * @param variableNames The name of every variable, {@code series.numVariables()} of them, in variable order.
     * @param timestamps    The raw text of the timestamp column, one entry per time step, or {@code null} when the
     *                      file had no timestamp column.
     * @throws IllegalArgumentException If the number of names or timestamps does not match the series.
     */
    public CsvSeries(Path file, MultivariateSeries series, List<String> variableNames, List<String> timestamps) {
        this.file = Objects.requireNonNull(file, "file must not be null");
        this.series = Objects.requireNonNull(series, "series must not be null");
        this.variableNames = List.copyOf(Objects.requireNonNull(variableNames, "variableNames must not be null"));
        if (this.variableNames.size() != series.numVariables()) {
            throw new IllegalArgumentException("series '" + series.name() + "' has " + series.numVariables()
                    + " variables but " + this.variableNames.size() + " variable names were given");
        }
        if (timestamps != null && timestamps.size() != series.numSteps()) {
            throw new IllegalArgumentException("series '" + series.name() + "' has " + series.numSteps()
                    + " time steps but " + timestamps.size() + " timestamps were given");
        }
        this.timestamps = timestamps == null ? null : List.copyOf(timestamps);
    }

    /**
     * Returns the file the series was read from.
     *
     * @return The file.
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the series: one time step per data row, one variable per chosen column, labelled when the file had
     * a label column.
     *
     * @return The series.
     */
    public MultivariateSeries series() {
        return series;
    }

    /**
     * Returns the header names of the variable columns, in variable order ({@code variableNames().get(v)} is
     * variable {@code v} of {@link #series()}).
     *
     * @return An unmodifiable list of names.
     */
    public List<String> variableNames() {
        return variableNames;
    }

    /**
     * Returns the raw text of the timestamp column, one entry per time step (not parsed), when the file was read
     * with a timestamp column.
     *
     * @return The timestamps as an unmodifiable list, or empty without a timestamp column.
     */
    public Optional<List<String>> timestamps() {
        return Optional.ofNullable(timestamps);
    }

    /**
     * Two CSV series are equal when their files, series, variable names and timestamps are equal.
     *
     * @param o The object to compare with.
     * @return True if equal.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CsvSeries)) {
            return false;
        }
        CsvSeries other = (CsvSeries) o;
        return file.equals(other.file) && series.equals(other.series) && variableNames.equals(other.variableNames)
                && Objects.equals(timestamps, other.timestamps);
    }

    /**
     * Returns a hash code consistent with {@link #equals(Object)}.
     *
     * @return The hash code.
     */
    @Override
    public int hashCode() {
        return Objects.hash(file, series, variableNames, timestamps);
    }

    /**
     * Returns a short description: the file, the series summary and the variable names.
     *
     * @return The description.
     */
    @Override
    public String toString() {
        return "CsvSeries(file=" + file + ", series=" + series + ", variables=" + variableNames
                + (timestamps == null ? "" : ", timestamped") + ")";
    }
}
