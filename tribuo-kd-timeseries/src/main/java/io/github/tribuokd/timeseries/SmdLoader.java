package io.github.tribuokd.timeseries;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Loads datasets in the SMD layout (Server Machine Dataset, Su et al., KDD 2019; also used for MSL and
 * SMAP):
 * <pre>
 * datasetDir/
 *   train/&lt;entity&gt;.txt or .txt.gz        one time step per line, no header, no labels
 *   test/&lt;entity&gt;.txt or .txt.gz         same format
 *   test_label/&lt;entity&gt;.txt or .txt.gz   one 0/1 per test line
 * </pre>
 * Values are separated by commas (optionally padded with spaces) or, when a line has no comma, by
 * whitespace. Each value is a decimal number that fits a {@code float}, by the rule of {@link DecimalNumbers}
 * shared by every reader of this library (hexadecimal floats, NaN and infinities are refused). Files whose name ends in {@code .gz} (any case) are read as gzip. When both
 * {@code <entity>.txt} and {@code <entity>.txt.gz} exist, the uncompressed {@code .txt} is used.
 * <p>
 * Blank lines at the end of a file are ignored; a blank line followed by data is an error. A UTF-8 byte
 * order mark at the start of a file is skipped.
 * <p>
 * Every problem with a file's content is reported as a {@link SeriesFormatException} (an
 * {@link IOException}) whose message names the file and the 1-based line and column, for example
 * {@code .../train/machine-1-1.txt.gz line 17: expected 38 columns, found 37} or
 * {@code ... line 5, column 3: 'abc' is not a number}. A {@code .gz} file that is empty, truncated or not gzip
 * is a {@link SeriesFormatException} saying so. Missing files are reported as
 * {@link NoSuchFileException} naming every path that was tried.
 */
public final class SmdLoader {

    /** The folder holding training series. */
    public static final String TRAIN_DIR = "train";
    /** The folder holding test series. */
    public static final String TEST_DIR = "test";
    /** The folder holding test labels. */
    public static final String TEST_LABEL_DIR = "test_label";

    private static final String TXT = ".txt";
    private static final String TXT_GZ = ".txt.gz";
    private static final int BUFFER_SIZE = 1 << 16;

    private SmdLoader() {
    }

    /**
     * Loads one entity: the training series (unlabelled, named {@code "<entity>/train"}) and the test
     * series labelled from {@code test_label} (named {@code "<entity>/test"}).
     *
     * @param datasetDir The dataset folder, holding {@code train/}, {@code test/} and {@code test_label/}.
     * @param entity     The entity name, e.g. {@code "machine-1-5"} (no extension, no path separators).
     * @return The entity.
     * @throws NoSuchFileException      If a folder or file is missing; the message lists the paths tried.
     * @throws SeriesFormatException    If a file is malformed, the train and test files have different
     *                                  column counts, or the label count differs from the test row count.
     * @throws IOException              If reading fails.
     * @throws IllegalArgumentException If {@code entity} is empty or contains a path separator.
     */
    public static SmdEntity load(Path datasetDir, String entity) throws IOException {
        Objects.requireNonNull(datasetDir, "datasetDir must not be null");
        checkEntityName(entity);
        requireDirectory(datasetDir, "dataset directory");
        Path trainFile = resolve(datasetDir, TRAIN_DIR, entity);
        Path testFile = resolve(datasetDir, TEST_DIR, entity);
        Path labelFile = resolve(datasetDir, TEST_LABEL_DIR, entity);

        Matrix train = parseMatrix(trainFile);
        Matrix test = parseMatrix(testFile);
        if (train.numCols != test.numCols) {
            throw new SeriesFormatException(testFile, "column count mismatch: " + trainFile + " has "
                    + train.numCols + " columns but " + testFile + " has " + test.numCols);
        }
        int[] labels = readLabels(labelFile);
        if (labels.length != test.numRows) {
            throw new SeriesFormatException(labelFile, "label count mismatch: " + labelFile + " has "
                    + labels.length + " labels but " + testFile + " has " + test.numRows + " rows");
        }
        MultivariateSeries trainSeries = MultivariateSeries.wrap(entity + "/" + TRAIN_DIR,
                train.numRows, train.numCols, train.values, null);
        MultivariateSeries testSeries = MultivariateSeries.wrap(entity + "/" + TEST_DIR,
                test.numRows, test.numCols, test.values, labels);
        return new SmdEntity(entity, trainSeries, testSeries, new int[]{0}, new int[]{0}, trainFile.toString(),
                testFile.toString());
    }

