package io.github.tribuokd.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs never lose finished work, and degenerate training is refused or warned about loudly (issue 23, points 4
 * and 5; docs/RELIABILITY.md, "Runs and degenerate training").
 */
public class RunsAndDegenerateTrainingTest {

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    static CommandsTest.Run run(String... args) {
        return CommandsTest.run(args);
    }

    static void assertPng(Path file) throws IOException {
        assertTrue(Files.size(file) > 0, file + " is empty");
        assertArrayEquals(PNG, java.util.Arrays.copyOf(Files.readAllBytes(file), 4), file + " is not a PNG");
    }

    /** Files left behind by a write that did not finish. */
    static List<Path> leftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".tmp-")
                    || p.getFileName().toString().startsWith(".write-check-")).toList();
        }
    }

    /** The report.json of a run, parsed. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Path dir) throws IOException {
        return new ObjectMapper().readValue(Files.readString(dir.resolve("report.json")), Map.class);
    }

    /** An existing file as --out is a usage error of every command, before any data is read or model trained. */
    @Test
    public void outputIsCheckedBeforeAnyWork(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("occupied"), "a file, not a folder");
        Path folder = Files.createDirectories(dir.resolve("a-folder"));
        Path csv = CommandsTest.csv(dir.resolve("train.csv"), "machine-1-2-train.csv.gz", 300, 4, false);
        Path smd = DemoCommandTest.embeddedDir();
        Path scores = Files.writeString(dir.resolve("s.txt"), "0.1\n0.9\n");
        Path labels = Files.writeString(dir.resolve("l.txt"), "0\n1\n");
        String[][] commands = {
            {"demo", "--max-train-rows", "2000", "--out", file.toString()},
            {"train", "--data", csv.toString(), "--out", file.toString()},
            {"evaluate", "--scores", scores.toString(), "--labels", labels.toString(), "--threshold", "0.5",
                "--report", file.toString()},
            {"smd-lstm", "--data", smd.toString(), "--entities", "machine-1-2", "--out", file.toString()},
            {"mscred", "--data", smd.toString(), "--entity", "machine-1-2", "--out", file.toString()},
            {"image-kd", "--data", dir.resolve("no-images").toString(), "--out", file.toString()},
            // File outputs: an existing folder is refused before the (missing) model is even opened.
            {"score", "--model", dir.resolve("missing.tribuo").toString(), "--data", csv.toString(), "--out",
                folder.toString()},
            {"export", "--model", dir.resolve("missing.tribuo").toString(), "--out", folder.toString()},
        };
        for (String[] c : commands) {
            long start = System.nanoTime();
            CommandsTest.Run r = run(c);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(Main.EXIT_USAGE, r.code(), String.join(" ", c) + "\n" + r.err());
            assertTrue(r.err().contains("is an existing file") || r.err().contains("is an existing folder"),
                    c[0] + ": " + r.err());
            // No progress line ("[demo] loading ...") and no trainer log: nothing was read or trained.
            assertTrue(r.err().lines().noneMatch(line -> line.startsWith("[") || line.startsWith("INFO")),
                    c[0] + " started work: " + r.err());
            assertTrue(seconds < 10, c[0] + " took " + seconds + " s");
        }
        // A file in the way further up is the same mistake.
        CommandsTest.Run below = run("demo", "--out", file.resolve("sub").toString());
        assertEquals(Main.EXIT_USAGE, below.code(), below.err());
        assertTrue(below.err().contains("is an existing file"), below.err());
        assertEquals("a file, not a folder", Files.readString(file));
        assertTrue(leftovers(dir).isEmpty(), leftovers(dir).toString());
    }

    /** A score near Double.MAX_VALUE used to overflow the plot's axis (XChart threw and evaluate failed). */
    @Test
    @SuppressWarnings("unchecked")
    public void evaluateReportDrawsHugeScores(@TempDir Path dir) throws IOException {
        StringBuilder s = new StringBuilder();
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            boolean anomalous = i >= 150 && i < 160;
            s.append(i == 155 ? "1.7976931348623157e308" : i == 20 ? "0" : Double.toString(anomalous ? 5 + i % 3
                    : 0.1 + (i % 7) / 10.0)).append('\n');
            l.append(anomalous ? "1\n" : "0\n");
        }
        Path scores = Files.writeString(dir.resolve("scores.txt"), s);
        Path labels = Files.writeString(dir.resolve("labels.txt"), l);
        Path report = dir.resolve("report");
        CommandsTest.Run r = run("evaluate", "--scores", scores.toString(), "--labels", labels.toString(),
                "--threshold", "1", "--report", report.toString());
        assertEquals(0, r.code(), r.err());
        for (String png : new String[]{"scores.png", "roc.png", "pr.png"}) {
            assertPng(report.resolve(png));
        }
        List<Object> warnings = (List<Object>) json(report).get("warnings");
        assertTrue(warnings.stream().anyMatch(w -> w.toString().contains("scores.png")
                && w.toString().contains("drawn at the limit")), warnings.toString());
        assertTrue(r.err().contains("warning: plot scores.png"), r.err());
        assertTrue(leftovers(report).isEmpty(), leftovers(report).toString());
    }

    /** The plots draw any score: non-finite ones are left out, huge ones clipped, and the note says so. */
    @Test
    public void plotsCopeWithNonFiniteAndHugeScores(@TempDir Path dir) throws IOException {
        int n = 300;
        int[] labels = new int[n];
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i >= 200 && i < 220 ? 1 : 0;
            a[i] = labels[i] == 1 ? 3 + i % 5 : (i % 10) / 10.0;
            b[i] = -a[i];
        }
        a[5] = Double.NaN;
        a[6] = Double.POSITIVE_INFINITY;
        b[7] = Double.NEGATIVE_INFINITY;
        a[210] = Double.MAX_VALUE;
        b[211] = -1e300;
        String note = ReportPlots.scoresOverTime(dir.resolve("s.png"), "t", labels, new String[]{"a", "b"},
                new double[][]{a, b}, new double[]{Double.POSITIVE_INFINITY, 1e200});
        assertEquals("3 non-finite scores not drawn, 2 scores beyond ±1.0E150 drawn at the limit", note);
        assertPng(dir.resolve("s.png"));
        assertEquals("1 non-finite score not drawn", ReportPlots.roc(dir.resolve("r.png"), "t", labels,
                new String[]{"a"}, new double[][]{a}));
        assertPng(dir.resolve("r.png"));
        assertEquals("1 non-finite score not drawn", ReportPlots.precisionRecall(dir.resolve("p.png"), "t", labels,
                new String[]{"a"}, new double[][]{a}));
        assertPng(dir.resolve("p.png"));
        assertEquals("3 non-finite scores not drawn, 2 scores beyond ±1.0E150 drawn at the limit",
                ReportPlots.teacherVsStudent(dir.resolve("tvs.png"), "t", labels, a, b));
        assertPng(dir.resolve("tvs.png"));
        double[] clean = a.clone();
        clean[5] = clean[6] = 1;
        clean[210] = 4;
        assertEquals("", ReportPlots.scoresOverTime(dir.resolve("c.png"), "t", labels, new String[]{"a"},
                new double[][]{clean}, new double[]{1}));
    }

    /** A plot that fails is skipped with a warning in the report: no partial or 0-byte file, no failed run. */
    @Test
    @SuppressWarnings("unchecked")
    public void aFailingPlotIsSkippedAndReported(@TempDir Path dir) throws Exception {
        List<String> terminal = new ArrayList<>();
        RunOutputs outputs = RunOutputs.directory(dir.resolve("out"), "--out", terminal::add);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("result", 42);
        outputs.writeReport(report, "# report");
        assertFalse(outputs.plot("half.png", f -> {
            Files.write(f, new byte[]{(byte) 0x89, 'P'});
            throw new IllegalStateException("axis range is Infinity");
        }));
        assertFalse(outputs.plot("empty.png", f -> ""));
        assertTrue(outputs.plot("fine.png", f -> ReportPlots.roc(f, "t", new int[]{0, 1, 0, 1},
                new String[]{"s"}, new double[][]{{0.1, 0.9, 0.2, 0.8}})));
        String markdown = outputs.finish();
        Path out = dir.resolve("out");
        assertFalse(Files.exists(out.resolve("half.png")));
        assertFalse(Files.exists(out.resolve("empty.png")));
        assertPng(out.resolve("fine.png"));
        assertTrue(leftovers(out).isEmpty(), leftovers(out).toString());
        List<Object> warnings = (List<Object>) json(out).get("warnings");
        assertEquals(List.of("plot half.png skipped: axis range is Infinity",
                "plot empty.png skipped: nothing was written to empty.png"), warnings);
        assertEquals(42L, ((Number) json(out).get("result")).longValue());
        assertTrue(markdown.contains("## Warnings") && markdown.contains("axis range is Infinity"), markdown);
        assertTrue(Files.readString(out.resolve("report.md")).contains("- plot half.png skipped"));
        // Written files get the usual permissions, as a plain write would give them (not a temp file's owner-only).
        if (Files.getFileStore(out).supportsFileAttributeView("posix")) {
            Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(out.resolve("report.json")));
        }
        assertEquals(List.of("warning: plot half.png skipped: axis range is Infinity",
                "warning: plot empty.png skipped: nothing was written to empty.png"), terminal);
    }

    /**
     * The demo keeps its models and report when a plot cannot be written (here: a folder is in the way), and says
     * so in the report and on the terminal.
     */
    @Test
    @SuppressWarnings("unchecked")
    public void demoKeepsItsWorkWhenAPlotFails(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("o");
        Files.createDirectories(out.resolve("scores.png"));
        Files.writeString(out.resolve("scores.png/in-the-way"), "x");
        CommandsTest.Run r = run("demo", "--max-train-rows", "1500", "--max-test-rows", "6000", "--no-baselines",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        for (String f : new String[]{"teacher.tribuo", "student.tribuo", "report.json", "report.md"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertPng(out.resolve("roc.png"));
        List<Object> warnings = (List<Object>) json(out).get("warnings");
        assertTrue(warnings.stream().anyMatch(w -> w.toString().startsWith("plot scores.png skipped")),
                warnings.toString());
        assertTrue(r.err().contains("warning: plot scores.png skipped"), r.err());
        assertTrue(r.out().contains("## Warnings"), r.out());
        assertTrue(leftovers(out).isEmpty(), leftovers(out).toString());
    }

    /**
     * The 2,000-row demo: a burst in the last training rows (the calibration tail) used to give the student a
     * threshold of 306 (reconstruction student) or 1.4e10 (score-regression student, log target) against the
     * teacher's 8.2. Both are now within a factor of 10 of the teacher's, and the report and terminal say why.
     */
    @Test
    @SuppressWarnings("unchecked")
    public void demo2000RowsThresholdsAgreeAndAreExplained(@TempDir Path dir) throws IOException {
        String[] configs = {null, "src/main/resources/io/github/tribuokd/examples/presets/score-mlp.xml"};
        for (String config : configs) {
            Path out = dir.resolve(config == null ? "default" : "score-mlp");
            List<String> args = new ArrayList<>(List.of("demo", "--max-train-rows", "2000", "--max-test-rows", "6000",
                    "--no-baselines", "--out", out.toString()));
            if (config != null) {
                args.addAll(List.of("--config", config));
            }
            CommandsTest.Run r = run(args.toArray(new String[0]));
            assertEquals(0, r.code(), r.err());
            Map<String, Object> report = json(out);
            double teacher = ((Number) ((Map<String, Object>) report.get("teacher")).get("threshold")).doubleValue();
            double student = ((Number) ((Map<String, Object>) report.get("student")).get("threshold")).doubleValue();
            double ratio = student / teacher;
            assertTrue(ratio >= 0.1 && ratio <= 10, config + ": student threshold " + student + ", teacher "
                    + teacher);
            List<Object> warnings = (List<Object>) report.get("warnings");
            assertTrue(warnings.stream().anyMatch(w -> w.toString().startsWith("student: ")
                    && w.toString().contains("calibration tail") && w.toString().contains("capped")),
                    warnings.toString());
            assertTrue(r.err().contains("[demo] warning: student: "), r.err());
            assertTrue(Files.readString(out.resolve("report.md")).contains("## Warnings"));
        }
    }

    /** Rows of a CSV: a header and {@code rows} lines of {@code values(row)}. */
    static Path csv(Path file, int rows, java.util.function.IntFunction<double[]> values) throws IOException {
        List<String> lines = new ArrayList<>();
        double[] first = values.apply(0);
        StringBuilder header = new StringBuilder();
        for (int j = 0; j < first.length; j++) {
            header.append(j == 0 ? "" : ",").append("m").append(j);
        }
        lines.add(header.toString());
        for (int t = 0; t < rows; t++) {
            StringBuilder sb = new StringBuilder();
            double[] v = values.apply(t);
            for (int j = 0; j < v.length; j++) {
                sb.append(j == 0 ? "" : ",").append(v[j]);
            }
            lines.add(sb.toString());
        }
        return Files.write(file, lines);
    }

    /** 15 rows (6 windows of 10) and a constant series: train refuses with exit code 1 and says why. */
    @Test
    public void trainRefusesTooFewWindowsAndAConstantSeries(@TempDir Path dir) throws IOException {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        Path fifteen = csv(dir.resolve("fifteen.csv"), 15, t -> new double[]{rng.nextDouble(), rng.nextDouble()});
        CommandsTest.Run few = run("train", "--data", fifteen.toString(), "--out", dir.resolve("a").toString());
        assertEquals(Main.EXIT_BAD_INPUT, few.code(), few.err());
        assertTrue(few.err().contains("6 normal training examples") && few.err().contains("at least 20"), few.err());
        assertFalse(Files.exists(dir.resolve("a/model.tribuo")));

        Path constant = csv(dir.resolve("constant.csv"), 500, t -> new double[]{0.5, 0.25, 0.0});
        CommandsTest.Run flat = run("train", "--data", constant.toString(), "--out", dir.resolve("b").toString());
        assertEquals(Main.EXIT_BAD_INPUT, flat.code(), flat.err());
        assertTrue(flat.err().contains("every one of the 30 features is constant"), flat.err());
    }

    /** A constant variable is kept and named, in the report and on the terminal. */
    @Test
    @SuppressWarnings("unchecked")
    public void trainWarnsAboutAConstantVariable(@TempDir Path dir) throws IOException {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(2);
        Path data = csv(dir.resolve("one-flat.csv"), 600, t -> new double[]{Math.sin(t / 7.0) + 0.1 * rng.nextGaussian(),
                Math.cos(t / 5.0) + 0.1 * rng.nextGaussian(), 1.0});
        Path out = dir.resolve("model");
        CommandsTest.Run r = run("train", "--data", data.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<Object> warnings = (List<Object>) json(out).get("warnings");
        assertTrue(warnings.stream().anyMatch(w -> w.toString().contains("1 variable of the windows: v2")),
                warnings.toString());
        assertTrue(r.err().contains("[train] warning: teacher: "), r.err());
        assertTrue(r.out().contains("## Warnings"), r.out());
    }
}
