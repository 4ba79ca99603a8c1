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

/** A tiny configuration of soft-kd (seed 003, Hinton et al.'s MNIST table) on generated 28x28 IDX files. */
public class SoftKdCommandTest {

    private static int run(String[] args, ByteArrayOutputStream buf) {
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            return Main.run(args);
        } finally {
            System.setOut(old);
        }
    }

    @Test
    public void tinyTableHasEveryRowAndThePapersNumbers(@TempDir Path dir) throws Exception {
        ImageKdCommandTest.writeDataset(dir.resolve("data/MNIST"), 12, 3L);   // 240 training, 120 test images
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = run(new String[]{"soft-kd", "--data", dir.resolve("data").toString(), "--teacher-hidden", "32,32",
                "--student-hidden", "8", "--epochs", "3", "--max-train", "240", "--temperatures", "2,20",
                "--alphas", "0.5,0.9", "--out", dir.resolve("out").toString()}, buf);
        assertEquals(0, rc, buf.toString(StandardCharsets.UTF_8));
        String md = Files.readString(dir.resolve("out/report.md"));
        for (String row : new String[]{"| teacher 784-32-32-10 |", "| student 784-8-10 alone |",
                "| student 784-8-10 distilled |", "| student distilled, no 3 in transfer set |",
                "| same, class-3 bias raised |"}) {
            assertTrue(md.contains(row), row + "\n" + md);
        }
        assertTrue(md.contains("| 67 |") && md.contains("| 146 |") && md.contains("| 74 |")
                && md.contains("| 109 |") && md.contains("| 14 |"), md);
        assertTrue(md.contains("/ 12 |"), md);                         // 12 test 3s
        assertTrue(md.contains("first 200 training images, the next 40"), md);
        String json = Files.readString(dir.resolve("out/report.json"));
        assertTrue(json.contains("\"bias_delta\"") && json.contains("\"grid\""), json);
        assertEquals(4, json.split("\"validation_errors\"", -1).length - 1 - 5, json);   // 4 grid + 5 rows
    }

    @Test
    public void helpAndUsageErrors() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        assertEquals(0, run(new String[]{"soft-kd", "--help"}, buf));
        String help = buf.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--preset") && help.contains("--epochs") && help.contains("Hinton"), help);
        assertEquals(2, run(new String[]{"soft-kd", "--data", "x", "--preset", "nope"}, new ByteArrayOutputStream()));
        assertEquals(2, run(new String[]{"soft-kd"}, new ByteArrayOutputStream()));
    }
}
