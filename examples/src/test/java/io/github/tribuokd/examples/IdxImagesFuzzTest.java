package io.github.tribuokd.examples;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.tribuokd.anomaly.images.IdxImages;
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
 * Fuzzes the IDX reader ({@link IdxImages}, MNIST's format, plain or gzip): the image file against a valid label file
 * of 3 items, and the label file against a valid image file of 3 images of 4x4. Declared: an {@link IOException} (an
 * {@code IdxFormatException} naming file and byte offset). When accepted, every label is in 0-9 and every pixel can be
 * read. See {@link FuzzSupport}.
 */
@Tag("fuzz")
class IdxImagesFuzzTest {

    private static Path dir;
    private static Path validImages;
    private static Path validLabels;

    @BeforeAll
    static void createDir() throws IOException {
        dir = FuzzFiles.tempDir("fuzz-idx");
        validImages = dir.resolve("valid-images-idx3-ubyte");
        validLabels = dir.resolve("valid-labels-idx1-ubyte");
        Files.write(validImages, FuzzSupport.seeds(IdxImagesFuzzTest.class, "images").get(0));
        Files.write(validLabels, FuzzSupport.seeds(IdxImagesFuzzTest.class, "labels").get(0));
    }

    @AfterAll
    static void deleteDir() throws IOException {
        FuzzFiles.deleteTree(dir);
    }

    static void readImages(byte[] data) throws IOException {
        Path f = dir.resolve("images-idx3-ubyte");
        Files.write(f, data);
        check(IdxImages.load(f, validLabels));
    }

    static void readLabels(byte[] data) throws IOException {
        Path f = dir.resolve("labels-idx1-ubyte");
        Files.write(f, data);
        check(IdxImages.load(validImages, f));
    }

    private static void check(IdxImages images) {
        assertEquals(3, images.count());
        float[] pixels = new float[images.numPixels()];
        for (int i = 0; i < images.count(); i++) {
            assertTrue(images.label(i) >= 0 && images.label(i) < IdxImages.NUM_CLASSES);
            images.pixels(i, pixels, 0);
        }
    }

    @FuzzTest(maxDuration = "3m")
    void images(byte[] data) throws Throwable {
        FuzzSupport.check(data, IdxImagesFuzzTest::readImages, IOException.class);
    }

    @FuzzTest(maxDuration = "3m")
    void labels(byte[] data) throws Throwable {
        FuzzSupport.check(data, IdxImagesFuzzTest::readLabels, IOException.class);
    }

    @Test
    void mutatedImages() throws Exception {
        FuzzSupport.mutate("idx-images", FuzzSupport.seeds(getClass(), "images"), 2000,
                IdxImagesFuzzTest::readImages, IOException.class);
    }

    @Test
    void mutatedLabels() throws Exception {
        FuzzSupport.mutate("idx-labels", FuzzSupport.seeds(getClass(), "labels"), 2000,
                IdxImagesFuzzTest::readLabels, IOException.class);
    }
}
