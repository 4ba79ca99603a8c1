package io.github.tribuokd.anomaly.images;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for the tests. */
final class IdxFixtures {

    private IdxFixtures() { }

    /** The content of an image file: magic, count, rows, cols, pixels. */
    static byte[] imageContent(int count, int rows, int cols, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
        b.putInt(IdxImages.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols).put(pixels);
        return b.array();
    }

    /** The content of a label file: magic, count, labels. */
    static byte[] labelContent(byte[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(IdxImages.LABELS_MAGIC).putInt(labels.length).put(labels);
        return b.array();
    }

    static Path write(Path file, byte[] content, boolean gzip) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, gzip ? gzip(content) : content);
        return file;
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    /**
     * A synthetic split of 4x4 images: image {@code i} has pixel 0 = {@code i % 256}, pixel 1 = its label * 10,
     * pixel 2 = {@code salt}, pixel 15 = 255 for even {@code i}, and zeros elsewhere (pixel 3 is 0 everywhere).
     */
    static byte[] pixels(byte[] labels, int salt) {
        byte[] pixels = new byte[labels.length * 16];
        for (int i = 0; i < labels.length; i++) {
            pixels[i * 16] = (byte) (i % 256);
            pixels[i * 16 + 1] = (byte) (labels[i] * 10);
            pixels[i * 16 + 2] = (byte) salt;
            pixels[i * 16 + 15] = (byte) (i % 2 == 0 ? 255 : 0);
        }
        return pixels;
    }

    /** Labels {@code 0, 1, ..., 9, 0, 1, ...}, {@code perClass} of each class. */
    static byte[] cyclicLabels(int perClass) {
        byte[] labels = new byte[perClass * 10];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % 10);
        }
        return labels;
    }

    /** Writes a split in the standard layout of {@code dir} and loads it. */
    static IdxImages split(Path dir, boolean train, byte[] labels, int salt, boolean gzip) throws IOException {
        String images = train ? IdxImages.TRAIN_IMAGES : IdxImages.TEST_IMAGES;
        String labelName = train ? IdxImages.TRAIN_LABELS : IdxImages.TEST_LABELS;
        write(dir.resolve(images), imageContent(labels.length, 4, 4, pixels(labels, salt)), gzip);
        write(dir.resolve(labelName), labelContent(labels), gzip);
        return IdxImages.loadSplit(dir, train);
    }
}
