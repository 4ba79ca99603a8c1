package io.github.tribuokd.anomaly.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

import static io.github.tribuokd.anomaly.images.IdxFixtures.gzip;
import static io.github.tribuokd.anomaly.images.IdxFixtures.imageContent;
import static io.github.tribuokd.anomaly.images.IdxFixtures.labelContent;
import static io.github.tribuokd.anomaly.images.IdxFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxImagesTest {

    /** Three 2x3 images with pixels 0, 1, ..., 17 and labels 7, 0, 9. */
    private static final byte[] PIXELS = new byte[18];
    private static final byte[] LABELS = {7, 0, 9};

    static {
        for (int i = 0; i < PIXELS.length; i++) {
            PIXELS[i] = (byte) (i * 15);
        }
    }

    @TempDir
    Path dir;

    private IdxImages loadTiny(boolean gzip) throws IOException {
        Path images = write(dir.resolve("img" + gzip), imageContent(3, 2, 3, PIXELS), gzip);
        Path labels = write(dir.resolve("lab" + gzip), labelContent(LABELS), gzip);
        return IdxImages.load(images, labels);
    }

    /**
     * Fuzzing finding (issue 23): the reader allocated the data array the header declares before reading, so a
     * 16-byte file declaring 2^31 - 9 bytes of pixels made it allocate 2 GB (OutOfMemoryError on a small heap, seconds
     * of zeroing on a large one) before reporting the file as truncated. A plain file is now checked against its size
     * first, and gzip content (whose size is unknown in advance) is read into an array that grows with the data.
     */
    @Test
    void headerDeclaringHugeContentAllocatesNothingLarge() throws IOException {
        byte[] header = imageContent(46340, 46340, 1, new byte[0]);
        for (boolean gzip : new boolean[]{false, true}) {
            Path images = write(dir.resolve("huge" + gzip), header, gzip);
            Path labels = write(dir.resolve("hugelabels" + gzip), labelContent(LABELS), gzip);
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxImages.load(images, labels));
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            assertTrue(e.getMessage().contains("46340 images of 46340x1 pixels"), e.getMessage());
            assertTrue(allocated < 32L << 20, (gzip ? "gzip: " : "plain: ") + allocated + " bytes allocated");
        }
    }

    @Test
    void parsesPlainAndGzipAlike() throws IOException {
        IdxImages plain = loadTiny(false);
        IdxImages gz = loadTiny(true);
        for (IdxImages images : new IdxImages[]{plain, gz}) {
            assertEquals(3, images.count());
            assertEquals(2, images.rows());
            assertEquals(3, images.cols());
            assertEquals(6, images.numPixels());
            assertEquals(7, images.label(0));
            assertEquals(0, images.label(1));
            assertEquals(9, images.label(2));
            float[] dst = new float[8];
            images.pixels(1, dst, 2);
            assertEquals(0f, dst[0]);
            assertEquals(0f, dst[1]);
            for (int k = 0; k < 6; k++) {
                assertEquals(((6 + k) * 15) / 255f, dst[2 + k]);
            }
            assertEquals(255, images.pixel(2, 1, 2));
            assertEquals(4 * 15, images.pixel(0, 1, 1));
            assertArrayEquals(new int[]{1, 0, 0, 0, 0, 0, 0, 1, 0, 1}, images.classCounts());
            assertArrayEquals(new int[]{2}, images.indicesOfClass(9));
            assertArrayEquals(new int[0], images.indicesOfClass(3));
        }
        // The digests are of the uncompressed content; the sizes are of the files on disk.
        assertEquals(plain.imagesMd5(), gz.imagesMd5());
        assertEquals(plain.labelsMd5(), gz.labelsMd5());
        assertEquals(32, plain.imagesMd5().length());
        assertEquals(34, plain.imagesFileSize());
        assertEquals(11, plain.labelsFileSize());
        assertEquals(Files.size(gz.imagesFile()), gz.imagesFileSize());
        assertNotEquals(plain.imagesMd5(), plain.labelsMd5());
    }

    @Test
    void compressionIsDetectedFromContentNotName() throws IOException {
        Path images = write(dir.resolve("plain.gz"), imageContent(3, 2, 3, PIXELS), false);
        Path labels = write(dir.resolve("compressed.bin"), labelContent(LABELS), true);
        IdxImages loaded = IdxImages.load(images, labels);
        assertEquals(3, loaded.count());
        assertEquals(9, loaded.label(2));
    }

    @Test
    void indexChecks() throws IOException {
        IdxImages images = loadTiny(false);
        assertThrows(IndexOutOfBoundsException.class, () -> images.label(3));
        assertThrows(IndexOutOfBoundsException.class, () -> images.pixels(0, new float[5], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> images.pixels(0, new float[6], 1));
        assertThrows(IndexOutOfBoundsException.class, () -> images.pixel(0, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> images.indicesOfClass(10));
    }

    @Test
    void wrongMagicNamesFileAndBothNumbers() throws IOException {
        // a label file given as the image file
        Path labels = write(dir.resolve("labels"), labelContent(LABELS), true);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxImages.load(labels, labels));
        assertTrue(e.getMessage().startsWith(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("0x00000801") && e.getMessage().contains("0x00000803"), e.getMessage());
        assertTrue(e.getMessage().contains("label file"), e.getMessage());
        assertEquals(labels, e.file());
        assertEquals(0, e.offset());

        // an image file given as the label file
        Path images = write(dir.resolve("images"), imageContent(3, 2, 3, PIXELS), false);
        e = assertThrows(IdxFormatException.class, () -> IdxImages.load(images, images));
        assertEquals(images, e.file());
        assertTrue(e.getMessage().contains("wrong magic number 0x00000803, expected 0x00000801"), e.getMessage());

        // not an IDX file at all
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "hello, world");
        e = assertThrows(IdxFormatException.class, () -> IdxImages.load(text, labels));
        assertTrue(e.getMessage().contains("no IDX file"), e.getMessage());
    }

    @Test
    void truncatedBodySaysExpectedAndFoundBytes() throws IOException {
        byte[] full = imageContent(3, 2, 3, PIXELS);
        Path labels = write(dir.resolve("labels"), labelContent(LABELS), false);
        for (boolean gz : new boolean[]{false, true}) {
            Path images = write(dir.resolve("short" + gz), Arrays.copyOf(full, 30), gz);
            IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxImages.load(images, labels));
            String m = e.getMessage();
            assertTrue(m.startsWith(images.toString()), m);
            assertTrue(m.contains("truncated") && m.contains("3 images of 2x3 pixels")
                    && m.contains("should be 34 bytes") && m.contains("found 30"), m);
        }
        Path labelsShort = write(dir.resolve("labelsShort"), Arrays.copyOf(labelContent(LABELS), 10), false);
        Path images = write(dir.resolve("images"), full, false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxImages.load(images, labelsShort));
        assertTrue(e.getMessage().contains("3 labels") && e.getMessage().contains("should be 11 bytes")
                && e.getMessage().contains("found 10"), e.getMessage());
        assertEquals(labelsShort, e.file());
    }

    @Test
    void truncatedHeaderAndEmptyFile() throws IOException {
        Path labels = write(dir.resolve("labels"), labelContent(LABELS), false);
        Path header = write(dir.resolve("header"), Arrays.copyOf(imageContent(3, 2, 3, PIXELS), 10), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxImages.load(header, labels));
        assertTrue(e.getMessage().contains("at least 16 bytes") && e.getMessage().contains("found 10"), e.getMessage());
        Path empty = write(dir.resolve("empty"), new byte[0], false);
        e = assertThrows(IdxFormatException.class, () -> IdxImages.load(empty, labels));
        assertTrue(e.getMessage().contains("found 0"), e.getMessage());
    }

    @Test
    void truncatedGzipStream() throws IOException {
        Path labels = write(dir.resolve("labels"), labelContent(LABELS), false);
        // Incompressible-ish content large enough that cutting the compressed file loses data.
        byte[] pixels = new byte[100 * 28 * 28];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) rng.nextInt(256);
        }
        byte[] compressed = gzip(imageContent(100, 28, 28, pixels));
        Path cut = dir.resolve("cut.gz");
        Files.write(cut, Arrays.copyOf(compressed, compressed.length / 2));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxImages.load(cut, labels));
        String m = e.getMessage();
        assertTrue(m.startsWith(cut.toString()) && m.contains("truncated") && m.contains("should be 78416 bytes")
                && m.contains("gzip stream ends early"), m);

        Path tiny = dir.resolve("tiny.gz");
        Files.write(tiny, Arrays.copyOf(compressed, 5));
        e = assertThrows(IdxFormatException.class, () -> IdxImages.load(tiny, labels));
        assertTrue(e.getMessage().startsWith(tiny.toString()) && e.getMessage().contains("gzip"), e.getMessage());

        // the whole deflate stream but no trailer
        Path noTrailer = dir.resolve("noTrailer.gz");
        Files.write(noTrailer, Arrays.copyOf(compressed, compressed.length - 8));
        e = assertThrows(IdxFormatException.class, () -> IdxImages.load(noTrailer, labels));
        assertTrue(e.getMessage().startsWith(noTrailer.toString()) && e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void extraBytesAreAnError() throws IOException {
        byte[] full = imageContent(3, 2, 3, PIXELS);
        Path images = write(dir.resolve("long"), Arrays.copyOf(full, full.length + 5), false);
        Path labels = write(dir.resolve("labels"), labelContent(LABELS), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxImages.load(images, labels));
        assertTrue(e.getMessage().contains("found 5 bytes after the 34 bytes"), e.getMessage());
        assertEquals(34, e.offset());
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        Path images = write(dir.resolve("images"), imageContent(3, 2, 3, PIXELS), false);
        Path labels = write(dir.resolve("labels"), labelContent(new byte[]{1, 2}), true);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxImages.load(images, labels));
        String m = e.getMessage();
        assertEquals(labels, e.file());
        assertTrue(m.contains(labels.toString()) && m.contains(images.toString())
                && m.contains("2 labels") && m.contains("3 images"), m);
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path images = write(dir.resolve("images"), imageContent(3, 2, 3, PIXELS), false);
        Path labels = write(dir.resolve("labels"), labelContent(new byte[]{1, 10, 2}), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxImages.load(images, labels));
        assertTrue(e.getMessage().contains("label 10 of item 1 is outside 0-9"), e.getMessage());
        assertEquals(9, e.offset());
        Path labels255 = write(dir.resolve("labels255"), labelContent(new byte[]{1, 2, (byte) 255}), false);
        e = assertThrows(IdxFormatException.class, () -> IdxImages.load(images, labels255));
        assertTrue(e.getMessage().contains("label 255 of item 2"), e.getMessage());
    }

    @Test
    void impossibleHeaders() throws IOException {
        Path labels = write(dir.resolve("labels"), labelContent(new byte[0]), false);
        Path zeroRows = write(dir.resolve("zeroRows"), imageContent(0, 0, 3, new byte[0]), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxImages.load(zeroRows, labels));
        assertTrue(e.getMessage().contains("0x3 pixels"), e.getMessage());
        Path negative = write(dir.resolve("negative"), imageContent(-1, 2, 3, new byte[0]), false);
        e = assertThrows(IdxFormatException.class, () -> IdxImages.load(negative, labels));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
        Path huge = write(dir.resolve("huge"), imageContent(1 << 20, 1 << 10, 1 << 10, new byte[0]), false);
        e = assertThrows(IdxFormatException.class, () -> IdxImages.load(huge, labels));
        assertTrue(e.getMessage().contains("do not fit"), e.getMessage());
        // an empty but well-formed pair is allowed
        Path none = write(dir.resolve("none"), imageContent(0, 2, 3, new byte[0]), false);
        assertEquals(0, IdxImages.load(none, labels).count());
    }

    @Test
    void missingFiles() throws IOException {
        Path labels = write(dir.resolve("labels"), labelContent(LABELS), false);
        Path missing = dir.resolve("nope-images.gz");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> IdxImages.load(missing, labels));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertThrows(IdxFormatException.class, () -> IdxImages.load(dir, labels));

        Path empty = Files.createDirectories(dir.resolve("emptySplit"));
        e = assertThrows(NoSuchFileException.class, () -> IdxImages.loadSplit(empty, true));
        assertTrue(e.getMessage().contains(empty.resolve(IdxImages.TRAIN_IMAGES).toString())
                && e.getMessage().contains("also tried " + empty.resolve("train-images-idx3-ubyte")), e.getMessage());
        e = assertThrows(NoSuchFileException.class, () -> IdxImages.loadSplit(dir.resolve("nowhere"), false));
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    }

    @Test
    void loadSplitUsesStandardNamesGzipOrPlain() throws IOException {
        byte[] labels = IdxFixtures.cyclicLabels(2);
        IdxImages train = IdxFixtures.split(dir.resolve("a"), true, labels, 1, true);
        assertEquals(20, train.count());
        assertEquals(dir.resolve("a").resolve(IdxImages.TRAIN_IMAGES), train.imagesFile());

        Path plainDir = dir.resolve("b");
        write(plainDir.resolve("t10k-images-idx3-ubyte"), imageContent(20, 4, 4, IdxFixtures.pixels(labels, 2)), false);
        write(plainDir.resolve("t10k-labels-idx1-ubyte"), labelContent(labels), false);
        IdxImages test = IdxImages.loadSplit(plainDir, false);
        assertEquals(20, test.count());
        assertEquals(plainDir.resolve("t10k-labels-idx1-ubyte"), test.labelsFile());
        assertThrows(NoSuchFileException.class, () -> IdxImages.loadSplit(plainDir, true));
    }
}
