package io.github.tribuokd.examples;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.tribuokd.timeseries.CsvSeries;
import io.github.tribuokd.timeseries.CsvSeriesLoader;
import io.github.tribuokd.timeseries.MissingValuePolicy;
import io.github.tribuokd.timeseries.MultivariateSeries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the CSV loader ({@link CsvSeriesLoader}) with every column as a variable, and with a time column {@code t},
 * a label column {@code label} and each missing-value policy. Declared: an {@link IOException}. When a file is accepted
 * the values are finite, labels 0/1 and there is one timestamp and one label per row. See {@link FuzzSupport}.
 */
@Tag("fuzz")
class CsvSeriesLoaderFuzzTest {

    private static final CsvSeriesLoader[] LOADERS = {
        new CsvSeriesLoader(),
        new CsvSeriesLoader("t", "label", null, MissingValuePolicy.FORWARD_FILL),
        new CsvSeriesLoader("t", "label", List.of("b", "a"), MissingValuePolicy.ZERO),
    };

    private static Path dir;

    @BeforeAll
    static void createDir() throws IOException {
        dir = FuzzFiles.tempDir("fuzz-csv");
    }

    @AfterAll
    static void deleteDir() throws IOException {
        FuzzFiles.deleteTree(dir);
    }

    static void read(byte[] data) throws IOException {
        Path f = dir.resolve("series.csv");
        Files.write(f, data);
        IOException last = null;
        int loaded = 0;
        for (CsvSeriesLoader loader : LOADERS) {
            try {
                CsvSeries csv = loader.load(f);
                MultivariateSeries s = csv.series();
                SmdLoaderFuzzTest.assertFinite(s);
                assertEquals(s.numVariables(), csv.variableNames().size());
                if (loader.timeColumn() != null) {
                    assertEquals(s.numSteps(), csv.timestamps().orElseThrow().size());
                    assertTrue(s.hasLabels());
                    for (int t = 0; t < s.numSteps(); t++) {
                        assertTrue(s.label(t) == 0 || s.label(t) == 1);
                    }
                }
                loaded++;
            } catch (IOException e) {
                last = e;
            }
        }
        List<String> header = CsvSeriesLoader.header(f);
        assertTrue(!header.isEmpty());
        if (loaded == 0) {
            throw last;
        }
    }

    @FuzzTest(maxDuration = "3m")
    void csv(byte[] data) throws Throwable {
        FuzzSupport.check(data, CsvSeriesLoaderFuzzTest::read, IOException.class);
    }

    @Test
    void mutatedCsv() throws Exception {
        FuzzSupport.mutate("csv", FuzzSupport.seeds(getClass(), "csv"), 2000, CsvSeriesLoaderFuzzTest::read,
                IOException.class);
    }
}
