package io.github.tribuokd.examples;

import io.github.tribuokd.timeseries.DecimalNumbers;
import io.github.tribuokd.timeseries.SeriesFormatException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads files holding one number per line (scores, labels) with errors that name the file and the line.
 * Blank lines are skipped; {@code #} starts a comment line. Numbers follow the rule every reader of the library
 * shares ({@link DecimalNumbers}: plain decimals, no hexadecimal, NaN or infinity; a UTF-8 byte order mark at the
 * start of the file is skipped), so a file the loaders accept reads the same here. Bytes that are not UTF-8 read
 * as U+FFFD and are reported as a value that is not a number, with its line.
 */
final class NumberFiles {

    private NumberFiles() { }

    /**
     * Reads one finite score per line.
     *
     * @param file The file.
     * @return The scores in file order.
     * @throws NoSuchFileException   If the file does not exist.
     * @throws SeriesFormatException If a line is not a decimal number within the double range, or the file holds
     *                               no number; the message names the file and line.
     * @throws IOException           If reading fails.
     */
    static double[] readScores(Path file) throws IOException {
        return read(file, false);
    }

    /**
     * Reads one 0/1 label per line (a decimal equal to 0 or 1, such as {@code 1.0}, is accepted).
     *
     * @param file The file.
     * @return The labels in file order.
     * @throws NoSuchFileException   If the file does not exist.
     * @throws SeriesFormatException If a line is not 0 or 1, or the file holds no label; the message names the
     *                               file and line.
     * @throws IOException           If reading fails.
     */
    static int[] readLabels(Path file) throws IOException {
        double[] v = read(file, true);
        int[] labels = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            labels[i] = (int) v[i];
        }
        return labels;
    }

    private static double[] read(Path file, boolean labels) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toAbsolutePath().toString(), null, "no such file");
        }
        double[] values = new double[1024];
        int n = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (lineNo == 1) {
                    line = DecimalNumbers.stripByteOrderMark(line);
                }
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                double v;
                try {
                    v = DecimalNumbers.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new SeriesFormatException(file, lineNo, 0, (labels ? "label " : "score ") + e.getMessage());
                }
                if (labels && v != 0.0 && v != 1.0) {
                    throw new SeriesFormatException(file, lineNo, 0, "label '" + s + "' is not 0 or 1");
                }
                if (n == values.length) {
                    values = Arrays.copyOf(values, n * 2);
                }
                values[n++] = v;
            }
        }
        if (n == 0) {
            throw new SeriesFormatException(file, 0, 0, "holds no " + (labels ? "labels" : "numbers"));
        }
        return Arrays.copyOf(values, n);
    }
}
