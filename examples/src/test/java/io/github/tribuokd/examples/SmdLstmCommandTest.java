package io.github.tribuokd.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small configuration of the seed-000 protocol on the embedded SMD machine. */
public class SmdLstmCommandTest {

    @Test
    public void smallConfigurationRuns(@TempDir Path dir) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run(new String[]{"smd-lstm", "--data", "src/main/resources/data/SMD", "--entities",
                    "machine-1-2", "--window", "20", "--stride", "10", "--teacher-hidden", "12", "--student-hidden",
                    "6", "--epochs", "1", "--max-train-rows", "2000", "--max-test-rows", "6000", "--out",
                    dir.toString()});
        } finally {
            System.setOut(old);
        }
        assertEquals(0, rc);
        String report = Files.readString(dir.resolve("report.md"));
        assertTrue(report.contains("teacher LSTM-AE H=12") && report.contains("student LSTM-AE H=6")
                && report.contains("student MLP") && report.contains("Pooled") && report.contains("rule V F1"), report);
        // the labelled rule's figures are measured on the evaluation windows only
        assertTrue(Files.readString(dir.resolve("report.json")).contains("\"labelled_f1\""));
        assertTrue(Files.size(dir.resolve("learning-curves.png")) > 0);
        assertTrue(Files.readString(dir.resolve("report.json")).contains("\"f1\""));
    }
}
