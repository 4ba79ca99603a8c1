package io.github.tribuokd.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads files holding one number per line (scores, labels) with errors that name the file and the line.
 * Blank lines are skipped; {@code #} starts a comment line.
 */
final class NumberFiles {

    private NumberFiles() { }

    static double[] readScores(Path file) throws IOException {
        double[] values = new double[1024];
        int n = 0;
        try (BufferedReader r = open(file)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String s = line.trim();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                double v;
                try {
                    v = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IOException(file + " line " + lineNo + ": '" + s + "' is not a number");
                }
                if (!Double.isFinite(v)) {
                    throw new IOException(file + " line " + lineNo + ": score " + s + " is not finite");
                }
                if (n == values.length) {
                    values = Arrays.copyOf(values, n * 2);
                }
                values[n++] = v;
            }
        }
        if (n == 0) {
            throw new IOException(file + " holds no numbers");
        }
        return Arrays.copyOf(values, n);
    }

    static int[] readLabels(Path file) throws IOException {
        double[] v = readScores(file);
        int[] labels = new int[v.length];
        try (BufferedReader r = open(file)) {
            // second pass only to report the line of a bad label
            String line;
            int lineNo = 0, i = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String s = line.trim();
                if (s.isEmpty() || s.startsWith("#")) {
                    continue;
                }
                if (v[i] != 0.0 && v[i] != 1.0) {
                    throw new IOException(file + " line " + lineNo + ": label '" + s + "' is not 0 or 1");
                }
                labels[i] = (int) v[i];
                i++;
            }
        }
        return labels;
    }

    private static BufferedReader open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toAbsolutePath().toString(), null, "no such file");
        }
        return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }
}