    /**
     * Loads every entity of a dataset as one series: the channels listed in {@code datasetDir/channels.txt} (one
     * name per line) concatenated in that order, train after train and test after test, the test labelled from
     * {@code datasetDir/<NAME>_test_label_concat.txt} if present (else from the per-entity label files). This is
     * how MSL and SMAP are used by seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md) (MSL: 58,317 training and 73,729 test points of 55 variables).
     *
     * @param datasetDir The dataset folder.
     * @return The concatenated series as one entity named after the folder, with every channel's first training and
     *         test point ({@link SmdEntity#trainSegmentStarts()}, {@link SmdEntity#testSegmentStarts()}).
     * @throws NoSuchFileException   If {@code channels.txt} or an entity's files are missing.
     * @throws SeriesFormatException If channels have different column counts or the label count differs from the
     *                               concatenated test length.
     * @throws IOException           If reading fails.
     */
    public static SmdEntity loadConcatenated(Path datasetDir) throws IOException {
        Objects.requireNonNull(datasetDir, "datasetDir must not be null");
        requireDirectory(datasetDir, "dataset directory");
        Path channelsFile = datasetDir.resolve("channels.txt");
        if (!Files.isRegularFile(channelsFile)) {
            throw new NoSuchFileException(channelsFile.toString(), null,
                    "loadConcatenated needs the channel order in channels.txt");
        }
        List<String> channels = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(channelsFile)) {
            if (!line.isBlank()) {
                channels.add(line.trim());
            }
        }
        if (channels.isEmpty()) {
            throw new SeriesFormatException(channelsFile, "no channel names");
        }
        String name = datasetDir.toAbsolutePath().normalize().getFileName().toString();
        Path concatLabels = datasetDir.resolve(name + "_test_label_concat.txt");
        List<SmdEntity> parts = new java.util.ArrayList<>();
        int trainRows = 0;
        int testRows = 0;
        int width = -1;
        for (String channel : channels) {
            SmdEntity e = load(datasetDir, channel);
            if (width >= 0 && e.train().numVariables() != width) {
                throw new SeriesFormatException(resolve(datasetDir, TRAIN_DIR, channel), "channel " + channel + " has "
                        + e.train().numVariables() + " columns, the channels before it " + width);
            }
            width = e.train().numVariables();
            trainRows += e.train().numSteps();
            testRows += e.test().numSteps();
            parts.add(e);
        }
        float[] train = new float[Math.multiplyExact(trainRows, width)];
        float[] test = new float[Math.multiplyExact(testRows, width)];
        int[] labels = new int[testRows];
        int tr = 0;
        int te = 0;
        int[] trainStarts = new int[parts.size()];
        int[] testStarts = new int[parts.size()];
        int part = 0;
        for (SmdEntity e : parts) {
            trainStarts[part] = tr;
            testStarts[part++] = te;
            System.arraycopy(e.train().valuesView(), 0, train, tr * width, e.train().numSteps() * width);
            System.arraycopy(e.test().valuesView(), 0, test, te * width, e.test().numSteps() * width);
            for (int t = 0; t < e.test().numSteps(); t++) {
                labels[te + t] = e.test().label(t);
            }
            tr += e.train().numSteps();
            te += e.test().numSteps();
        }
        if (Files.isRegularFile(concatLabels)) {
            int[] concat = readLabels(concatLabels);
            if (concat.length != testRows) {
                throw new SeriesFormatException(concatLabels, "label count mismatch: " + concat.length
                        + " labels for " + testRows + " concatenated test rows");
            }
            labels = concat;
        }
        String entity = name + " (" + channels.size() + " channels concatenated)";
        String files = " files of the " + channels.size() + " channels in " + channelsFile + ", concatenated";
        return new SmdEntity(entity, MultivariateSeries.wrap(entity + "/" + TRAIN_DIR, trainRows, width, train, null),
                MultivariateSeries.wrap(entity + "/" + TEST_DIR, testRows, width, test, labels), trainStarts, testStarts,
                "the " + datasetDir.resolve(TRAIN_DIR) + files, "the " + datasetDir.resolve(TEST_DIR) + files);
    }

    /**
     * Lists the entities of a dataset: the sorted, distinct names of the {@code .txt} and
     * {@code .txt.gz} files in {@code datasetDir/train}, without extension.
     *
     * @param datasetDir The dataset folder.
     * @return The sorted entity names (possibly empty).
     * @throws NoSuchFileException If {@code datasetDir/train} is not a folder.
     * @throws IOException         If the folder cannot be listed.
     */
    public static List<String> listEntities(Path datasetDir) throws IOException {
        Objects.requireNonNull(datasetDir, "datasetDir must not be null");
        Path trainDir = datasetDir.resolve(TRAIN_DIR);
        requireDirectory(trainDir, "training folder");
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(trainDir)) {
            files.filter(Files::isRegularFile).forEach(p -> {
                String fileName = p.getFileName().toString();
                if (fileName.endsWith(TXT_GZ) && fileName.length() > TXT_GZ.length()) {
                    names.add(fileName.substring(0, fileName.length() - TXT_GZ.length()));
                } else if (fileName.endsWith(TXT) && fileName.length() > TXT.length()) {
                    names.add(fileName.substring(0, fileName.length() - TXT.length()));
                }
            });
        }
        return List.copyOf(names);
    }

    /**
     * Reads one series file (no labels). The series is named after the file, without {@code .gz} and
     * {@code .txt}.
     *
     * @param file The file; gzip if its name ends in {@code .gz}.
     * @return The series.
     * @throws NoSuchFileException   If the file does not exist.
     * @throws SeriesFormatException If the file is empty, ragged, or holds a value that is not a finite
     *                               number; the message names the file, line and column.
     * @throws IOException           If reading fails.
     */
    public static MultivariateSeries readMatrix(Path file) throws IOException {
        Matrix m = parseMatrix(file);
        return MultivariateSeries.wrap(baseName(file, TXT), m.numRows, m.numCols, m.values, null);
    }

    /**
     * Reads a label file: one label per line, 0 (normal) or 1 (anomalous). A label may be written as an
     * integer or as a number equal to 0 or 1 ({@code 1.0}, {@code 0.000e+00}).
     *
     * @param file The file; gzip if its name ends in {@code .gz}.
     * @return The labels, one per line.
     * @throws NoSuchFileException   If the file does not exist.
     * @throws SeriesFormatException If the file is empty or a line does not hold exactly one 0/1 label;
     *                               the message names the file and line.
     * @throws IOException           If reading fails.
     */
    public static int[] readLabels(Path file) throws IOException {
        requireFile(file);
        int[] labels = new int[1024];
        int count = 0;
        DataLines lines = null;
        try (BufferedReader reader = open(file)) {
            lines = new DataLines(file, reader);
            String line;
            while ((line = lines.next()) != null) {
                int label = parseLabel(file, lines.lineNo, line.strip());
                if (count == labels.length) {
                    labels = Arrays.copyOf(labels, labels.length * 2);
                }
                labels[count++] = label;
            }
        } catch (IOException e) {
            throw readFailure(file, lines == null ? 0 : lines.lineNo, e);
        }
        if (count == 0) {
            throw new SeriesFormatException(file, 0, 0, "empty file, no labels");
        }
        return Arrays.copyOf(labels, count);
    }

    private static int parseLabel(Path file, int lineNo, String token) throws SeriesFormatException {
        if (token.length() == 1) {
            char c = token.charAt(0);
            if (c == '0') {
                return 0;
            } else if (c == '1') {
                return 1;
            }
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == ',' || Character.isWhitespace(c)) {
                throw new SeriesFormatException(file, lineNo, 0, "expected one label per line, found '" + token + "'");
            }
        }
        if (DecimalNumbers.isDecimal(token)) {
            double d = Double.parseDouble(token);
            if (d == 0.0) {
                return 0;
            } else if (d == 1.0) {
                return 1;
            }
        }
        throw new SeriesFormatException(file, lineNo, 0, "label '" + token + "' is not 0 or 1");
    }

    // ------------------------------------------------------------------ matrix parsing

    /** A parsed matrix: row-major values. */
    private static final class Matrix {
        final int numRows;
        final int numCols;
        final float[] values;

        Matrix(int numRows, int numCols, float[] values) {
            this.numRows = numRows;
            this.numCols = numCols;
            this.values = values;
        }
    }

    private static Matrix parseMatrix(Path file) throws IOException {
        requireFile(file);
        float[] values = new float[1 << 16];
        int size = 0;
        int numCols = -1;
        int numRows = 0;
        float[] row = new float[64];
        DataLines lines = null;
        try (BufferedReader reader = open(file)) {
            lines = new DataLines(file, reader);
            String line;
            while ((line = lines.next()) != null) {
                int lineNo = lines.lineNo;
                int found = parseRow(file, lineNo, line, numCols < 0 ? null : row, numCols);
                if (numCols < 0) {
                    // first row: parseRow counted the columns; parse again into a buffer of the right size
                    numCols = found;
                    row = new float[numCols];
                    parseRow(file, lineNo, line, row, numCols);
                } else if (found != numCols) {
                    throw new SeriesFormatException(file, lineNo, 0,
                            "expected " + numCols + " columns, found " + found);
                }
                if (size + numCols > values.length) {
                    long newLength = Math.max((long) values.length * 2, (long) size + numCols);
                    if (newLength > Integer.MAX_VALUE - 8) {
                        throw new SeriesFormatException(file, lineNo, 0, "too many values for one array");
                    }
                    values = Arrays.copyOf(values, (int) newLength);
                }
                System.arraycopy(row, 0, values, size, numCols);
                size += numCols;
                numRows++;
            }
        } catch (IOException e) {
            throw readFailure(file, lines == null ? 0 : lines.lineNo, e);
        }
        if (numRows == 0) {
            throw new SeriesFormatException(file, 0, 0, "empty file, no data rows");
        }
        return new Matrix(numRows, numCols, size == values.length ? values : Arrays.copyOf(values, size));
    }

    /**
     * Parses one non-blank line. When {@code dest} is null only validates and counts the columns;
     * otherwise writes at most {@code expected} values into {@code dest} and keeps counting (and
     * validating) beyond that so the error can report the real column count.
     *
     * @return The number of columns found.
     */
    private static int parseRow(Path file, int lineNo, String line, float[] dest, int expected)
            throws SeriesFormatException {
        int len = line.length();
        int col = 0;
        if (line.indexOf(',') >= 0) {
            int pos = 0;
            while (true) {
                int end = line.indexOf(',', pos);
                if (end < 0) {
                    end = len;
                }
                int s = pos;
                int e = end;
                while (s < e && Character.isWhitespace(line.charAt(s))) {
                    s++;
                }
                while (e > s && Character.isWhitespace(line.charAt(e - 1))) {
                    e--;
                }
                col++;
                if (s == e) {
                    throw new SeriesFormatException(file, lineNo, col, "empty value");
                }
                float v = parseValue(file, lineNo, col, line.substring(s, e));
                if (dest != null && col <= expected) {
                    dest[col - 1] = v;
                }
                if (end == len) {
                    break;
                }
                pos = end + 1;
            }
        } else {
            int pos = 0;
            while (true) {
                while (pos < len && Character.isWhitespace(line.charAt(pos))) {
                    pos++;
                }
                if (pos >= len) {
                    break;
                }
                int s = pos;
                while (pos < len && !Character.isWhitespace(line.charAt(pos))) {
                    pos++;
                }
                col++;
                float v = parseValue(file, lineNo, col, line.substring(s, pos));
                if (dest != null && col <= expected) {
                    dest[col - 1] = v;
                }
            }
        }
        return col;
    }

    private static float parseValue(Path file, int lineNo, int col, String token) throws SeriesFormatException {
        String problem = DecimalNumbers.floatProblem(token);
        if (problem != null) {
            throw new SeriesFormatException(file, lineNo, col, "'" + token + "' " + problem);
        }
        return Float.parseFloat(token);
    }

    // ------------------------------------------------------------------ files

    /**
     * Opens a text file as UTF-8 (malformed bytes read as U+FFFD, so that they surface as a value that is not a
     * number, with its line and column), through gzip when the name ends in {@code .gz} (any case). Callers pass
     * a failure through {@link #readFailure(Path, int, IOException)}.
     */
    static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            if (isGzipName(file)) {
                in = new GZIPInputStream(in, BUFFER_SIZE);
            }
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), BUFFER_SIZE);
    }

    private static boolean isGzipName(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    /**
     * Turns a failure while reading {@code file} into an exception whose message names the file and says what is
     * wrong in words: the JDK reports a gzip file that ends early (a 0-byte file, an interrupted download or copy)
     * as an {@link EOFException} without a message.
     *
     * @param file  The file being read.
     * @param line  The 1-based line being read when it failed, 0 if none was read yet.
     * @param cause The failure.
     * @return A {@link SeriesFormatException} for content that is not valid gzip; {@code cause} itself when it is
     *         already a {@link SeriesFormatException}; otherwise an {@link IOException} naming the file.
     */
    static IOException readFailure(Path file, int line, IOException cause) {
        if (cause instanceof SeriesFormatException) {
            return cause;
        }
        String where = line > 1 ? " (after " + (line - 1) + " complete lines)" : "";
        IOException described;
        if (isGzipName(file) && cause instanceof EOFException) {
            long size = sizeOf(file);
            described = new SeriesFormatException(file, size == 0
                    ? file + ": empty file (0 bytes); a .gz file must hold gzip-compressed data"
                    : file + ": the gzip data ends early" + where + ": the file (" + size + " bytes) is truncated, "
                    + "e.g. by an interrupted download or copy");
        } else if (isGzipName(file) && cause instanceof ZipException) {
            described = new SeriesFormatException(file, file + ": not valid gzip data" + where + " ("
                    + cause.getMessage() + "); the name ends in .gz, so the file is read as gzip");
        } else {
            described = new IOException(file + ": " + (cause.getMessage() == null ? cause.getClass().getName()
                    : cause.getMessage()), cause);
        }
        if (described.getCause() == null) {
            described.initCause(cause);
        }
        return described;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    static Path resolve(Path datasetDir, String sub, String entity) throws NoSuchFileException {
        Path dir = datasetDir.resolve(sub);
        Path txt = dir.resolve(entity + TXT);
        Path gz = dir.resolve(entity + TXT_GZ);
        if (Files.isRegularFile(txt)) {
            return txt;
        }
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new NoSuchFileException(null, null, "no " + sub + " file for entity '" + entity + "': tried "
                + txt + " and " + gz);
    }

    /**
     * The lines of a labels or values file that hold data, in order: a byte order mark on the first line is dropped,
     * and blank lines may only end the file.
     */
    private static final class DataLines {
        private final Path file;
        private final BufferedReader reader;
        /** The number of the line last read (1-based; 0 before the first). */
        private int lineNo;
        private int firstBlank;

        DataLines(Path file, BufferedReader reader) {
            this.file = file;
            this.reader = reader;
        }

        /**
         * The next line that is not blank.
         * @return The line, or null at the end of the file.
         * @throws SeriesFormatException If it follows a blank line.
         * @throws IOException If reading fails.
         */
        String next() throws IOException {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (lineNo == 1) {
                    line = DecimalNumbers.stripByteOrderMark(line);
                }
                if (line.isBlank()) {
                    if (firstBlank == 0) {
                        firstBlank = lineNo;
                    }
                    continue;
                }
                if (firstBlank != 0) {
                    throw new SeriesFormatException(file, firstBlank, 0, "empty line before more data");
                }
                return line;
            }
            return null;
        }
    }

    private static void requireFile(Path file) throws NoSuchFileException {
        Objects.requireNonNull(file, "file must not be null");
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(null, null, "file not found: " + file);
        }
    }

    private static void requireDirectory(Path dir, String what) throws NoSuchFileException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(null, null, what + " not found: " + dir);
        }
    }

    private static void checkEntityName(String entity) {
        Objects.requireNonNull(entity, "entity must not be null");
        if (entity.isBlank() || entity.equals(".") || entity.equals("..")
                || entity.indexOf('/') >= 0 || entity.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("invalid entity name '" + entity
                    + "': must be a plain file name without extension or path separators");
        }
    }

    /**
     * A file's name without a {@code .gz} ending and then without {@code extension} (ignoring case; a name that is
     * only the extension keeps it).
     * @param file The file.
     * @param extension The extension with its dot, in lower case, e.g. {@code .txt}.
     * @return The base name.
     */
    static String baseName(Path file, String extension) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
            lower = lower.substring(0, lower.length() - 3);
        }
        if (lower.endsWith(extension) && name.length() > extension.length()) {
            name = name.substring(0, name.length() - extension.length());
        }
        return name;
    }
}
