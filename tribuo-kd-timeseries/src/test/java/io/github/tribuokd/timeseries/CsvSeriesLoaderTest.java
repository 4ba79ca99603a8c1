package io.github.tribuokd.timeseries;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvSeriesLoaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static CsvSeriesLoader loader(String time, String label, List<String> variables,
                                          MissingValuePolicy policy) {
        return new CsvSeriesLoader(time, label, variables, policy);
    }

    /** Loads {@code content} and asserts a format error at the given position whose message contains every text. */
    private SeriesFormatException assertError(CsvSeriesLoader loader, String content, int line, int column,
                                              String... texts) throws IOException {
        Path file = write("bad.csv", content);
        SeriesFormatException e = assertThrows(SeriesFormatException.class, () -> loader.load(file));
        assertEquals(file, e.file());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        if (line > 0) {
            String position = column > 0 ? " line " + line + ", column " + column + ": " : " line " + line + ": ";
            assertTrue(e.getMessage().contains(position), e.getMessage());
        }
        for (String text : texts) {
            assertTrue(e.getMessage().contains(text), "'" + text + "' not in: " + e.getMessage());
        }
        return e;
    }

    // ------------------------------------------------------------------ happy paths

    @Test
    void everyColumnIsAVariableByDefault() throws IOException {
        Path file = write("plain.csv", "a,b,c\n1,2,3\n4.5,-5,6e-1\n");
        CsvSeries csv = new CsvSeriesLoader().load(file);
        MultivariateSeries s = csv.series();
        assertEquals("plain", s.name());
        assertEquals(2, s.numSteps());
        assertEquals(3, s.numVariables());
        assertArrayEquals(new float[]{1, 2, 3, 4.5f, -5, 0.6f}, s.copyValues());
        assertFalse(s.hasLabels());
        assertEquals(List.of("a", "b", "c"), csv.variableNames());
        assertTrue(csv.timestamps().isEmpty());
        assertEquals(file, csv.file());
    }

    @Test
    void timeAndLabelColumnsAreSetAside() throws IOException {
        Path file = write("tl.csv", "time,x,label,y\n"
                + "2024-01-01 00:00,1,0,10\r\n"
                + "2024-01-01 00:01,2,1,20\r\n"
                + "2024-01-01 00:02,3,false,30\r\n"
                + "2024-01-01 00:03,4,TRUE,40\r\n");
        CsvSeries csv = loader("time", "label", null, null).load(file);
        MultivariateSeries s = csv.series();
        assertEquals(List.of("x", "y"), csv.variableNames());
        assertArrayEquals(new float[]{1, 10, 2, 20, 3, 30, 4, 40}, s.copyValues());
        assertArrayEquals(new int[]{0, 1, 0, 1}, s.copyLabels());
        assertEquals(List.of("2024-01-01 00:00", "2024-01-01 00:01", "2024-01-01 00:02", "2024-01-01 00:03"),
                csv.timestamps().orElseThrow());
    }

    @Test
    void onlyATimeColumn() throws IOException {
        Path file = write("t.csv", "ts,x\n17:00,1\n17:01,2\n");
        CsvSeries csv = loader("ts", null, null, null).load(file);
        assertEquals(List.of("x"), csv.variableNames());
        assertEquals(List.of("17:00", "17:01"), csv.timestamps().orElseThrow());
        assertFalse(csv.series().hasLabels());
    }

    @Test
    void onlyALabelColumn() throws IOException {
        Path file = write("l.csv", "x,anomaly\n1,0\n2,1\n");
        CsvSeries csv = loader(null, "anomaly", null, null).load(file);
        assertArrayEquals(new int[]{0, 1}, csv.series().copyLabels());
        assertTrue(csv.timestamps().isEmpty());
    }

    @Test
    void chosenVariablesInTheirOrderAndOtherColumnsUnread() throws IOException {
        Path file = write("chosen.csv", "host,c,b,a\nweb-1,3,2,1\nweb-2,6,5,4\n");
        CsvSeries csv = loader(null, null, List.of("a", "c"), null).load(file);
        assertEquals(List.of("a", "c"), csv.variableNames());
        assertArrayEquals(new float[]{1, 3, 4, 6}, csv.series().copyValues());
    }

    @Test
    void quotedFields() throws IOException {
        Path file = write("quoted.csv", "\"time, local\",\"x\",y\n"
                + "\"Mon, 1 Jan\", \"1.5\" ,2\n"
                + "\"Tue, \"\"2\"\" Jan\",3,\"4\"\n"
                + "\"Wed\n3 Jan\",5,6\n");
        CsvSeries csv = loader("time, local", null, null, null).load(file);
        assertEquals(List.of("x", "y"), csv.variableNames());
        assertArrayEquals(new float[]{1.5f, 2, 3, 4, 5, 6}, csv.series().copyValues());
        assertEquals(List.of("Mon, 1 Jan", "Tue, \"2\" Jan", "Wed\n3 Jan"), csv.timestamps().orElseThrow());
    }

    @Test
    void spacesBomTrailingBlankLinesAndGzip() throws IOException {
        String content = "\uFEFF a , b \n 1 , 2 \n3,4\n\n  \n";
        CsvSeries plain = new CsvSeriesLoader().load(write("spaced.csv", content));
        assertEquals(List.of("a", "b"), plain.variableNames());
        assertArrayEquals(new float[]{1, 2, 3, 4}, plain.series().copyValues());

        Path gz = dir.resolve("zipped.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        CsvSeries zipped = new CsvSeriesLoader().load(gz);
        assertEquals("zipped", zipped.series().name());
        assertArrayEquals(plain.series().copyValues(), zipped.series().copyValues());
    }

    @Test
    void missingValuesForwardFilled() throws IOException {
        Path file = write("ff.csv", "x,y\n1,2\n,NaN\nNA,5\nnull,nan\n7,\"\"\n");
        CsvSeries csv = loader(null, null, null, MissingValuePolicy.FORWARD_FILL).load(file);
        assertArrayEquals(new float[]{1, 2, 1, 2, 1, 5, 1, 5, 7, 5}, csv.series().copyValues());
    }

    @Test
    void missingValuesZeroed() throws IOException {
        Path file = write("zero.csv", "x,y\n1,2\n,NaN\nNA,5\nnull,nan\n");
        CsvSeries csv = loader(null, null, null, MissingValuePolicy.ZERO).load(file);
        assertArrayEquals(new float[]{1, 2, 0, 0, 0, 5, 0, 0}, csv.series().copyValues());
    }

    @Test
    void missingValuesRefusedByDefault() throws IOException {
        for (String missing : new String[]{"", "NaN", "nan", "NA", "null"}) {
            assertError(new CsvSeriesLoader(), "x,y\n1,2\n3," + missing + "\n", 3, 2,
                    "column 'y'", "missing", "FORWARD_FILL");
        }
    }

    // ------------------------------------------------------------------ errors

    @Test
    void forwardFillNeedsAnEarlierValue() throws IOException {
        assertError(loader(null, null, null, MissingValuePolicy.FORWARD_FILL), "x,y\n1,\n2,3\n", 2, 2,
                "column 'y'", "first data row");
    }

    @Test
    void nonNumericText() throws IOException {
        assertError(new CsvSeriesLoader(), "time,temp\n1,20\n2,warm\n", 3, 2, "'warm'", "column 'temp'",
                "not a number");
        assertError(new CsvSeriesLoader(), "a,b\n1,0x1p3\n", 2, 2, "'0x1p3'", "hexadecimal");
    }

    /** Issue 23: the CSV loader opens .gz through the same reader as the SMD loader, and said "...gz: null". */
    @Test
    void emptyOrTruncatedGzipIsNamed() throws IOException {
        Path empty = dir.resolve("empty.csv.gz");
        Files.write(empty, new byte[0]);
        SeriesFormatException e = assertThrows(SeriesFormatException.class, () -> new CsvSeriesLoader().load(empty));
        assertTrue(e.getMessage().contains(empty + ": empty file (0 bytes)"), e.getMessage());
        e = assertThrows(SeriesFormatException.class, () -> CsvSeriesLoader.header(empty));
        assertTrue(e.getMessage().contains("empty file (0 bytes)"), e.getMessage());

        Path whole = dir.resolve("whole.csv.gz");
        StringBuilder sb = new StringBuilder("a,b\n");
        for (int i = 0; i < 5000; i++) {
            sb.append(i).append(',').append(i * 7 % 13).append('\n');
        }
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(whole))) {
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = Files.readAllBytes(whole);
        for (int cut : new int[]{bytes.length / 2, bytes.length - 3}) {
            Path f = dir.resolve("cut" + cut + ".csv.gz");
            Files.write(f, java.util.Arrays.copyOf(bytes, cut));
            e = assertThrows(SeriesFormatException.class, () -> new CsvSeriesLoader().load(f));
            assertTrue(e.getMessage().startsWith(f + ": the gzip data ends early"), e.getMessage());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            assertFalse(e.getMessage().contains("null"), e.getMessage());
        }
    }

    @Test
    void infinities() throws IOException {
        for (String inf : new String[]{"inf", "-Infinity", "+INF", "Infinity"}) {
            assertError(new CsvSeriesLoader(), "a,b\n1,2\n" + inf + ",3\n", 3, 1, "'" + inf + "'",
                    "column 'a'", "not a finite number");
        }
        assertError(new CsvSeriesLoader(), "a,b\n1,1e39\n", 2, 2, "'1e39'", "float range");
    }

    @Test
    void raggedRows() throws IOException {
        assertError(new CsvSeriesLoader(), "a,b,c\n1,2,3\n4,5\n", 3, 0, "expected 3 fields", "found 2");
        assertError(new CsvSeriesLoader(), "a,b,c\n1,2,3\n4,5,6,7\n", 3, 0, "expected 3 fields", "found 4");
    }

    @Test
    void recordSpanningLinesIsReportedAtItsFirstLine() throws IOException {
        assertError(loader("t", null, null, null), "t,x\n\"a\nb\",1\n\"c\",oops\n", 4, 2, "'oops'");
    }

    @Test
    void blankLineBeforeData() throws IOException {
        assertError(new CsvSeriesLoader(), "a\n1\n\n2\n", 3, 0, "blank line");
    }

    @Test
    void missingNamedColumns() throws IOException {
        String content = "a,b\n1,2\n";
        assertError(loader(null, null, List.of("a", "zz"), null), content, 1, 0, "'zz'", "[a, b]");
        assertError(loader("time", null, null, null), content, 1, 0, "'time'", "timestamp column");
        assertError(loader(null, "label", null, null), content, 1, 0, "'label'", "label column");
    }

    @Test
    void duplicateHeaderNames() throws IOException {
        assertError(new CsvSeriesLoader(), "a,b,a\n1,2,3\n", 1, 3, "duplicate column name 'a'", "column 1");
    }

    @Test
    void emptyFileAndHeaderOnly() throws IOException {
        assertError(new CsvSeriesLoader(), "", 0, 0, "empty file", "header");
        assertError(new CsvSeriesLoader(), "a,b\n", 0, 0, "no data rows");
        assertError(new CsvSeriesLoader(), "a,b\n\n\n", 0, 0, "no data rows");
        assertError(new CsvSeriesLoader(), "\na,b\n1,2\n", 1, 0, "header row is blank");
    }

    @Test
    void badLabels() throws IOException {
        CsvSeriesLoader labelled = loader(null, "y", null, null);
        assertError(labelled, "x,y\n1,0\n2,2\n", 3, 2, "label '2'", "column 'y'");
        assertError(labelled, "x,y\n1,0\n2,yes\n", 3, 2, "label 'yes'");
        assertError(labelled, "x,y\n1,1\n2,\n", 3, 2, "label ''");
        assertError(labelled, "x,y\n1,0.5\n2,1\n", 2, 2, "label '0.5'");
    }

    @Test
    void labelColumnWithOneClassIsAccepted() throws IOException {
        CsvSeriesLoader labelled = loader(null, "y", null, null);
        CsvSeries normal = labelled.load(write("normal.csv", "x,y\n1,0\n2,0\n3,false\n"));
        assertEquals(0, normal.series().numAnomalousSteps());
        assertEquals(3, normal.series().numSteps());
    }

    @Test
    void unnamedColumnMustBeNamedOrLeftOut() throws IOException {
        String content = ",x\n0,1.5\n1,2.5\n";
        assertError(new CsvSeriesLoader(), content, 1, 1, "empty name");
        CsvSeries csv = loader(null, null, List.of("x"), null).load(write("ok.csv", content));
        assertArrayEquals(new float[]{1.5f, 2.5f}, csv.series().copyValues());
    }

    @Test
    void onlyTimeAndLabelColumns() throws IOException {
        assertError(loader("t", "y", null, null), "t,y\n1,0\n2,1\n", 1, 0, "no variable columns");
    }

    @Test
    void badQuoting() throws IOException {
        assertError(new CsvSeriesLoader(), "a,b\n1,\"2\n", 2, 2, "not closed");
        assertError(new CsvSeriesLoader(), "a,b\n1,\"2\"x\n", 2, 2, "after the closing quote");
    }

    @Test
    void missingFile() {
        assertThrows(NoSuchFileException.class, () -> new CsvSeriesLoader().load(dir.resolve("none.csv")));
    }

    @Test
    void inconsistentSettings() {
        assertThrows(IllegalArgumentException.class, () -> loader("t", "t", null, null));
        assertThrows(IllegalArgumentException.class, () -> loader("t", null, List.of("x", "t"), null));
        assertThrows(IllegalArgumentException.class, () -> loader(null, "y", List.of("y"), null));
        assertThrows(IllegalArgumentException.class, () -> loader(null, null, List.of("x", "x"), null));
        assertThrows(IllegalArgumentException.class, () -> loader("", null, null, null));
    }
}
