package io.github.tribuokd.examples;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SmdEntity;
import io.github.tribuokd.timeseries.SmdLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the SMD-layout loader ({@link SmdLoader}): series and label files as text and as gzip. Declared: an
 * {@link IOException} (a {@code SeriesFormatException} naming file, line and column). When a series file is accepted
 * its values are finite and a whole entity built from it loads. See {@link FuzzSupport}.
 */
@Tag("fuzz")
class SmdLoaderFuzzTest {

    private static Path dir;

    @BeforeAll
    static void createDir() throws IOException {
        dir = FuzzFiles.tempDir("fuzz-smd");
        for (String sub : new String[]{SmdLoader.TRAIN_DIR, SmdLoader.TEST_DIR, SmdLoader.TEST_LABEL_DIR}) {
            Files.createDirectories(dir.resolve(sub));
        }
    }

    @AfterAll
    static void deleteDir() throws IOException {
        FuzzFiles.deleteTree(dir);
    }

    /** Reads {@code data} as a label file, then as a series file and, if accepted, as an entity's train and test. */
    static void readText(byte[] data) throws IOException {
        Path f = dir.resolve("series.txt");
        Files.write(f, data);
        try {
            int[] labels = SmdLoader.readLabels(f);
            for (int l : labels) {
                assertTrue(l == 0 || l == 1, "label " + l);
            }
        } catch (IOException e) {
            // declared; go on with the series reader
        }
        MultivariateSeries s = SmdLoader.readMatrix(f);
        assertFinite(s);
        Files.write(dir.resolve("train/e.txt"), data);
        Files.write(dir.resolve("test/e.txt"), data);
        StringBuilder labels = new StringBuilder();
        for (int t = 0; t < s.numSteps(); t++) {
            labels.append(t % 2).append('\n');
        }
        Files.writeString(dir.resolve("test_label/e.txt"), labels);
        SmdEntity e = SmdLoader.load(dir, "e");
        assertEquals(s.numSteps(), e.test().numSteps());
    }

    /** Reads {@code data} as a gzip series file. */
    static void readGzip(byte[] data) throws IOException {
        Path f = dir.resolve("series.txt.gz");
        Files.write(f, data);
        assertFinite(SmdLoader.readMatrix(f));
    }

    static void assertFinite(MultivariateSeries s) {
        assertTrue(s.numSteps() > 0 && s.numVariables() > 0, s::toString);
        for (int t = 0; t < s.numSteps(); t++) {
            for (int v = 0; v < s.numVariables(); v++) {
                if (!Float.isFinite(s.value(t, v))) {
                    throw new AssertionError("value at " + t + ", " + v + " is " + s.value(t, v));
                }
            }
        }
    }

    @FuzzTest(maxDuration = "3m")
    void text(byte[] data) throws Throwable {
        FuzzSupport.check(data, SmdLoaderFuzzTest::readText, IOException.class);
    }

    @FuzzTest(maxDuration = "3m")
    void gzip(byte[] data) throws Throwable {
        FuzzSupport.check(data, SmdLoaderFuzzTest::readGzip, IOException.class);
    }

    @Test
    void mutatedText() throws Exception {
        FuzzSupport.mutate("smd-text", FuzzSupport.seeds(getClass(), "text"), 1000, SmdLoaderFuzzTest::readText,
                IOException.class);
    }

    @Test
    void mutatedGzip() throws Exception {
        FuzzSupport.mutate("smd-gzip", FuzzSupport.seeds(getClass(), "gzip"), 2000, SmdLoaderFuzzTest::readGzip,
                IOException.class);
    }
}
