package io.github.tribuokd.anomaly.images;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A labelled set of grey-scale images read from a pair of IDX files, the format of MNIST and Fashion-MNIST.
 * Immutable.
 * <p>
 * The image file holds the magic number {@code 0x00000803} (unsigned bytes, 3 dimensions), the image count, the
 * number of rows and of columns as big-endian int32, then {@code count * rows * cols} unsigned pixel bytes, image
 * after image, each row-major. The label file holds the magic number {@code 0x00000801} (unsigned bytes, 1
 * dimension), the count, then one unsigned byte per image, a class in {@code 0..9}. Either file may be gzip
 * compressed: compression is detected from the content (the gzip magic bytes {@code 1f 8b}), not from the file
 * name.
 * <p>
 * Loading is strict: a wrong magic number, an impossible header, a truncated body (the message gives the expected
 * and the found number of bytes), extra bytes after the declared data, corrupt gzip data, a label outside
 * {@code 0..9}, and image and label files of different counts are each an {@link IdxFormatException} naming the
 * file; a missing file is a {@link NoSuchFileException}.
 * <p>
 * Pixels are kept as the file's bytes ({@code count * rows * cols} bytes, 47 MB for the 60,000 MNIST training
 * images) and converted on demand to {@code pixel / 255f}. The loader records each file's size on disk and the
 * MD5 digest of its uncompressed content (the digests usually published for MNIST and Fashion-MNIST), which
 * {@link OneClassImageSplit} puts into the provenance of its datasets.
 */
public final class IdxImages {

    /** Magic number of an IDX image file: unsigned bytes, 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX label file: unsigned bytes, 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** The number of classes; labels lie in {@code [0, NUM_CLASSES)}. */
    public static final int NUM_CLASSES = 10;
    /** Standard name of the training images. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    /** Standard name of the training labels. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    /** Standard name of the test images. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    /** Standard name of the test labels. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

    private static final int BUFFER_SIZE = 1 << 16;
    private static final String GZ = ".gz";

    private final Path imagesFile;
    private final Path labelsFile;
    private final int count;
    private final int rows;
    private final int cols;
    private final byte[] pixels;
    private final byte[] labels;
    private final long imagesFileSize;
    private final long labelsFileSize;
    private final String imagesMd5;
    private final String labelsMd5;

    private IdxImages(Path imagesFile, Path labelsFile, int rows, int cols, byte[] pixels, byte[] labels,
                      long imagesFileSize, long labelsFileSize, String imagesMd5, String labelsMd5) {
        this.imagesFile = imagesFile;
        this.labelsFile = labelsFile;
        this.count = labels.length;
        this.rows = rows;
        this.cols = cols;
        this.pixels = pixels;
        this.labels = labels;
        this.imagesFileSize = imagesFileSize;
        this.labelsFileSize = labelsFileSize;
        this.imagesMd5 = imagesMd5;
        this.labelsMd5 = labelsMd5;
    }

    /**
     * Loads an image file and its label file (each gzip or plain).
     *
     * @param images The IDX image file.
     * @param labels The IDX label file.
     * @return The labelled images.
     * @throws NoSuchFileException If a file does not exist.
     * @throws IdxFormatException  If a file is malformed, a label is outside {@code 0..9}, or the counts differ.
     * @throws IOException         If reading fails.
     */
    public static IdxImages load(Path images, Path labels) throws IOException {
        Objects.requireNonNull(images, "images must not be null");
        Objects.requireNonNull(labels, "labels must not be null");
        requireFile(images, "IDX image file");
        requireFile(labels, "IDX label file");
        Content imageContent = read(images, IMAGES_MAGIC);
        int n = imageContent.dims[0];
        int r = imageContent.dims[1];
        int c = imageContent.dims[2];
        if (r == 0 || c == 0) {
            throw new IdxFormatException(images, 4, "the header declares images of " + r + "x" + c
                    + " pixels; rows and columns must be at least 1");
        }
        Content labelContent = read(labels, LABELS_MAGIC);
        byte[] labelBytes = labelContent.data;
        if (labelBytes.length != n) {
            throw new IdxFormatException(labels, "has " + labelBytes.length + " labels but " + images + " has "
                    + n + " images; the image and label files must have the same count");
        }
        for (int i = 0; i < labelBytes.length; i++) {
            int label = labelBytes[i] & 0xff;
            if (label >= NUM_CLASSES) {
                throw new IdxFormatException(labels, labelContent.headerBytes + i, "label " + label + " of item " + i
                        + " is outside 0-" + (NUM_CLASSES - 1));
            }
        }
        return new IdxImages(images, labels, r, c, imageContent.data, labelBytes, imageContent.fileSize,
                labelContent.fileSize, imageContent.md5, labelContent.md5);
    }

