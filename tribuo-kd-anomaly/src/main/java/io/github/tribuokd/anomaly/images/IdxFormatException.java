package io.github.tribuokd.anomaly.images;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Thrown when an IDX file is malformed: a wrong magic number, an impossible header, a truncated body, extra
 * bytes after the declared data, a label outside 0–9, broken gzip data, or an image file and a label file that
 * disagree on the number of items. The message names the file and, where it applies, the byte offset in the
 * (uncompressed) IDX content, e.g. {@code ".../t10k-labels-idx1-ubyte.gz at byte 13: label 12 of item 5 is outside 0-9"}.
 */
public final class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    /** The 0-based byte offset of the problem in the uncompressed content, or -1. */
    private final long offset;

    /**
     * Creates an exception about a position in a file.
     *
     * @param file   The file.
     * @param offset The 0-based byte offset of the problem in the uncompressed content, or -1 if the problem is
     *               not at one offset.
     * @param detail What is wrong (without the file and offset, which are prepended).
     */
    public IdxFormatException(Path file, long offset, String detail) {
        super(format(file, offset, detail));
        this.file = Objects.requireNonNull(file, "file must not be null");
        this.offset = offset < 0 ? -1 : offset;
    }

    /**
     * Creates an exception about a whole file.
     *
     * @param file   The file.
     * @param detail What is wrong (without the file, which is prepended).
     */
    public IdxFormatException(Path file, String detail) {
        this(file, -1, detail);
    }

    /**
     * Creates an exception caused by a lower-level failure (e.g. corrupt gzip data).
     *
     * @param file   The file.
     * @param offset The 0-based byte offset of the problem in the uncompressed content, or -1 if the problem is
     *               not at one offset.
     * @param detail What is wrong (without the file and offset, which are prepended).
     * @param cause  The underlying exception.
     */
    public IdxFormatException(Path file, long offset, String detail, Throwable cause) {
        this(file, offset, detail);
        initCause(cause);
    }

    private static String format(Path file, long offset, String detail) {
        StringBuilder sb = new StringBuilder(String.valueOf(file));
        if (offset >= 0) {
            sb.append(" at byte ").append(offset);
        }
        return sb.append(": ").append(detail).toString();
    }

    /**
     * Returns the file the problem was found in.
     *
     * @return The file.
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the 0-based byte offset of the problem in the uncompressed IDX content, or -1 if it concerns no
     * single offset.
     *
     * @return The offset.
     */
    public long offset() {
        return offset;
    }
}
