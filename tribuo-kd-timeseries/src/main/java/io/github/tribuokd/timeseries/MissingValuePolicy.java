package io.github.tribuokd.timeseries;

/**
 * What {@link CsvSeriesLoader} does with a missing value in a variable column. A cell is missing when, after
 * removing the surrounding whitespace of an unquoted cell, it is empty or one of {@code NaN}, {@code NA} and
 * {@code null} (compared ignoring case). Missing labels are never filled: a label cell must hold a label.
 */
public enum MissingValuePolicy {
    /**
     * A missing value is an error naming the file, line and column (the default): nothing is invented.
     */
    ERROR,
    /**
     * A missing value takes the last value present in the same column (last observation carried forward). A
     * missing value in the first data row has nothing to carry and is still an error.
     */
    FORWARD_FILL,
    /**
     * A missing value becomes 0.
     */
    ZERO
}
