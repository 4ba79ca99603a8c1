package io.github.tribuokd.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny configuration of the seed-001 (Pol et al., "Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md) grid on generated 28x28 IDX files (no real data needed). */
public class ImageKdCommandTest {

    /** Class k: a bright 6x6 square whose position depends on k, on a noisy background. */
    static void writeDataset(Path dir, int perClass, long seed) throws IOException {
        writeDataset(dir, perClass, seed, false);
    }

    /** As above; with {@code blankTopRow} the first pixel row is 0 in every image (constant pixels). */
    private static void writeDataset(Path dir, int perClass, long seed, boolean blankTopRow) throws IOException {
        for (boolean train : new boolean[]{true, false}) {
            int n = perClass * 10 * (train ? 2 : 1);
            SplittableRandom rng = new SplittableRandom(seed + (train ? 0 : 1));
            ByteBuffer images = ByteBuffer.allocate(16 + n * 784);
            images.putInt(0x803).putInt(n).putInt(28).putInt(28);
            ByteBuffer labels = ByteBuffer.allocate(8 + n);
            labels.putInt(0x801).putInt(n);
            for (int i = 0; i < n; i++) {
                int k = i % 10;
                byte[] px = new byte[784];
                for (int j = 0; j < 784; j++) {
                    px[j] = (byte) rng.nextInt(20);
                }
                if (blankTopRow) {
                    java.util.Arrays.fill(px, 0, 28, (byte) 0);
                }
                int r0 = 2 + 2 * k + rng.nextInt(3);
                int c0 = 20 - 2 * k + rng.nextInt(3);
                for (int r = r0; r < r0 + 6 && r < 28; r++) {
                    for (int c = Math.max(0, c0); c < c0 + 6 && c < 28; c++) {
                        px[r * 28 + c] = (byte) 230;
                    }
                }
                images.put(px);
                labels.put((byte) k);
            }
            write(dir.resolve(train ? "train-images-idx3-ubyte.gz" : "t10k-images-idx3-ubyte.gz"), images.array());
            write(dir.resolve(train ? "train-labels-idx1-ubyte.gz" : "t10k-labels-idx1-ubyte.gz"), labels.array());
        }
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content);
        }
    }

    @Test
    public void tinyGridRunsEveryApproach(@TempDir Path dir) throws Exception {
        writeDataset(dir.resolve("data/MNIST"), 12, 1L);
        writeDataset(dir.resolve("data/FashionMNIST"), 12, 7L);
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run(new String[]{"image-kd", "--data", dir.resolve("data").toString(), "--datasets", "MNIST",
                    "--classes", "3", "--students", "5,7", "--epochs", "2", "--outliers", "50", "--test-size", "8",
                    "--out", dir.resolve("out").toString()});
        } finally {
            System.setOut(old);
        }
        assertEquals(0, rc);
        String report = Files.readString(dir.resolve("out/report.md"));
        for (String approach : new String[]{"offline KD", "co-learning", "co-learning + outlier exposure",
                "co-learning + noise exposure"}) {
            assertTrue(report.contains("| " + approach + " | S5 | 225 |"), approach + "\n" + report);
            assertTrue(report.contains("| " + approach + " | S7 | 77 |"), approach + "\n" + report);
        }
        assertEquals(1 + 8, Files.readAllLines(dir.resolve("out/cells.csv")).size());
        assertTrue(Files.size(dir.resolve("out/figure2.png")) > 0);
        assertTrue(Files.readString(dir.resolve("out/report.json")).contains("\"roc_auc_ratio\""));
        assertEquals(2, Main.run(new String[]{"image-kd", "--data", "x", "--approaches", "nope"}));
    }

    /**
     * The teacher's and every student's training warnings (here constant pixels: the top row is 0 in every image, and
     * the middle of the class's square always bright) are printed when they arise and listed in report.json
     * ("warnings") and report.md ("Warnings"), as in demo and train.
     */
    @Test
    public void trainingWarningsReachTheTerminalAndTheReport(@TempDir Path dir) throws Exception {
        writeDataset(dir.resolve("data/MNIST"), 12, 1L, true);
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run(new String[]{"image-kd", "--data", dir.resolve("data").toString(), "--datasets", "MNIST",
                    "--classes", "3", "--students", "7", "--approaches", "offline,co", "--epochs", "1", "--test-size",
                    "8", "--out", dir.resolve("out").toString()});
        } finally {
            System.setErr(old);
        }
        assertEquals(0, rc);
        String terminal = err.toString(StandardCharsets.UTF_8);
        String teacher = "MNIST class 3 teacher: ";
        String offline = "MNIST class 3 student S7 (offline KD): ScoreDistillationTrainer: 44 of 784 features are"
                + " constant over the 24 fitting examples (p000, p001,";
        String co = "MNIST class 3 student S7 (co-learning): ";
        assertTrue(terminal.contains("[image-kd] warning: " + teacher)
                && terminal.contains("[image-kd] warning: " + offline)
                && terminal.contains("[image-kd] warning: " + co), terminal);
        String json = Files.readString(dir.resolve("out/report.json"));
        int at = json.indexOf("\"warnings\"");
        assertTrue(at >= 0 && json.indexOf(teacher, at) > 0 && json.indexOf(offline, at) > 0
                && json.indexOf(co, at) > 0, json);
        String md = Files.readString(dir.resolve("out/report.md"));
        assertTrue(md.contains("## Warnings") && md.contains("- " + offline), md);
    }
}
