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

/** A small configuration of the seed-000 (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md) protocol on the embedded SMD machine. */
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
                    "6", "--epochs", "1", "--max-train-rows", "2000", "--max-test-rows", "16000",
                    "--labelled-fraction", "0.4", "--out", dir.toString()});
        } finally {
            System.setOut(old);
        }
        assertEquals(0, rc);
        String report = Files.readString(dir.resolve("report.md"));
        assertTrue(report.contains("teacher LSTM-AE H=12") && report.contains("student LSTM-AE H=6")
                && report.contains("student MLP") && report.contains("Pooled") && report.contains("rule V F1"), report);
        assertTrue(report.contains("| VUS-PR | VUS-ROC | ROC-AUC |") && report.contains("random VUS-PR"), report);
        // the labelled rule's figures are measured on the evaluation windows only
        assertTrue(Files.readString(dir.resolve("report.json")).contains("\"labelled_f1\""));
        assertTrue(Files.size(dir.resolve("learning-curves.png")) > 0);
        // rule G: the labelled part (steps 0-6400) holds three anomalies, so a setting is chosen for each group,
        // and the chosen one (listed first) has the highest criterion of the listed settings
        assertTrue(report.contains("rule G F1") && report.contains("Rule G, the selection"), report);
        for (String group : new String[]{"LSTM autoencoders (Mahalanobis a_t)", "MLP (scalar score)"}) {
            double first = Double.NaN;
            for (String line : report.split("\n")) {
                if (line.startsWith("| " + group + " |")) {
                    String[] cells = line.split("\\|");
                    double criterion = Double.parseDouble(cells[cells.length - 1].trim());
                    assertTrue(criterion >= 0 && criterion <= 1, line);
                    if (Double.isNaN(first)) {
                        first = criterion;
                    }
                    assertTrue(criterion <= first, "the chosen setting comes first: " + line);
                }
            }
            assertTrue(first > 0, group + " has a selection row with a positive labelled F1");
        }
        assertTrue(Files.readString(dir.resolve("report.json")).contains("\"gapped_drift_f1\""));
        assertTrue(Files.readString(dir.resolve("report.json")).contains("\"f1\""));
    }
}
