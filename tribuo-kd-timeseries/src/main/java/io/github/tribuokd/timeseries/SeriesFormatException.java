package io.github.tribuokd.timeseries;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Thrown when a series or label file is malformed: a ragged row, a value that is not a number, a
 * non-finite value, a label other than 0/1, an empty file, or label and test files of different
 * lengths. The message names the file and, where it applies, the 1-based line and column, e.g.
 * {@code ".../train/machine-1-1.txt.gz line 17: expected 38 columns, found 37"}.
 */
public final class SeriesFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    /** The 1-based line of the problem, or 0 when it concerns the whole file. */
    private final int line;
    /** The 1-based column of the problem, or 0 when it concerns a whole line. */
    private final int column;

    /**
     * Creates an exception about a position in a file.
     *
     * @param file   The file.
     * @param line   The 1-based line, or 0 if the problem is not on one line.
     * @param column The 1-based column, or 0 if the problem is not in one column.
     * @param detail What is wrong (without the file and position, which are prepended).
     */
    public SeriesFormatException(Path file, int line, int column, String detail) {
        super(format(file, line, column, detail));
        this.file = Objects.requireNonNull(file, "file must not be null");
        this.line = line;
        this.column = column;
    }

    /**
     * Creates an exception about a whole file, or about two files whose message names both.
     *
     * @param file    The (main) file.
     * @param message The full message.
     */
    public SeriesFormatException(Path file, String message) {
        super(message);
        this.file = Objects.requireNonNull(file, "file must not be null");
        this.line = 0;
        this.column = 0;
    }

    private static String format(Path file, int line, int column, String detail) {
        StringBuilder sb = new StringBuilder(String.valueOf(file));
        if (line > 0) {
            sb.append(" line ").append(line);
            if (column > 0) {
                sb.append(", column ").append(column);
            }
        }
        return sb.append(": ").append(detail).toString();
    }

    /**
     * Returns the file the problem was found in.
     *
     * @return The file.
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the 1-based line of the problem, or 0 if it concerns no single line.
     *
     * @return The line.
     */
    public int line() {
        return line;
    }

    /**
     * Returns the 1-based column of the problem, or 0 if it concerns no single column.
     *
     * @return The column.
     */
    public int column() {
        return column;
    }
}
