package io.github.tribuokd.timeseries;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmdLoaderTest {

    private static final int VARS = 3;

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ helpers

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream out = file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
             Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            w.write(content);
        }
    }

    private static float[][] randomRows(int rows, int cols, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] m = new float[rows][cols];
        for (int t = 0; t < rows; t++) {
            for (int c = 0; c < cols; c++) {
                m[t][c] = Float.parseFloat(String.format(Locale.ROOT, "%.6f", rng.nextDouble()));
            }
        }
        return m;
    }

    private static String csv(float[][] m) {
        StringBuilder sb = new StringBuilder();
        for (float[] row : m) {
            for (int c = 0; c < row.length; c++) {
                if (c > 0) {
                    sb.append(',');
                }
                sb.append(String.format(Locale.ROOT, "%.6f", row[c]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String labelText(int[] labels) {
        StringBuilder sb = new StringBuilder();
        for (int l : labels) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    private static final float[][] TRAIN = randomRows(20, VARS, 1);
    private static final float[][] TEST = randomRows(15, VARS, 2);
    private static final int[] LABELS = {0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0};

    /** Writes a small entity "e" with the given extension for the series files (".txt" or ".txt.gz"). */
    private Path writeEntity(String ext, String labelExt) throws IOException {
        write(dir.resolve("train/e" + ext), csv(TRAIN));
        write(dir.resolve("test/e" + ext), csv(TEST));
        write(dir.resolve("test_label/e" + labelExt), labelText(LABELS));
        return dir;
    }

    private static void assertMatrix(float[][] expected, MultivariateSeries s) {
        assertEquals(expected.length, s.numSteps());
        assertEquals(expected[0].length, s.numVariables());
        for (int t = 0; t < expected.length; t++) {
            for (int c = 0; c < expected[0].length; c++) {
                assertEquals(expected[t][c], s.value(t, c), "t=" + t + ", v=" + c);
            }
        }
    }

    private SeriesFormatException badMatrix(String fileName, String content) throws IOException {
        Path file = dir.resolve(fileName);
        write(file, content);
        return assertThrows(SeriesFormatException.class, () -> SmdLoader.readMatrix(file));
    }

    private SeriesFormatException badLabels(String fileName, String content) throws IOException {
        Path file = dir.resolve(fileName);
        write(file, content);
        return assertThrows(SeriesFormatException.class, () -> SmdLoader.readLabels(file));
    }

    private static void assertMessage(SeriesFormatException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    // ------------------------------------------------------------------ round trips

    @Test
    void roundTripPlainText() throws IOException {
        SmdEntity e = SmdLoader.load(writeEntity(".txt", ".txt"), "e");
        assertEquals("e", e.name());
        assertMatrix(TRAIN, e.train());
        assertMatrix(TEST, e.test());
        assertFalse(e.train().hasLabels());
        assertArrayEquals(LABELS, e.test().copyLabels());
        assertEquals("e/train", e.train().name());
        assertEquals("e/test", e.test().name());
    }

    @Test
    void roundTripGzip() throws IOException {
        SmdEntity gz = SmdLoader.load(writeEntity(".txt.gz", ".txt.gz"), "e");
        assertMatrix(TRAIN, gz.train());
        assertMatrix(TEST, gz.test());
        assertArrayEquals(LABELS, gz.test().copyLabels());
        assertEquals(5, gz.test().numAnomalousSteps());
    }

    @Test
    void plainTextPreferredWhenBothExist() throws IOException {
        writeEntity(".txt.gz", ".txt");
        write(dir.resolve("train/e.txt"), "7,7,7\n8,8,8\n");
        SmdEntity e = SmdLoader.load(dir, "e");
        assertEquals(2, e.train().numSteps());
        assertEquals(7f, e.train().value(0, 0));
        assertMatrix(TEST, e.test());
    }

    @Test
    void listEntitiesSortedAndDistinct() throws IOException {
        write(dir.resolve("train/machine-2-1.txt.gz"), "1\n");
        write(dir.resolve("train/machine-1-10.txt"), "1\n");
        write(dir.resolve("train/machine-1-10.txt.gz"), "1\n");
        write(dir.resolve("train/machine-1-2.txt"), "1\n");
        write(dir.resolve("train/notes.md"), "x\n");
        Files.createDirectories(dir.resolve("train/sub.txt"));
        assertEquals(List.of("machine-1-10", "machine-1-2", "machine-2-1"), SmdLoader.listEntities(dir));
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> SmdLoader.listEntities(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    }

    @Test
    void separatorsWhitespaceAndBom() throws IOException {
        Path f = dir.resolve("ws.txt");
        write(f, "\uFEFF1 2\t3\n  4   5 6  \n");
        MultivariateSeries s = SmdLoader.readMatrix(f);
        assertEquals("ws", s.name());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, s.copyValues());
        Path g = dir.resolve("comma.txt");
        write(g, "1, 2 ,3\r\n-4.5e-1,+5,6.\n\n\n");
        MultivariateSeries c = SmdLoader.readMatrix(g);
        assertArrayEquals(new float[]{1, 2, 3, -0.45f, 5, 6}, c.copyValues());
        Path l = dir.resolve("labels.txt");
        write(l, "0\n1.0\n 1 \n0.000000e+00\n");
        assertArrayEquals(new int[]{0, 1, 1, 0}, SmdLoader.readLabels(l));
    }

    // ------------------------------------------------------------------ bad files

    @Test
    void raggedRowNamesFileAndLine() throws IOException {
        // the example from the specification: 38 columns expected, 37 found on line 17 of a gzip file
        float[][] rows = randomRows(20, 38, 3);
        String text = csv(rows);
        String[] lines = text.split("\n");
        lines[16] = lines[16].substring(0, lines[16].lastIndexOf(','));
        SeriesFormatException e = badMatrix("train/machine-1-1.txt.gz", String.join("\n", lines) + "\n");
        assertMessage(e, "machine-1-1.txt.gz line 17: expected 38 columns, found 37");
        assertEquals(17, e.line());
        assertTrue(e.file().endsWith(Path.of("train", "machine-1-1.txt.gz")));

        e = badMatrix("wide.txt", "1,2,3\n4,5,6\n7,8,9,10\n");
        assertMessage(e, "wide.txt line 3: expected 3 columns, found 4");
    }

    @Test
    void nonNumberNamesLineAndColumn() throws IOException {
        SeriesFormatException e = badMatrix("bad.txt", "1,2,3\n1,2,3\n1,2,3\n1,2,3\n1,2,abc\n");
        assertMessage(e, "bad.txt line 5, column 3: 'abc' is not a number");
        assertEquals(5, e.line());
        assertEquals(3, e.column());
        assertMessage(badMatrix("hex.txt", "1,0x1p3\n"), "line 1, column 2: '0x1p3' is a hexadecimal number");
        assertMessage(badMatrix("suffix.txt", "1 2f\n"), "line 1, column 2: '2f' is not a number");
        assertMessage(badMatrix("dots.txt", "1,2\n1.2.3,4\n"), "line 2, column 1: '1.2.3' is not a number");
        assertMessage(badMatrix("emptyval.txt", "1,2,3\n1,,3\n"), "line 2, column 2: empty value");
        assertMessage(badMatrix("trailing.txt", "1,2,\n"), "line 1, column 3: empty value");
    }

    @Test
    void nonFiniteValuesRejected() throws IOException {
        assertMessage(badMatrix("nan.txt.gz", "1,2\nNaN,2\n"), "nan.txt.gz line 2, column 1: 'NaN' is not a finite number");
        assertMessage(badMatrix("inf.txt", "1,2\n3,4\n5,-Infinity\n"), "inf.txt line 3, column 2: '-Infinity' is not a finite number");
        assertMessage(badMatrix("inf2.txt", "inf 1\n"), "line 1, column 1: 'inf' is not a finite number");
        assertMessage(badMatrix("big.txt", "1,2\n1,1e40\n"), "line 2, column 2: '1e40' is out of the float range");
    }

    @Test
    void badLabels() throws IOException {
        SeriesFormatException e = badLabels("l1.txt", "0\n0\n2\n");
        assertMessage(e, "l1.txt line 3: label '2' is not 0 or 1");
        assertEquals(3, e.line());
        assertMessage(badLabels("l2.txt.gz", "0\n1\n0\nyes\n"), "l2.txt.gz line 4: label 'yes' is not 0 or 1");
        assertMessage(badLabels("l3.txt", "0\n-1\n"), "line 2: label '-1' is not 0 or 1");
        assertMessage(badLabels("l4.txt", "0\n0 1\n"), "line 2: expected one label per line");
        assertMessage(badLabels("l5.txt", "0\nNaN\n"), "line 2: label 'NaN' is not 0 or 1");
    }

    @Test
    void labelCountMismatchNamesBothFilesAndCounts() throws IOException {
        writeEntity(".txt.gz", ".txt");
        write(dir.resolve("test_label/e.txt"), labelText(new int[14]));
        SeriesFormatException e = assertThrows(SeriesFormatException.class, () -> SmdLoader.load(dir, "e"));
        assertMessage(e, dir.resolve("test_label/e.txt").toString(), dir.resolve("test/e.txt.gz").toString(),
                "14 labels", "15 rows");
    }

    @Test
    void columnCountMismatchBetweenTrainAndTest() throws IOException {
        writeEntity(".txt", ".txt");
        write(dir.resolve("test/e.txt"), "1,2\n".repeat(15));
        SeriesFormatException e = assertThrows(SeriesFormatException.class, () -> SmdLoader.load(dir, "e"));
        assertMessage(e, "train" + dir.getFileSystem().getSeparator() + "e.txt has 3 columns",
                "test" + dir.getFileSystem().getSeparator() + "e.txt has 2");
    }

    @Test
    void missingFilesSayWhatWasTried() throws IOException {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SmdLoader.load(dir.resolve("none"), "e"));
        assertTrue(e.getMessage().contains("none"), e.getMessage());

        write(dir.resolve("train/e.txt"), csv(TRAIN));
        write(dir.resolve("test/e.txt.gz"), csv(TEST));
        e = assertThrows(NoSuchFileException.class, () -> SmdLoader.load(dir, "e"));
        assertTrue(e.getMessage().contains(dir.resolve("test_label/e.txt").toString())
                && e.getMessage().contains(dir.resolve("test_label/e.txt.gz").toString()), e.getMessage());

        e = assertThrows(NoSuchFileException.class, () -> SmdLoader.load(dir, "other"));
        assertTrue(e.getMessage().contains(dir.resolve("train/other.txt").toString())
                && e.getMessage().contains(dir.resolve("train/other.txt.gz").toString()), e.getMessage());

        e = assertThrows(NoSuchFileException.class, () -> SmdLoader.readMatrix(dir.resolve("absent.txt")));
        assertTrue(e.getMessage().contains("absent.txt"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> SmdLoader.readLabels(dir.resolve("absent.txt")));
    }

    @Test
    void emptyFilesAndBlankLines() throws IOException {
        assertMessage(badMatrix("empty.txt", ""), "empty.txt: empty file");
        assertMessage(badMatrix("blank.txt.gz", "\n  \n"), "blank.txt.gz: empty file");
        assertMessage(badLabels("emptylabels.txt", ""), "emptylabels.txt: empty file");
        SeriesFormatException e = badMatrix("gap.txt", "1,2\n\n3,4\n");
        assertMessage(e, "gap.txt line 2: empty line before more data");
        assertMessage(badLabels("gaplabels.txt", "1\n \n0\n"), "line 2: empty line before more data");
        Path trailing = dir.resolve("trailing-blank.txt");
        write(trailing, "1,2\n3,4\n\n\n");
        assertEquals(2, SmdLoader.readMatrix(trailing).numSteps());
    }

    @Test
    void corruptGzipNamesFile() throws IOException {
        Path f = dir.resolve("corrupt.txt.gz");
        Files.write(f, new byte[]{1, 2, 3, 4, 5});
        IOException e = assertThrows(IOException.class, () -> SmdLoader.readMatrix(f));
        assertTrue(e.getMessage().contains("corrupt.txt.gz"), e.getMessage());
    }

    /** Issue 23: a 0-byte .gz gave "...gz: null" (the JDK's EOFException has no message). */
    @Test
    void emptyGzipSaysEmpty() throws IOException {
        Path f = dir.resolve("empty.txt.gz");
        Files.write(f, new byte[0]);
        for (ThrowingCall call : new ThrowingCall[]{() -> SmdLoader.readMatrix(f), () -> SmdLoader.readLabels(f)}) {
            SeriesFormatException e = assertThrows(SeriesFormatException.class, call::run);
            assertMessage(e, f.toString(), "empty file (0 bytes)", "gzip");
            assertFalse(e.getMessage().contains("null"), e.getMessage());
        }
    }

    /** Issue 23: a gzip missing its last bytes gave "...gz: null". */
    @Test
    void truncatedGzipSaysTruncated() throws IOException {
        Path whole = dir.resolve("whole.txt.gz");
        write(whole, csv(randomRows(2000, VARS, 3)));
        byte[] bytes = Files.readAllBytes(whole);
        for (int cut : new int[]{4, 9, bytes.length / 2, bytes.length - 5, bytes.length - 1}) {
            Path f = dir.resolve("cut" + cut + ".txt.gz");
            Files.write(f, java.util.Arrays.copyOf(bytes, cut));
            SeriesFormatException e = assertThrows(SeriesFormatException.class, () -> SmdLoader.readMatrix(f));
            assertMessage(e, f.toString(), "gzip data ends early", "truncated", cut + " bytes");
            assertFalse(e.getMessage().contains("null"), e.getMessage());
            assertEquals(f, e.file());
        }
    }

    @Test
    void notGzipSaysSo() throws IOException {
        Path f = dir.resolve("plain.txt.gz");
        Files.writeString(f, "1,2,3\n");
        SeriesFormatException e = assertThrows(SeriesFormatException.class, () -> SmdLoader.readMatrix(f));
        assertMessage(e, f.toString(), "not valid gzip data", "Not in GZIP format");
    }

    /** Issue 23: the entity says which files its series came from, so a too-short test series can be named. */
    @Test
    void entityNamesItsFiles() throws IOException {
        writeEntity(".txt", ".txt.gz");
        SmdEntity e = SmdLoader.load(dir, "e");
        assertEquals(dir.resolve("train/e.txt").toString(), e.trainSource());
        assertEquals(dir.resolve("test/e.txt").toString(), e.testSource());
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> new SlidingWindows(TEST.length + 1, 1).requireWindows(e.test(), e.testSource()));
        assertTrue(tooShort.getMessage().startsWith(dir.resolve("test/e.txt") + ": series 'e/test' has "
                + TEST.length + " time steps, fewer than the window length " + (TEST.length + 1)),
                tooShort.getMessage());
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Throwable;
    }

    @Test
    void invalidEntityNames() {
        assertThrows(IllegalArgumentException.class, () -> SmdLoader.load(dir, "../e"));
        assertThrows(IllegalArgumentException.class, () -> SmdLoader.load(dir, ""));
        assertThrows(IllegalArgumentException.class, () -> SmdLoader.load(dir, ".."));
    }

    @Test
    void loadsSmdSizedFileQuickly() throws IOException {
        // values k / 1e6 written as "0.dddddd", generated without String.format to keep the test fast
        SplittableRandom rng = new SplittableRandom(4);
        int[] micro = new int[24000 * 38];
        StringBuilder sb = new StringBuilder(micro.length * 9);
        for (int t = 0; t < 24000; t++) {
            for (int c = 0; c < 38; c++) {
                int k = rng.nextInt(1_000_000);
                micro[t * 38 + c] = k;
                if (c > 0) {
                    sb.append(',');
                }
                String digits = Integer.toString(k);
                sb.append("0.").append("000000", 0, 6 - digits.length()).append(digits);
            }
            sb.append('\n');
        }
        Path f = dir.resolve("big.txt.gz");
        write(f, sb.toString());
        SmdLoader.readMatrix(f); // warm-up
        long start = System.nanoTime();
        MultivariateSeries s = SmdLoader.readMatrix(f);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(24000, s.numSteps());
        assertEquals(38, s.numVariables());
        for (int i : new int[]{0, 17, 12345 * 38 + 17, micro.length - 1}) {
            assertEquals(micro[i] / 1e6, s.valuesView()[i], 1e-7, "index " + i);
        }
        // generous bound so that a loaded CI machine does not fail; typically ~0.1-0.3 s
        assertTrue(seconds < 5.0, "loading 24000 x 38 took " + seconds + " s");
    }

    // ------------------------------------------------------------------ real data (optional)

    static Optional<Path> findDataset(String... candidates) {
        return Stream.of(candidates).map(Path::of).filter(Files::isDirectory).findFirst();
    }

    @Test
    void realSmdMachine15() throws IOException {
        Optional<Path> smd = findDataset("../shared/data/SMD", "../../shared/data/SMD");
        Assumptions.assumeTrue(smd.isPresent(), "SMD not found in the datasets folder beside the repository (see docs/DATA.md); skipping");
        long start = System.nanoTime();
        SmdEntity e = SmdLoader.load(smd.get(), "machine-1-5");
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "loaded SMD machine-1-5 (train + test + labels) in %.3f s%n", seconds);
        assertEquals(23705, e.train().numSteps());
        assertEquals(23706, e.test().numSteps());
        assertEquals(38, e.train().numVariables());
        assertEquals(100, e.test().numAnomalousSteps());
        assertTrue(SmdLoader.listEntities(smd.get()).contains("machine-1-5"));
    }

    @Test
    void embeddedSmdMachine12() throws IOException {
        Optional<Path> smd = findDataset("../examples/src/main/resources/data/SMD",
                "examples/src/main/resources/data/SMD");
        Assumptions.assumeTrue(smd.isPresent(), "embedded SMD data not found; skipping");
        assertEquals(List.of("machine-1-2"), SmdLoader.listEntities(smd.get()));
        SmdEntity e = SmdLoader.load(smd.get(), "machine-1-2");
        assertEquals(23694, e.train().numSteps());
        assertEquals(23694, e.test().numSteps());
        assertEquals(38, e.test().numVariables());
        assertEquals(542, e.test().numAnomalousSteps());
    }

    @Test
    public void concatenatesChannelsInTheListedOrder(@TempDir Path dir) throws IOException {
        Path ds = dir.resolve("TOY");
        float[][] a = randomRows(4, VARS, 11);
        float[][] b = randomRows(3, VARS, 12);
        float[][] at = randomRows(5, VARS, 13);
        float[][] bt = randomRows(2, VARS, 14);
        write(ds.resolve("train/B.txt"), csv(b));
        write(ds.resolve("train/A.txt"), csv(a));
        write(ds.resolve("test/A.txt"), csv(at));
        write(ds.resolve("test/B.txt"), csv(bt));
        write(ds.resolve("test_label/A.txt"), labelText(new int[]{0, 1, 0, 0, 0}));
        write(ds.resolve("test_label/B.txt"), labelText(new int[]{1, 1}));
        write(ds.resolve("channels.txt"), "B\nA\n");
        SmdEntity e = SmdLoader.loadConcatenated(ds);
        assertEquals(7, e.train().numSteps());
        assertEquals(7, e.test().numSteps());
        assertEquals(b[0][1], e.train().value(0, 1));
        assertEquals(a[0][2], e.train().value(3, 2));
        assertEquals(at[4][0], e.test().value(6, 0));
        assertArrayEquals(new int[]{1, 1, 0, 1, 0, 0, 0}, e.test().copyLabels());
        // The concatenated label file, when present, is used and checked.
        write(ds.resolve("TOY_test_label_concat.txt"), labelText(new int[]{0, 0, 0, 0, 0, 0, 1}));
        assertArrayEquals(new int[]{0, 0, 0, 0, 0, 0, 1}, SmdLoader.loadConcatenated(ds).test().copyLabels());
        write(ds.resolve("TOY_test_label_concat.txt"), labelText(new int[]{0, 0}));
        SeriesFormatException ex = assertThrows(SeriesFormatException.class, () -> SmdLoader.loadConcatenated(ds));
        assertTrue(ex.getMessage().contains("2 labels for 7"), ex.getMessage());
        Files.delete(ds.resolve("channels.txt"));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> SmdLoader.loadConcatenated(ds));
    }

    @Test
    public void realMslConcatenationHasTheSeedCounts() throws IOException {
        Path msl = Path.of("../../shared/data/MSL");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(msl), "MSL not found in the datasets folder beside the repository (see docs/DATA.md); skipping");
        SmdEntity e = SmdLoader.loadConcatenated(msl);
        assertEquals(55, e.train().numVariables());
        assertEquals(58317, e.train().numSteps());
        assertEquals(73729, e.test().numSteps());
        assertEquals(7766, e.test().numAnomalousSteps());
    }
}
