package io.github.tribuokd.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 23: a test series too short for one window was reported after training as "numSteps (4) must be at least
 * the window length (10)", naming no file. The commands now check both series before training and name the file.
 */
public class ShortSeriesCommandTest {

    private static Path smdDataset(Path dir, int trainRows, int testRows) throws IOException {
        StringBuilder train = new StringBuilder(), test = new StringBuilder(), labels = new StringBuilder();
        for (int t = 0; t < trainRows; t++) {
            train.append(Math.sin(t / 7.0)).append(',').append(Math.cos(t / 5.0)).append('\n');
        }
        for (int t = 0; t < testRows; t++) {
            test.append(Math.sin(t / 7.0)).append(',').append(Math.cos(t / 5.0)).append('\n');
            labels.append(t % 2).append('\n');
        }
        for (String part : new String[]{"train", "test", "test_label"}) {
            Files.createDirectories(dir.resolve(part));
        }
        Files.writeString(dir.resolve("train/m.txt"), train);
        Files.writeString(dir.resolve("test/m.txt"), test);
        Files.writeString(dir.resolve("test_label/m.txt"), labels);
        return dir;
    }

    private static String[] run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new String[]{Integer.toString(rc), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    }

    @Test
    public void demoNamesTheShortTestFileBeforeTraining(@TempDir Path dir) throws IOException {
        Path data = smdDataset(dir.resolve("data"), 300, 4);
        String[] r = run("demo", "--data", data.toString(), "--entity", "m", "--window", "10", "--no-baselines",
                "--out", dir.resolve("out").toString());
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains(data.resolve("test/m.txt") + ": series 'm/test' has 4 time steps, fewer than the "
                + "window length 10"), r[2]);
        assertFalse((r[1] + r[2]).contains("training:"), "refused before training: " + r[1] + r[2]);
    }

    @Test
    public void demoNamesTheShortTrainingFile(@TempDir Path dir) throws IOException {
        Path data = smdDataset(dir.resolve("data"), 6, 40);
        String[] r = run("demo", "--data", data.toString(), "--entity", "m", "--window", "10", "--no-baselines",
                "--out", dir.resolve("out").toString());
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains(data.resolve("train/m.txt") + ": series 'm/train' has 6 time steps"), r[2]);
    }

    @Test
    public void smdLstmNamesTheShortTestFile(@TempDir Path dir) throws IOException {
        Path data = smdDataset(dir.resolve("data"), 300, 4);
        String[] r = run("smd-lstm", "--data", data.toString(), "--entities", "m", "--window", "10",
                "--out", dir.resolve("out").toString());
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains(data.resolve("test/m.txt") + ": series 'm/test' has 4 time steps"), r[2]);
    }
}
