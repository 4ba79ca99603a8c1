package io.github.tribuokd.examples;

import io.github.tribuokd.timeseries.CsvSeriesLoader;
import io.github.tribuokd.timeseries.SmdLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 23: the SMD-layout loader, the CSV loader and the {@code evaluate} command's number files read numbers by one
 * rule ({@link io.github.tribuokd.timeseries.DecimalNumbers}): the same token is accepted by all or refused by all,
 * and a UTF-8 byte order mark at the start of a file is skipped by all.
 */
public class NumberRuleConsistencyTest {

    private static final String[] TOKENS = {"8", "-0.5", "+.5", "3.", "1e-3", "6.02E23", "1e39", "1e309", "0x1p3",
        "0X10", "NaN", "Infinity", "-inf", "1f", "2d", "1_0", "", "abc", "1e", "--1", "\uFEFF1"};

    @Test
    public void everyReaderAgreesOnEveryToken(@TempDir Path dir) throws IOException {
        for (String t : TOKENS) {
            // 1e309 is a double but not a float: the loaders read floats, evaluate reads doubles.
            boolean floatOk = accepts(() -> SmdLoader.readMatrix(write(dir, "smd.txt", "1," + t + "\n")));
            boolean csvOk = accepts(() -> new CsvSeriesLoader().load(write(dir, "x.csv", "a,b\n1," + t + "\n")));
            boolean evalOk = accepts(() -> NumberFiles.readScores(write(dir, "s.txt", "1\n" + t + "\n")));
            assertEquals(floatOk, csvOk, "SMD vs CSV on '" + t + "'");
            if (t.equals("1e39") || t.equals("1e309")) {
                assertEquals(!t.equals("1e309"), evalOk, "evaluate on '" + t + "'");
            } else if (!t.isEmpty()) { // an empty cell is a missing value in CSV, an empty line is skipped here
                assertEquals(floatOk, evalOk, "loaders vs evaluate on '" + t + "'");
            }
        }
    }

    @Test
    public void byteOrderMarkSkippedByEveryReader(@TempDir Path dir) throws IOException {
        assertEquals(2.0f, SmdLoader.readMatrix(write(dir, "smd.txt", "\uFEFF2,3\n")).value(0, 0));
        assertEquals(2.0f, new CsvSeriesLoader().load(write(dir, "x.csv", "\uFEFFa,b\n2,3\n")).series().value(0, 0));
        assertEquals(2.0, NumberFiles.readScores(write(dir, "s.txt", "\uFEFF2\n3\n"))[0]);
        assertEquals(1, NumberFiles.readLabels(write(dir, "l.txt", "\uFEFF1\n0\n"))[0]);
        assertEquals(1, SmdLoader.readLabels(write(dir, "l2.txt", "\uFEFF1\n0\n"))[0]);
    }

    private interface Read {
        Object run() throws IOException;
    }

    private static boolean accepts(Read r) {
        try {
            r.run();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path write(Path dir, String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }
}
