package io.github.tribuokd.timeseries;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A small RFC 4180 tokenizer that knows the line each record starts on, for {@link CsvSeriesLoader}.
 * <p>
 * Fields are separated by commas and records by LF, CRLF or CR. A field whose first non-blank character is a double
 * quote is quoted: it runs to the matching closing quote, may contain commas and line breaks, writes a quote as two
 * quotes ({@code "say ""hi"""}), and is returned exactly as written between its quotes; only spaces and tabs may
 * follow its closing quote. An unquoted field is returned without surrounding spaces and tabs. A UTF-8 byte order
 * mark at the start of the input is skipped. A record holding nothing but spaces and tabs is returned as an empty
 * list so that the caller can decide what a blank line means.
 */
final class CsvRecordReader implements Closeable {

    private static final int EOF = -1;

    private final Path file;
    private final Reader in;
    private final char[] buffer = new char[1 << 16];
    private final StringBuilder field = new StringBuilder();
    private int position;
    private int limit;
    /** The 1-based line of the next character to be read. */
    private int line = 1;
    private int recordLine;
    private boolean started;

    /**
     * Creates a tokenizer over {@code in}; {@code file} only names the input in error messages.
     *
     * @param file The file being read.
     * @param in   The characters of the file; closed by {@link #close()}.
     */
    CsvRecordReader(Path file, Reader in) {
        this.file = Objects.requireNonNull(file, "file must not be null");
        this.in = Objects.requireNonNull(in, "in must not be null");
    }

    /**
     * Returns the 1-based line of the next character to be read (the line being read when reading fails).
     *
     * @return The line.
     */
    int line() {
        return line;
    }

    /**
     * Returns the 1-based line on which the record last returned by {@link #next()} starts.
     *
     * @return The line.
     */
    int recordLine() {
        return recordLine;
    }

    /**
     * Reads the next record.
     *
     * @return The fields of the record; an empty list for a blank line; {@code null} at the end of the input.
     * @throws SeriesFormatException If a quoted field is never closed or is followed by other text.
     * @throws IOException           If reading fails.
     */
    List<String> next() throws IOException {
        recordLine = line;
        int c = read();
        if (!started) {
            started = true;
            if (c == '\uFEFF') {
                c = read();
            }
        }
        if (c == EOF) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        boolean quoted = false;
        while (true) {
            field.setLength(0);
            while (c == ' ' || c == '\t') {
                c = read();
            }
            int column = fields.size() + 1;
            if (c == '"') {
                quoted = true;
                while (true) {
                    c = read();
                    if (c == EOF) {
                        throw new SeriesFormatException(file, recordLine, column,
                                "a quoted field is not closed before the end of the file");
                    }
                    if (c == '"') {
                        c = read();
                        if (c != '"') {
                            break;
                        }
                    }
                    field.append((char) c);
                }
                while (c == ' ' || c == '\t') {
                    c = read();
                }
                if (c != ',' && c != '\n' && c != EOF) {
                    throw new SeriesFormatException(file, recordLine, column, "unexpected text '"
                            + (char) c + "' after the closing quote of a quoted field (a quote inside a quoted "
                            + "field is written as two quotes)");
                }
                fields.add(field.toString());
            } else {
                while (c != ',' && c != '\n' && c != EOF) {
                    field.append((char) c);
                    c = read();
                }
                int end = field.length();
                while (end > 0 && (field.charAt(end - 1) == ' ' || field.charAt(end - 1) == '\t')) {
                    end--;
                }
                fields.add(field.substring(0, end));
            }
            if (c != ',') {
                break;
            }
            c = read();
        }
        if (!quoted && fields.size() == 1 && fields.get(0).isEmpty()) {
            return List.of();
        }
        return fields;
    }

    /** Returns the next character with CRLF and CR turned into LF, counting lines; {@link #EOF} at the end. */
    private int read() throws IOException {
        int c = rawRead();
        if (c == '\r') {
            if (peekRaw() == '\n') {
                position++;
            }
            c = '\n';
        }
        if (c == '\n') {
            line++;
        }
        return c;
    }

    private int rawRead() throws IOException {
        if (position == limit && !fill()) {
            return EOF;
        }
        return buffer[position++];
    }

    private int peekRaw() throws IOException {
        if (position == limit && !fill()) {
            return EOF;
        }
        return buffer[position];
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    /**
     * Closes the underlying reader.
     *
     * @throws IOException If closing fails.
     */
    @Override
    public void close() throws IOException {
        in.close();
    }
}
