package io.github.tribuokd.evaluation;

import io.github.tribuokd.anomaly.StudentExposure;
import io.github.tribuokd.anomaly.images.IdxImages;
import io.github.tribuokd.evaluation.OneClassImageExperiment.Approach;
import io.github.tribuokd.evaluation.OneClassImageExperiment.Cell;
import io.github.tribuokd.evaluation.OneClassImageExperiment.Settings;
import io.github.tribuokd.evaluation.OneClassImageExperiment.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-class image protocol of seed 001 (Pol et al., "Knowledge Distillation for Anomaly Detection", arXiv 2023;
 * docs/PAPERS.md) on generated 28x28 IDX files: class 0 is a dim noise background, every other class a bright
 * square on it, so the normal class is plainly separable and the teacher's ROC-AUC must be high.
 */
public class OneClassImageExperimentTest {

    /** Writes the four IDX files of a dataset of {@code perClass} test and twice as many training images per class. */
    private static void writeDataset(Path dir, int perClass, long seed) throws IOException {
        for (boolean train : new boolean[]{true, false}) {
            int n = perClass * 10 * (train ? 2 : 1);
            SplittableRandom rng = new SplittableRandom(seed + (train ? 0 : 1));
            ByteBuffer images = ByteBuffer.allocate(16 + n * 784);
            images.putInt(IdxImages.IMAGES_MAGIC).putInt(n).putInt(28).putInt(28);
            ByteBuffer labels = ByteBuffer.allocate(8 + n);
            labels.putInt(IdxImages.LABELS_MAGIC).putInt(n);
            for (int i = 0; i < n; i++) {
                int k = i % 10;
                byte[] px = new byte[784];
                for (int j = 0; j < 784; j++) {
                    px[j] = (byte) rng.nextInt(20);
                }
                if (k > 0) {
                    int r0 = 2 + 2 * k + rng.nextInt(3);
                    int c0 = 4 + rng.nextInt(12);
                    for (int r = r0; r < r0 + 8 && r < 28; r++) {
                        for (int c = c0; c < c0 + 8; c++) {
                            px[r * 28 + c] = (byte) 240;
                        }
                    }
                }
                images.put(px);
                labels.put((byte) k);
            }
            write(dir.resolve(train ? IdxImages.TRAIN_IMAGES : IdxImages.TEST_IMAGES), images.array());
            write(dir.resolve(train ? IdxImages.TRAIN_LABELS : IdxImages.TEST_LABELS), labels.array());
        }
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content);
        }
    }

    private static List<Cell> run(Path data, List<String> roles, List<String> done, int maxTrain)
            throws IOException {
        Settings settings = new Settings(new int[]{7, 5}, List.of(Approach.OFFLINE, Approach.CO, Approach.CO_OE),
                3, 40, 10, maxTrain, 1L);
        return new OneClassImageExperiment(settings, (role, model) -> roles.add(role)).run(data, List.of("MNIST"),
                new int[]{0}, (dataset, c, soFar) -> done.add(dataset + " " + c + " " + soFar.size()));
    }

    @Test
    public void separableClassGivesHighRocAucAndTheSameCellsTwice(@TempDir Path dir) throws IOException {
        writeDataset(dir.resolve("MNIST"), 12, 1L);
        writeDataset(dir.resolve("FashionMNIST"), 12, 7L);   // the outlier-exposure images
        List<String> roles = new ArrayList<>();
        List<String> done = new ArrayList<>();
        List<Cell> cells = run(dir, roles, done, 20);   // 20 of the class's 24 training images

        assertEquals(6, cells.size());   // 2 students x 3 approaches
        assertEquals(List.of("MNIST 0 6"), done);
        assertEquals(List.of("MNIST class 0 teacher", "MNIST class 0 student S7 (offline KD)",
                "MNIST class 0 student S7 (co-learning)", "MNIST class 0 student S7 (co-learning + outlier exposure)",
                "MNIST class 0 student S5 (offline KD)", "MNIST class 0 student S5 (co-learning)",
                "MNIST class 0 student S5 (co-learning + outlier exposure)"), roles);
        Cell first = cells.get(0);
        assertEquals("MNIST", first.dataset());
        assertEquals(0, first.normalClass());
        assertEquals(7, first.student());
        assertEquals(Approach.OFFLINE, first.approach());
        assertEquals(77, first.parameters());          // ConvNetSpec.STUDENTS' S7, as in the image-kd report
        assertEquals(225, cells.get(3).parameters());  // S5
        for (Cell c : cells) {
            // the normal images are plain noise, the anomalies a bright square: the teacher separates them
            assertTrue(c.teacherAuc() > 0.95, c.toString());
            assertTrue(c.studentAuc() >= 0 && c.studentAuc() <= 1, c.toString());
            assertTrue(c.emdInliers() >= 0 && c.emdOutliers() >= 0, c.toString());
            assertEquals(c.studentAuc() / c.teacherAuc(), c.ratio(), 0.0);
            assertEquals(first.teacherAuc(), c.teacherAuc(), 0.0);   // one teacher per class
            assertEquals(first.randomAuc(), c.randomAuc(), 0.0);
        }
        // offline students imitate the teacher on normal images only (the seed's EMD gap between inliers and outliers)
        for (Cell c : List.of(cells.get(0), cells.get(3))) {
            assertTrue(c.emdOutliers() > 10 * c.emdInliers(), c.toString());
        }
        // outlier exposure: S5 co-learned beside images of the other dataset ranks the anomalies as its teacher does
        assertEquals(Approach.CO_OE, cells.get(5).approach());
        assertTrue(cells.get(5).studentAuc() >= 0.9, cells.get(5).toString());

        List<Cell> again = run(dir, new ArrayList<>(), new ArrayList<>(), 20);
        assertEquals(cells, again, "same seed, same cells to the bit");
        List<Cell> uncapped = run(dir, new ArrayList<>(), new ArrayList<>(), 0);
        assertTrue(uncapped.get(0).emdInliers() != cells.get(0).emdInliers(), "the cap changes the training set");
    }

    @Test
    public void emdComparesLogScoresOfOneLabel() {
        double[] teacher = {Math.E - 1e-6, 1, 5, 7};
        double[] student = {Math.E * Math.E - 1e-6, 1, 9, 9};
        int[] labels = {0, 1, 1, 0};
        // label 0: ln(e) vs ln(e²), ln(7 + ε) vs ln(9 + ε): EMD of two two-point samples = mean of sorted differences
        double expected = (1.0 + Math.log((9 + 1e-6) / (7 + 1e-6))) / 2;
        assertEquals(expected, OneClassImageExperiment.emd(teacher, student, labels, 0, 1e-6), 1e-12);
        assertEquals(Math.log((9 + 1e-6) / (5 + 1e-6)) / 2, OneClassImageExperiment.emd(teacher, student, labels, 1,
                1e-6), 1e-12);
    }

    @Test
    public void summaryIsMeanAndSampleSdOverMatchingCells() {
        List<Cell> cells = List.of(
                new Cell("MNIST", 0, Approach.CO, 7, 77, 1, 0.9, 0.6, 0, 0, 0.5),
                new Cell("MNIST", 1, Approach.CO, 7, 77, 1, 0.8, 0.8, 0, 0, 0.5),
                new Cell("MNIST", 2, Approach.OFFLINE, 7, 77, 1, 0.8, 0.1, 0, 0, 0.5),
                new Cell("FashionMNIST", 0, Approach.CO, 7, 77, 1, 0.8, 0.1, 0, 0, 0.5));
        Summary s = OneClassImageExperiment.summary(cells, "MNIST", Approach.CO, 7, Cell::studentAuc);
        assertEquals(0.7, s.mean(), 1e-12);
        assertEquals(Math.sqrt(0.02), s.sd(), 1e-12);
        assertEquals(2, s.count());
        Summary none = OneClassImageExperiment.summary(cells, "MNIST", Approach.CO_NOISE, 7, Cell::studentAuc);
        assertTrue(Double.isNaN(none.mean()) && none.count() == 0);
    }

    @Test
    public void approachesParseAndMapToExposures() {
        assertEquals(Approach.CO_OE, Approach.parse(" Co-OE "));
        assertEquals(StudentExposure.NOISE, Approach.parse("co-noise").exposure());
        assertEquals(StudentExposure.NONE, Approach.CO.exposure());
        assertNull(Approach.OFFLINE.exposure());
        assertThrows(IllegalArgumentException.class, () -> Approach.parse("nope"));
        assertThrows(IllegalArgumentException.class, () -> new Settings(new int[]{8}, List.of(Approach.CO), 1, 1, 1,
                0, 1L));
        int[] students = {1, 2};
        Settings settings = new Settings(students, List.of(Approach.CO), 1, 1, 1, 0, 1L);
        students[0] = 5;
        assertEquals(1, settings.students()[0]);   // copied
    }
}
