package io.github.tribuokd.examples;

import io.github.tribuokd.anomaly.AbstractScoredAnomalyModel;
import io.github.tribuokd.examples.snippets.OnnxRuntimeCsvScorer;
import io.github.tribuokd.timeseries.WindowedSeriesModel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train → score → export} on small CSV series cut from the embedded SMD machine (the README's third section),
 * the exported file scored by ONNX Runtime alone (the Java snippet; the Python one where Python's onnxruntime is
 * installed), and the exit codes and messages of bad input and bad usage.
 */
public class CommandsTest {

    static Path dir;
    static Path train;
    static Path test;
    static Path modelDir;
    static Run trainRun;

    /** The outcome of one command. */
    record Run(int code, String out, String err) { }

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The first {@code rows} data rows of a gzipped CSV of examples/data, with only the given columns. */
    static Path csv(Path to, String resource, int rows, int variables, boolean label) throws IOException {
        Path source = Path.of("data", resource);
        List<String> lines = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(source))) {
            String[] all = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i <= rows && i < all.length; i++) {
                String[] cells = all[i].split(",");
                StringBuilder sb = new StringBuilder();
                for (int c = 0; c <= variables; c++) {
                    sb.append(c == 0 ? "" : ",").append(cells[c]);
                }
                if (label) {
                    sb.append(',').append(cells[cells.length - 1]);
                }
                lines.add(sb.toString());
            }
        }
        Files.write(to, lines);
        return to;
    }

    @BeforeAll
    static void trainOnce(@TempDir Path tmp) throws IOException {
        dir = tmp;
        // 2,000 training rows and the 6,000 test rows (three anomaly segments from row 4,629), 8 of the 38 metrics.
        train = csv(tmp.resolve("train.csv"), "machine-1-2-train.csv.gz", 2000, 8, false);
        test = csv(tmp.resolve("test.csv"), "machine-1-2-test.csv.gz", 6000, 8, true);
        modelDir = tmp.resolve("model");
        trainRun = run("train", "--data", train.toString(), "--out", modelDir.toString(), "--time-column", "minute",
                "--window", "5");
    }

    @Test
    public void trainWritesTheModelReportAndPlotAndPrintsTheSummaryOnly() throws IOException {
        assertEquals(0, trainRun.code(), trainRun.err());
        for (String f : new String[]{"model.tribuo", "teacher.tribuo", "report.md", "report.json",
                "training-scores.png"}) {
            assertTrue(Files.size(modelDir.resolve(f)) > 0, f);
        }
        assertTrue(trainRun.out().contains("| threshold |"), trainRun.out());
        assertTrue(trainRun.out().lines().count() < 40, "the terminal shows the summary only:\n" + trainRun.out());
        assertTrue(Files.readString(modelDir.resolve("report.json")).contains("CsvSeriesSource"),
                "the data source is in the provenance");
        WindowedSeriesModel model = WindowedSeriesModel.load(modelDir.resolve("model.tribuo"));
        assertEquals(5, model.windowLength());
        assertEquals(List.of("m00", "m01", "m02", "m03", "m04", "m05", "m06", "m07"), model.variables());
        assertEquals("minute", model.timeColumn().orElseThrow());
    }

    @Test
    public void scoreWritesOneLinePerRowAndTheMetricsOfALabelledFile() throws IOException {
        Path scores = dir.resolve("out/scores.csv");
        Run r = run("score", "--model", modelDir.resolve("model.tribuo").toString(), "--data", test.toString(),
                "--label-column", "label", "--out", scores.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(scores);
        assertEquals("row,timestamp,score,anomalous", lines.get(0));
        assertEquals(6001, lines.size());
        assertTrue(lines.get(1).startsWith("0,23694,"), lines.get(1));
        String json = Files.readString(dir.resolve("out/scores.json"));
        assertTrue(json.contains("\"roc_auc\""), json);
        assertTrue(r.out().contains("roc auc"), r.out());

        // The scores are the model's own, row by row.
        WindowedSeriesModel model = WindowedSeriesModel.load(modelDir.resolve("model.tribuo"));
        AbstractScoredAnomalyModel detector = model.model();
        double threshold = detector.threshold();
        int flagged = 0;
        for (int t = 1; t < lines.size(); t++) {
            String[] cells = lines.get(t).split(",");
            double score = Double.parseDouble(cells[2]);
            assertEquals(score > threshold ? "1" : "0", cells[3], "row " + (t - 1));
            flagged += cells[3].equals("1") ? 1 : 0;
        }
        assertTrue(flagged > 0, "some rows of the anomaly segments are flagged");
    }

    @Test
    public void exportedModelScoresTheCsvLikeJavaWithOnnxRuntimeAlone() throws Exception {
        Path onnx = dir.resolve("model.onnx");
        Run r = run("export", "--model", modelDir.resolve("model.tribuo").toString(), "--out", onnx.toString());
        assertEquals(0, r.code(), r.err());
        Path scores = dir.resolve("java-scores.csv");
        assertEquals(0, run("score", "--model", modelDir.resolve("model.tribuo").toString(), "--data",
                test.toString(), "--out", scores.toString()).code());
        List<String> java = Files.readAllLines(scores);
        String[] ort = OnnxRuntimeCsvScorer.score(onnx, test);
        assertEquals(java.size() - 1, ort.length);
        for (int t = 0; t < ort.length; t++) {
            String[] j = java.get(t + 1).split(",");
            String[] o = ort[t].split(",");
            double js = Double.parseDouble(j[2]);
            double os = Double.parseDouble(o[1]);
            assertEquals(js, os, 1e-4 * Math.max(Math.abs(js), 1e-3), "row " + t);
            assertEquals(j[3], o[2], "decision of row " + t);
        }
    }

    @Test
    public void pythonSnippetScoresTheCsvLikeJava() throws Exception {
        Process probe = new ProcessBuilder("python3", "-c", "import onnxruntime, numpy").redirectErrorStream(true)
                .start();
        boolean available = probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        Assumptions.assumeTrue(available, "python3 with onnxruntime and numpy is not installed here: the Python "
                + "snippet docs/snippets/score_csv.py is not run");
        Path onnx = dir.resolve("python.onnx");
        assertEquals(0, run("export", "--model", modelDir.resolve("model.tribuo").toString(), "--out",
                onnx.toString()).code());
        Process p = new ProcessBuilder("python3", Path.of("..", "docs", "snippets", "score_csv.py").toString(),
                onnx.toString(), test.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String[] python = out.split("\n");
        String[] ort = OnnxRuntimeCsvScorer.score(onnx, test);
        assertEquals(ort.length + 1, python.length);
        for (int t = 0; t < ort.length; t++) {
            String[] a = python[t + 1].split(",");
            String[] b = ort[t].split(",");
            assertEquals(Double.parseDouble(b[1]), Double.parseDouble(a[1]), 1e-6, "row " + t);
            assertEquals(b[2], a[2], "row " + t);
        }
    }

    @Test
    public void badInputIsExitCodeOneWithFileLineAndColumn() throws IOException {
        Path bad = dir.resolve("bad.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(train).subList(0, 50));
        lines.set(7, lines.get(7).replaceFirst(",[^,]*", ",oops"));   // data row 7 = line 8, column 2 (m00)
        Files.write(bad, lines);
        Run r = run("train", "--data", bad.toString(), "--out", dir.resolve("bad-model").toString());
        assertEquals(1, r.code(), r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("Error:")).toList();
        assertEquals(1, errors.size(), "one error line: " + r.err());
        String error = errors.get(0);
        assertTrue(error.contains("bad.csv") && error.contains("line 8") && error.contains("column 2"), error);

        Run missing = run("score", "--model", dir.resolve("nope.tribuo").toString(), "--data", test.toString(),
                "--out", dir.resolve("x.csv").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("nope.tribuo"), missing.err());

        Path corrupt = dir.resolve("corrupt.tribuo");
        Files.writeString(corrupt, "not a model");
        Run c = run("export", "--model", corrupt.toString(), "--out", dir.resolve("c.onnx").toString());
        assertEquals(1, c.code());
        assertTrue(c.err().contains("corrupt.tribuo"), c.err());

        Path fewer = dir.resolve("fewer.csv");
        csv(fewer, "machine-1-2-test.csv.gz", 100, 3, false);
        Run f = run("score", "--model", modelDir.resolve("model.tribuo").toString(), "--data", fewer.toString(),
                "--out", dir.resolve("f.csv").toString());
        assertEquals(1, f.code());
        assertTrue(f.err().contains("m03"), "names the missing column: " + f.err());
    }

    /**
     * A damaged model file given to {@code score} or {@code export} (both load it through {@code ModelFiles.load}) is
     * bad input: one error line naming the file and the real reason, not Tribuo's "The deserialization method for
     * ... threw an exception".
     */
    @Test
    public void aDamagedModelFileIsBadInputNamingTheFileAndTheReason() throws IOException {
        byte[] good = Files.readAllBytes(modelDir.resolve("model.tribuo"));
        byte[] flipped = good.clone();
        flipped[good.length - 12] ^= 0x10;   // inside the model's data: the content checksum no longer matches
        Path damaged = Files.write(dir.resolve("damaged.tribuo"), flipped);
        Path truncated = Files.write(dir.resolve("truncated.tribuo"), java.util.Arrays.copyOf(good, good.length / 2));
        for (Path model : new Path[]{damaged, truncated}) {
            String reason = model == damaged ? "the content checksum does not match" : "truncated or damaged";
            Run score = run("score", "--model", model.toString(), "--data", test.toString(), "--out",
                    dir.resolve("damaged-scores.csv").toString());
            Run export = run("export", "--model", model.toString(), "--out", dir.resolve("damaged.onnx").toString());
            for (Run r : new Run[]{score, export}) {
                assertEquals(Main.EXIT_BAD_INPUT, r.code(), r.err());
                List<String> errors = r.err().lines().filter(l -> l.startsWith("Error:")).toList();
                assertEquals(1, errors.size(), "one error line: " + r.err());
                String error = errors.get(0);
                assertTrue(error.contains(model.getFileName().toString()) && error.contains(reason), error);
                assertTrue(!error.contains("The deserialization method"), error);
            }
        }
        assertTrue(!Files.exists(dir.resolve("damaged-scores.csv")) && !Files.exists(dir.resolve("damaged.onnx")));
    }

    @Test
    public void usageMistakesAreExitCodeTwoAndEveryCommandHasHelp() {
        Run noData = run("train", "--out", dir.resolve("x").toString());
        assertEquals(2, noData.code());
        assertTrue(noData.err().contains("--data"), noData.err());
        assertEquals(2, run("score", "--model", "m", "--data", "d", "--out", "o", "--bogus").code());
        assertEquals(2, run("train", "--data", train.toString(), "--out", dir.resolve("y").toString(),
                "--preset", "nonsense").code());
        for (String command : new String[]{"train", "score", "export"}) {
            Run help = run(command, "--help");
            assertEquals(0, help.code());
            assertTrue(help.out().contains("--out"), command + ": " + help.out());
        }
        assertTrue(run("--help").out().contains("train"));
    }
}
