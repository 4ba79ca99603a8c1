package io.github.tribuokd.timeseries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a multivariate time series from a CSV file with a header row: one time step per data row, in file order.
 * <p>
 * Columns:
 * <ul>
 *     <li>an optional <b>timestamp column</b>, kept as the raw text of each row (not parsed; see
 *     {@link CsvSeries#timestamps()});</li>
 *     <li>an optional <b>label column</b> holding {@code 0}/{@code 1} or {@code false}/{@code true} (ignoring case),
 *     1 and true meaning anomalous; any other text, an empty cell included, is an error. A column holding one class
 *     only is accepted (a training file labelled all normal is common); evaluating against it is refused by the
 *     metrics, which need both classes;</li>
 *     <li>the <b>variables</b>: the columns named in the loader's list, in that order, or by default every column
 *     except the timestamp and label columns, in file order. Columns not chosen are not parsed.</li>
 * </ul>
 * A variable cell holds a decimal number ({@code 12}, {@code -0.5}, {@code 1e-3}) that fits a {@code float}, by the
 * rule of {@link DecimalNumbers} shared by every reader of this library. A cell
 * that is empty or reads {@code NaN}, {@code NA} or {@code null} (ignoring case) is missing and is handled by the
 * {@link MissingValuePolicy} (by default an error). Infinities, hexadecimal numbers ({@code 0x1p3}) and any other
 * text are errors.
 * <p>
 * Format: comma separated, RFC 4180 quoting (a quoted field may contain commas, line breaks and doubled quotes),
 * UTF-8 with an optional byte order mark, gzip when the file name ends in {@code .gz}. Spaces and tabs around an
 * unquoted field are ignored. Blank lines at the end of the file are ignored; a blank line followed by more data is
 * an error. The file is tokenized by this package's own small RFC 4180 reader rather than by Tribuo's
 * {@code org.tribuo.data.csv.CSVIterator}: that iterator returns each row as a map from header to value (which hides
 * duplicate header names), reports errors by record number rather than line and column, skips blank lines silently,
 * and would bring {@code tribuo-data} with OpenCSV into this module.
 * <p>
 * Errors in the file are {@link SeriesFormatException}s whose message names the file, the 1-based line (the header
 * is line 1; a record spanning several lines is reported at its first line) and, where one cell is at fault, the
 * 1-based column and its header name, for example
 * {@code data.csv line 7, column 3: value 'abc' of column 'temp' is not a number}. Errors in the loader's own
 * settings (a variable that is also the label column, a name listed twice) are {@link IllegalArgumentException}s
 * from the constructor. Instances are immutable and can load any number of files.
 */
public final class CsvSeriesLoader {

    private final String timeColumn;
    private final String labelColumn;
    private final List<String> variables;
    private final MissingValuePolicy missingValues;

    /**
     * Creates a loader that reads every column as a variable, with no timestamp or label column, and refuses
     * missing values.
     */
    public CsvSeriesLoader() {
        this(null, null, null, MissingValuePolicy.ERROR);
    }

    /**
     * Creates a loader.
     *
     * @param timeColumn    The header name of the timestamp column, or {@code null} for none.
     * @param labelColumn   The header name of the 0/1 label column, or {@code null} for none.
     * @param variables     The header names of the variable columns, in the order wanted; {@code null} or empty
     *                      for every column except the timestamp and label columns, in file order.
     * @param missingValues What to do with a missing variable value; {@code null} means
     *                      {@link MissingValuePolicy#ERROR}.
     * @throws IllegalArgumentException If a name is empty, a variable is listed twice, a variable is also the
     *                                  timestamp or label column, or the timestamp and label columns are the same.
     */
    public CsvSeriesLoader(String timeColumn, String labelColumn, List<String> variables,
                           MissingValuePolicy missingValues) {
        this.timeColumn = checkName(timeColumn, "timeColumn");
        this.labelColumn = checkName(labelColumn, "labelColumn");
        if (timeColumn != null && timeColumn.equals(labelColumn)) {
            throw new IllegalArgumentException("timeColumn and labelColumn are both '" + timeColumn + "'");
        }
        List<String> chosen = variables == null ? List.of() : List.copyOf(variables);
        Set<String> seen = new HashSet<>();
        for (String v : chosen) {
            checkName(v, "a variable name");
            if (!seen.add(v)) {
                throw new IllegalArgumentException("variable '" + v + "' is listed twice in " + chosen);
            }
            if (v.equals(timeColumn) || v.equals(labelColumn)) {
                throw new IllegalArgumentException("variable '" + v + "' is also the "
                        + (v.equals(timeColumn) ? "timestamp" : "label") + " column");
            }
        }
        this.variables = chosen;
        this.missingValues = missingValues == null ? MissingValuePolicy.ERROR : missingValues;
    }

    private static String checkName(String name, String what) {
        if (name != null && name.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty (use null for none)");
        }
        return name;
    }

    /**
     * Returns the name of the timestamp column, or {@code null} when there is none.
     *
     * @return The timestamp column.
     */
    public String timeColumn() {
        return timeColumn;
    }

    /**
     * Returns the name of the label column, or {@code null} when there is none.
     *
     * @return The label column.
     */
    public String labelColumn() {
        return labelColumn;
    }

    /**
     * Returns the chosen variable columns; empty means every column except the timestamp and label columns.
     *
     * @return An unmodifiable list of names.
     */
    public List<String> variables() {
        return variables;
    }

    /**
     * Returns the policy for missing variable values.
     *
     * @return The policy.
     */
    public MissingValuePolicy missingValues() {
        return missingValues;
    }

    /**
     * Reads a CSV file. The series is named after the file without the {@code .gz} and {@code .csv} extensions.
     *
     * @param file The file.
     * @return The series, its variable names and, with a timestamp column, the raw timestamps.
     * @throws NoSuchFileException   If the file does not exist.
     * @throws SeriesFormatException If the file is empty or has no data rows, a header name is repeated, a named
     *                               column is not in the header, a row has a different number of fields than the
     *                               header, a value is not a finite number, a value is missing under
     *                               {@link MissingValuePolicy#ERROR}, or a label is not 0/1/true/false.
     * @throws IOException           If reading fails.
     */
    public CsvSeries load(Path file) throws IOException {
        requireCsvFile(file);
        CsvRecordReader reader = null;
        try {
            reader = new CsvRecordReader(file, SmdLoader.open(file));
            return read(file, reader);
        } catch (IOException e) {
            throw SmdLoader.readFailure(file, reader == null ? 0 : reader.line(), e);
        } finally {
            if (reader != null) {
                reader.close();
            }
        }
    }

    /**
     * Reads only the header row of a CSV file (plain or gzip), e.g. to see which optional columns a file has.
     *
     * @param file The file.
     * @return The column names in order.
     * @throws NoSuchFileException   If the file does not exist.
     * @throws SeriesFormatException If the file is empty or its header row is blank.
     * @throws IOException           If reading fails.
     */
    public static List<String> header(Path file) throws IOException {
        requireCsvFile(file);
        CsvRecordReader reader = null;
        try {
            reader = new CsvRecordReader(file, SmdLoader.open(file));
            List<String> header = reader.next();
            if (header == null) {
                throw new SeriesFormatException(file, 0, 0, "empty file: a header row naming the columns is required");
            }
            if (header.isEmpty()) {
                throw new SeriesFormatException(file, 1, 0, "the header row is blank: it must name the columns");
            }
            return header;
        } catch (IOException e) {
            throw SmdLoader.readFailure(file, reader == null ? 0 : reader.line(), e);
        } finally {
            if (reader != null) {
                reader.close();
            }
        }
    }

    private CsvSeries read(Path file, CsvRecordReader reader) throws IOException {
        List<String> header = reader.next();
        if (header == null) {
            throw new SeriesFormatException(file, 0, 0, "empty file: a header row naming the columns is required");
        }
        if (header.isEmpty()) {
            throw new SeriesFormatException(file, 1, 0, "the header row is blank: it must name the columns");
        }
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < header.size(); c++) {
            Integer previous = index.putIfAbsent(header.get(c), c);
            if (previous != null) {
                throw new SeriesFormatException(file, 1, c + 1, "duplicate column name '" + header.get(c)
                        + "' (also column " + (previous + 1) + ")");
            }
        }
        int timeIndex = find(file, header, index, timeColumn, "timestamp column");
        int labelIndex = find(file, header, index, labelColumn, "label column");
        int[] varIndex;
        List<String> varNames;
        if (variables.isEmpty()) {
            varNames = new ArrayList<>();
            List<Integer> cols = new ArrayList<>();
            for (int c = 0; c < header.size(); c++) {
                if (c != timeIndex && c != labelIndex) {
                    cols.add(c);
                    varNames.add(header.get(c));
                }
            }
            if (cols.isEmpty()) {
                throw new SeriesFormatException(file, 1, 0, "no variable columns: the header " + header
                        + " holds only the timestamp and label columns");
            }
            varIndex = cols.stream().mapToInt(Integer::intValue).toArray();
        } else {
            varNames = variables;
            varIndex = new int[variables.size()];
            for (int v = 0; v < varIndex.length; v++) {
                varIndex[v] = find(file, header, index, variables.get(v), "variable");
            }
        }
        for (int v = 0; v < varIndex.length; v++) {
            if (varNames.get(v).isEmpty()) {
                throw new SeriesFormatException(file, 1, varIndex[v] + 1, "column " + (varIndex[v] + 1)
                        + " has an empty name; name it in the header or choose the variables explicitly");
            }
        }

        int numVars = varIndex.length;
        int numFields = header.size();
        float[] values = new float[(int) Math.min(Integer.MAX_VALUE - 8L, Math.max(256L * numVars, 1024))];
        int[] labels = labelIndex >= 0 ? new int[1024] : null;
        List<String> timestamps = timeIndex >= 0 ? new ArrayList<>() : null;
        float[] previous = null;
        int numRows = 0;
        int firstBlank = 0;
        List<String> record;
        while ((record = reader.next()) != null) {
            int line = reader.recordLine();
            if (record.isEmpty()) {
                if (firstBlank == 0) {
                    firstBlank = line;
                }
                continue;
            }
            if (firstBlank != 0) {
                throw new SeriesFormatException(file, firstBlank, 0, "blank line before more data");
            }
            if (record.size() != numFields) {
                throw new SeriesFormatException(file, line, 0, "expected " + numFields
                        + " fields as in the header, found " + record.size());
            }
            if ((long) (numRows + 1) * numVars > Integer.MAX_VALUE - 8) {
                throw new SeriesFormatException(file, line, 0, "too many values for one array");
            }
            if ((numRows + 1) * numVars > values.length) {
                values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8L, 2L * values.length));
            }
            int base = numRows * numVars;
            for (int v = 0; v < numVars; v++) {
                int c = varIndex[v];
                String token = record.get(c);
                float x;
                if (isMissing(token)) {
                    switch (missingValues) {
                        case ZERO:
                            x = 0f;
                            break;
                        case FORWARD_FILL:
                            if (previous == null) {
                                throw new SeriesFormatException(file, line, c + 1, "value of column '"
                                        + header.get(c) + "' is missing ('" + token + "') in the first data row, "
                                        + "so there is no earlier value to carry forward");
                            }
                            x = previous[v];
                            break;
                        default:
                            throw new SeriesFormatException(file, line, c + 1, "value of column '"
                                    + header.get(c) + "' is missing ('" + token + "'); choose the missing-value "
                                    + "policy FORWARD_FILL or ZERO to accept missing values");
                    }
                } else {
                    x = parseValue(file, line, c, header.get(c), token);
                }
                values[base + v] = x;
            }
            if (previous == null) {
                previous = new float[numVars];
            }
            System.arraycopy(values, base, previous, 0, numVars);
            if (labels != null) {
                if (numRows == labels.length) {
                    labels = Arrays.copyOf(labels, labels.length * 2);
                }
                labels[numRows] = parseLabel(file, line, labelIndex, header.get(labelIndex), record.get(labelIndex));
            }
            if (timestamps != null) {
                timestamps.add(record.get(timeIndex));
            }
            numRows++;
        }
        if (numRows == 0) {
            throw new SeriesFormatException(file, 0, 0, "no data rows: the file holds only the header");
        }
        if (labels != null) {
            labels = Arrays.copyOf(labels, numRows);
        }
        MultivariateSeries series = MultivariateSeries.wrap(SmdLoader.baseName(file, ".csv"), numRows, numVars,
                Arrays.copyOf(values, numRows * numVars), labels);
        return new CsvSeries(file, series, varNames, timestamps);
    }

    /** Returns the 0-based index of the column {@code name}, -1 when {@code name} is null. */
    private static int find(Path file, List<String> header, Map<String, Integer> index, String name, String what)
            throws SeriesFormatException {
        if (name == null) {
            return -1;
        }
        Integer c = index.get(name);
        if (c == null) {
            throw new SeriesFormatException(file, 1, 0, "no column named '" + name + "' (the " + what
                    + ") in the header; its columns are " + header);
        }
        return c;
    }

    private static boolean isMissing(String token) {
        return token.isEmpty() || token.equalsIgnoreCase("nan") || token.equalsIgnoreCase("na")
                || token.equalsIgnoreCase("null");
    }

    private static float parseValue(Path file, int line, int c, String name, String token)
            throws SeriesFormatException {
        String problem = DecimalNumbers.floatProblem(token);
        if (problem != null) {
            throw new SeriesFormatException(file, line, c + 1, "value '" + token + "' of column '" + name + "' "
                    + problem);
        }
        return Float.parseFloat(token);
    }

    private static int parseLabel(Path file, int line, int c, String name, String token)
            throws SeriesFormatException {
        if (token.equals("0") || token.equalsIgnoreCase("false")) {
            return 0;
        }
        if (token.equals("1") || token.equalsIgnoreCase("true")) {
            return 1;
        }
        throw new SeriesFormatException(file, line, c + 1, "label '" + token + "' of column '" + name
                + "' is not 0, 1, false or true");
    }

    /**
     * Returns a description of the settings.
     *
     * @return The description.
     */
    @Override
    public String toString() {
        return "CsvSeriesLoader(timeColumn=" + timeColumn + ", labelColumn=" + labelColumn + ", variables="
                + (variables.isEmpty() ? "all" : variables.toString()) + ", missingValues=" + missingValues + ")";
    }

    private static void requireCsvFile(Path file) throws NoSuchFileException {
        Objects.requireNonNull(file, "file must not be null");
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "CSV file not found");
        }
    }
}
