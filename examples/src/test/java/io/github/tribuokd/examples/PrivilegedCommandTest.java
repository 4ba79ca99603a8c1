package io.github.tribuokd.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrivilegedCommandTest {

    @Test
    void helpAndSmallConfiguration(@TempDir Path dir) throws Exception {
        CommandsTest.Run help = CommandsTest.run("privileged", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--seeds") && help.out().contains("--epochs"), help.out());
        Path out = dir.resolve("mg");
        CommandsTest.Run small = CommandsTest.run("privileged", "--seeds", "2", "--epochs", "5", "--test", "200",
                "--out", out.toString());
        assertEquals(0, small.code(), small.err());
        assertTrue(small.out().contains("mean ± sd") && small.out().contains("0.971"), small.out());
        assertTrue(small.out().contains("Wall time"), small.out());
        String json = Files.readString(out.resolve("report.json"));
        assertTrue(json.contains("\"proposed_test_accuracy\"") && json.contains("\"paper_proposed\": 0.932"), json);
        assertTrue(Files.readString(out.resolve("report.md")).contains("| seed 003 slide |"));
        assertEquals(2, CommandsTest.run("privileged", "--bogus").code());
        assertEquals(2, CommandsTest.run("privileged", "--seeds", "0", "--out", dir.resolve("x").toString()).code());
    }

    @Test
    void privilegedSensorsSmallConfiguration(@TempDir Path dir) throws Exception {
        CommandsTest.Run help = CommandsTest.run("privileged-sensors", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--fractions") && help.out().contains("--plain-student"), help.out());
        Path out = dir.resolve("ps");
        // The embedded SMD machine, cut short: the anomalies of machine-1-2's test series start early enough.
        CommandsTest.Run small = CommandsTest.run("privileged-sensors", "--fractions", "0.25", "--draws", "1",
                "--teacher-epochs", "1", "--student-epochs", "2", "--max-train-rows", "2000",
                "--max-test-rows", "16000", "--out", out.toString());
        assertEquals(0, small.code(), small.err());
        assertTrue(small.out().contains("| 25% | privileged score student |"), small.out());
        assertTrue(small.out().contains("| 25% | subset-only teacher |"), small.out());
        assertTrue(small.out().contains("| 25% | privileged reconstruction student |"), small.out());
        String json = Files.readString(out.resolve("report.json"));
        assertTrue(json.contains("\"privileged_student\"") && json.contains("\"variables\""), json);
        assertTrue(Files.readString(out.resolve("report.md")).contains("Wall time"));
        assertEquals(2, CommandsTest.run("privileged-sensors", "--fractions", "1.5", "--out",
                dir.resolve("x").toString()).code());
        assertEquals(2, CommandsTest.run("privileged-sensors", "--entities", "a", "--out",
                dir.resolve("y").toString()).code());
    }
}