    /**
     * Loads the training or the test split of a dataset folder in the standard layout of MNIST and Fashion-MNIST:
     * {@value #TRAIN_IMAGES} and {@value #TRAIN_LABELS}, or {@value #TEST_IMAGES} and {@value #TEST_LABELS}. When
     * a {@code .gz} file is absent, the same name without {@code .gz} is tried (compression is detected from the
     * content either way).
     *
     * @param directory The dataset folder.
     * @param train     True for the training split, false for the test split.
     * @return The labelled images of the split.
     * @throws NoSuchFileException If the folder or a file is missing; the message names the paths tried.
     * @throws IdxFormatException  If a file is malformed, a label is outside {@code 0..9}, or the counts differ.
     * @throws IOException         If reading fails.
     */
    public static IdxImages loadSplit(Path directory, boolean train) throws IOException {
        Objects.requireNonNull(directory, "directory must not be null");
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "IDX dataset folder not found");
        }
        Path images = findStandard(directory, train ? TRAIN_IMAGES : TEST_IMAGES);
        Path labels = findStandard(directory, train ? TRAIN_LABELS : TEST_LABELS);
        return load(images, labels);
    }

    /**
     * Returns the number of images.
     *
     * @return The count.
     */
    public int count() {
        return count;
    }

    /**
     * Returns the number of pixel rows of each image.
     *
     * @return The rows.
     */
    public int rows() {
        return rows;
    }

    /**
     * Returns the number of pixel columns of each image.
     *
     * @return The columns.
     */
    public int cols() {
        return cols;
    }

    /**
     * Returns the number of pixels of each image, {@code rows() * cols()}.
     *
     * @return The pixels per image.
     */
    public int numPixels() {
        return rows * cols;
    }

    /**
     * Returns the class of image {@code i}.
     *
     * @param i The image index, in {@code [0, count())}.
     * @return The label, in {@code 0..9}.
     * @throws IndexOutOfBoundsException If {@code i} is out of range.
     */
    public int label(int i) {
        Objects.checkIndex(i, count);
        return labels[i] & 0xff;
    }

    /**
     * Returns one raw pixel of image {@code i}.
     *
     * @param i   The image index, in {@code [0, count())}.
     * @param row The row, in {@code [0, rows())}.
     * @param col The column, in {@code [0, cols())}.
     * @return The pixel as stored, in {@code 0..255}.
     * @throws IndexOutOfBoundsException If an index is out of range.
     */
    public int pixel(int i, int row, int col) {
        Objects.checkIndex(i, count);
        Objects.checkIndex(row, rows);
        Objects.checkIndex(col, cols);
        return pixels[i * numPixels() + row * cols + col] & 0xff;
    }

    /**
     * Writes image {@code i}, row-major, as {@code pixel / 255f} into
     * {@code dst[offset, offset + numPixels())}, allocating nothing.
     *
     * @param i      The image index, in {@code [0, count())}.
     * @param dst    The destination.
     * @param offset Where the image starts in {@code dst}.
     * @throws IndexOutOfBoundsException If {@code i} is out of range or {@code dst} is too short.
     */
    public void pixels(int i, float[] dst, int offset) {
        Objects.checkIndex(i, count);
        int size = numPixels();
        Objects.checkFromIndexSize(offset, size, dst.length);
        int src = i * size;
        for (int k = 0; k < size; k++) {
            dst[offset + k] = (pixels[src + k] & 0xff) / 255f;
        }
    }

    /**
     * Returns the number of images of each class.
     *
     * @return A fresh array of {@link #NUM_CLASSES} counts.
     */
    public int[] classCounts() {
        int[] counts = new int[NUM_CLASSES];
        for (byte b : labels) {
            counts[b & 0xff]++;
        }
        return counts;
    }

    /**
     * Returns the indices of the images of one class, in file order.
     *
     * @param label The class, in {@code 0..9}.
     * @return A fresh array of indices, ascending.
     * @throws IllegalArgumentException If the class is out of range.
     */
    public int[] indicesOfClass(int label) {
        checkClass(label);
        int[] result = new int[classCounts()[label]];
        int k = 0;
        for (int i = 0; i < count; i++) {
            if ((labels[i] & 0xff) == label) {
                result[k++] = i;
            }
        }
        return result;
    }

    /**
     * Returns the image file this set was read from.
     *
     * @return The image file.
     */
    public Path imagesFile() {
        return imagesFile;
    }

    /**
     * Returns the label file this set was read from.
     *
     * @return The label file.
     */
    public Path labelsFile() {
        return labelsFile;
    }

    /**
     * Returns the size on disk of the image file, in bytes (compressed size for a gzip file).
     *
     * @return The size in bytes.
     */
    public long imagesFileSize() {
        return imagesFileSize;
    }

    /**
     * Returns the size on disk of the label file, in bytes (compressed size for a gzip file).
     *
     * @return The size in bytes.
     */
    public long labelsFileSize() {
        return labelsFileSize;
    }

    /**
     * Returns the MD5 digest of the uncompressed content of the image file, as lower-case hex. It does not depend
     * on how (or whether) the file was gzipped, so it can be compared with published digests.
     *
     * @return The digest.
     */
    public String imagesMd5() {
        return imagesMd5;
    }

    /**
     * Returns the MD5 digest of the uncompressed content of the label file, as lower-case hex.
     *
     * @return The digest.
     */
    public String labelsMd5() {
        return labelsMd5;
    }

    /**
     * Returns a description: count, image size and files.
     *
     * @return The description.
     */
    @Override
    public String toString() {
        return "IdxImages(" + count + " images of " + rows + "x" + cols + ", images=" + imagesFile
                + ", labels=" + labelsFile + ")";
    }

    static void checkClass(int label) {
        if (label < 0 || label >= NUM_CLASSES) {
            throw new IllegalArgumentException("class must be in 0-" + (NUM_CLASSES - 1) + ", found " + label);
        }
    }

    // ------------------------------------------------------------------ reading

    /** The parsed content of one IDX file. */
    private static final class Content {
        final int[] dims;
        final byte[] data;
        final int headerBytes;
        final long fileSize;
        final String md5;

        Content(int[] dims, byte[] data, int headerBytes, long fileSize, String md5) {
            this.dims = dims;
            this.data = data;
            this.headerBytes = headerBytes;
            this.fileSize = fileSize;
            this.md5 = md5;
        }
    }

    /** Reads the uncompressed content, tracking the position and turning gzip failures into format errors. */
    private static final class Reader {
        final Path file;
        final InputStream in;
        final boolean gzip;
        long position;
        boolean gzipEndedEarly;

        Reader(Path file, InputStream in, boolean gzip) {
            this.file = file;
            this.in = in;
            this.gzip = gzip;
        }

        /** Reads up to {@code len} bytes; returns fewer only at the end of the content. */
        int read(byte[] b, int off, int len) throws IOException {
            int n = 0;
            try {
                while (n < len) {
                    int r = in.read(b, off + n, len - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
            } catch (EOFException e) {
                if (!gzip) {
                    throw e;
                }
                gzipEndedEarly = true;
            } catch (ZipException e) {
                throw new IdxFormatException(file, position + n, "corrupt gzip data: " + e.getMessage(), e);
            } finally {
                position += n;
            }
            return n;
        }

        /** Counts and discards the remaining bytes. */
        long skipRest() throws IOException {
            byte[] buffer = new byte[BUFFER_SIZE];
            long total = 0;
            int r;
            while ((r = read(buffer, 0, buffer.length)) > 0) {
                total += r;
            }
            return total;
        }

        String unit() {
            return gzip ? " (uncompressed)" : "";
        }

        String endedEarly() {
            return gzipEndedEarly ? "; the gzip stream ends early" : "";
        }
    }

    private static Content read(Path file, int magic) throws IOException {
        long fileSize = Files.size(file);
        MessageDigest md5 = newMd5();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER_SIZE)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            InputStream decoded;
            if (gzip) {
                try {
                    decoded = new GZIPInputStream(raw, BUFFER_SIZE);
                } catch (EOFException e) {
                    throw new IdxFormatException(file, -1, "truncated gzip header: the file has only " + fileSize
                            + " bytes", e);
                } catch (ZipException e) {
                    throw new IdxFormatException(file, -1, "corrupt gzip header: " + e.getMessage(), e);
                }
            } else {
                decoded = raw;
            }
            Reader reader = new Reader(file, new DigestInputStream(decoded, md5), gzip);
            int numDims = magic & 0xff;
            int headerBytes = 4 + 4 * numDims;
            byte[] header = new byte[headerBytes];
            int got = reader.read(header, 0, 4);
            if (got < 4) {
                throw new IdxFormatException(file, "truncated: expected at least " + headerBytes
                        + " bytes (the IDX header)" + reader.unit() + ", found " + got + reader.endedEarly());
            }
            int found = readInt(header, 0);
            if (found != magic) {
                throw new IdxFormatException(file, 0, "wrong magic number " + hex(found) + ", expected " + hex(magic)
                        + " (" + describeMagic(magic) + "); this file looks like " + describeMagic(found));
            }
            got += reader.read(header, 4, headerBytes - 4);
            if (got < headerBytes) {
                throw new IdxFormatException(file, "truncated: expected at least " + headerBytes
                        + " bytes (the IDX header)" + reader.unit() + ", found " + got + reader.endedEarly());
            }
            int[] dims = new int[numDims];
            long total = 1;
            for (int d = 0; d < numDims; d++) {
                dims[d] = readInt(header, 4 + 4 * d);
                if (dims[d] < 0) {
                    throw new IdxFormatException(file, 4 + 4 * d, "dimension " + d + " of the header is negative ("
                            + dims[d] + ")");
                }
                total *= dims[d];
                if (total > Integer.MAX_VALUE - 8) {
                    throw new IdxFormatException(file, 4 + 4 * d, "the header declares more than "
                            + (Integer.MAX_VALUE - 8) + " data bytes, which do not fit in one array");
                }
            }
            long expected = headerBytes + total;
            if (!gzip && expected > fileSize) {
                // Refused before allocating: a 16-byte file must not make the reader allocate what its header claims.
                throw new IdxFormatException(file, "truncated: the header declares " + declared(magic, dims)
                        + ", so the content should be " + expected + " bytes, found " + fileSize);
            }
            byte[] data = readUpTo(reader, (int) total);
            int n = data.length;
            if (n < total) {
                throw new IdxFormatException(file, "truncated: the header declares " + declared(magic, dims)
                        + ", so the content should be " + expected + " bytes" + reader.unit() + ", found "
                        + (headerBytes + n) + reader.endedEarly());
            }
            long extra = reader.skipRest();
            if (extra > 0) {
                throw new IdxFormatException(file, expected, "found " + extra + " bytes after the "
                        + expected + " bytes declared by the header (" + declared(magic, dims) + ")");
            }
            if (reader.gzipEndedEarly) {
                throw new IdxFormatException(file, "truncated gzip stream: the data is complete but the gzip "
                        + "trailer is missing");
            }
            return new Content(dims, data, headerBytes, fileSize, HexFormat.of().formatHex(md5.digest()));
        }
    }

    /**
     * Reads up to {@code total} bytes, growing the array as the bytes arrive, so that the memory used follows the data
     * actually present, not the size a (possibly corrupt) header declares: the uncompressed size of a gzip stream is
     * not known in advance. Returns fewer bytes only at the end of the content.
     */
    private static byte[] readUpTo(Reader reader, int total) throws IOException {
        byte[] data = new byte[Math.min(total, 1 << 20)];
        int n = 0;
        while (true) {
            n += reader.read(data, n, data.length - n);
            if (n < data.length || data.length == total) {
                return n == data.length ? data : Arrays.copyOf(data, n);
            }
            data = Arrays.copyOf(data, (int) Math.min(total, 2L * data.length));
        }
    }

    private static String declared(int magic, int[] dims) {
        if (magic == IMAGES_MAGIC) {
            return dims[0] + " images of " + dims[1] + "x" + dims[2] + " pixels";
        }
        return dims[0] + " labels";
    }

    private static String describeMagic(int magic) {
        if ((magic >>> 16) != 0) {
            return "no IDX file (IDX magic numbers start with two zero bytes)";
        }
        if (magic == IMAGES_MAGIC) {
            return "an IDX image file: unsigned bytes, 3 dimensions";
        }
        if (magic == LABELS_MAGIC) {
            return "an IDX label file: unsigned bytes, 1 dimension";
        }
        String type;
        switch ((magic >>> 8) & 0xff) {
            case 0x08: type = "unsigned bytes"; break;
            case 0x09: type = "signed bytes"; break;
            case 0x0B: type = "shorts"; break;
            case 0x0C: type = "ints"; break;
            case 0x0D: type = "floats"; break;
            case 0x0E: type = "doubles"; break;
            default: return "no IDX file (unknown IDX data type " + hex((magic >>> 8) & 0xff) + ")";
        }
        return "an IDX file of " + type + " with " + (magic & 0xff) + " dimensions";
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    private static String hex(int value) {
        return String.format("0x%08x", value);
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }

    private static void requireFile(Path file, String what) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, what + " not found");
        }
        if (!Files.isRegularFile(file)) {
            throw new IdxFormatException(file, "is not a regular file");
        }
    }

    private static Path findStandard(Path directory, String gzName) throws NoSuchFileException {
        Path gz = directory.resolve(gzName);
        if (Files.exists(gz)) {
            return gz;
        }
        Path plain = directory.resolve(gzName.substring(0, gzName.length() - GZ.length()));
        if (Files.exists(plain)) {
            return plain;
        }
        throw new NoSuchFileException(gz.toString(), null, "IDX file not found (also tried " + plain + ")");
    }
}
