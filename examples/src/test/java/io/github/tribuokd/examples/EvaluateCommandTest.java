package io.github.tribuokd.examples;

import io.github.tribuokd.evaluation.PotThreshold;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class EvaluateCommandTest {

    private static String[] run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new String[]{Integer.toString(rc), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    }

    /** The golden case of docs/EVALUATION.md through the command line. */
    @Test
    public void goldenCase(@TempDir Path dir) throws Exception {
        Path s = dir.resolve("s.txt"), l = dir.resolve("l.txt");
        Files.writeString(s, ".1\n.2\n.9\n.1\n.6\n.1\n.7\n.1\n.1\n.1\n.2\n.1\n");
        Files.writeString(l, "1\n1\n1\n0\n0\n0\n1\n1\n1\n1\n0\n0\n");
        String[] r = run("evaluate", "--scores", s.toString(), "--labels", l.toString(), "--threshold", "0.5",
                "--report", dir.resolve("rep").toString());
        assertEquals("0", r[0], r[2]);
        String json = r[1];
        for (String key : new String[]{"roc_auc", "pr_auc", "f1_pointwise", "f1_pa", "pak_f1", "pak_area",
                "best_f1_pointwise", "best_f1_pa", "threshold", "random_baseline"}) {
            assertTrue(json.contains("\"" + key + "\""), "missing " + key + " in " + json);
        }
        assertTrue(json.contains("\"f1_pointwise\": 0.4,"), json);
        assertTrue(json.contains("\"f1_pa\": 0.9333333333333333"), json);
        assertTrue(Files.exists(dir.resolve("rep/scores.png")) && Files.exists(dir.resolve("rep/roc.png")));
    }

    /** TSB-AD's metrics beside the existing keys, with the VUS window stated. */
    @Test
    public void tsbAdMetricsWithWindow(@TempDir Path dir) throws Exception {
        Path s = dir.resolve("s.txt"), l = dir.resolve("l.txt");
        Files.writeString(s, ".1\n.2\n.9\n.1\n.6\n.1\n.7\n.1\n.1\n.1\n.2\n.1\n");
        Files.writeString(l, "1\n1\n1\n0\n0\n0\n1\n1\n1\n1\n0\n0\n");
        String[] r = run("evaluate", "--scores", s.toString(), "--labels", l.toString(), "--threshold", "0.5",
                "--window", "4");
        assertEquals("0", r[0], r[2]);
        String json = r[1];
        for (String key : new String[]{"vus_pr", "vus_roc", "f1_event", "f1_range", "affiliation_f", "best_f1_event",
                "roc_auc", "f1_pa"}) {
            assertTrue(json.contains("\"" + key + "\""), "missing " + key + " in " + json);
        }
        assertTrue(json.contains("\"vus_window\": 4"), json);
        assertTrue(json.contains("\"f1_pointwise\": 0.4,"), json);
        double[] scores = {.1, .2, .9, .1, .6, .1, .7, .1, .1, .1, .2, .1};
        int[] labels = {1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0};
        String vus = "\"vus_pr\": " + io.github.tribuokd.evaluation.VolumeUnderSurface.compute(scores, labels, 4).vusPr();
        assertTrue(json.contains(vus), vus + " in " + json);
        String[] bad = run("evaluate", "--scores", s.toString(), "--labels", l.toString(), "--threshold", "0.5",
                "--window", "-3");
        assertEquals("2", bad[0]);
        assertTrue(bad[2].contains("--window"), bad[2]);
    }

    @Test
    public void quantileAndPotThresholdsFromCalibration(@TempDir Path dir) throws Exception {
        SplittableRandom rng = new SplittableRandom(2);
        StringBuilder cal = new StringBuilder(), sc = new StringBuilder(), lab = new StringBuilder();
        double[] c = new double[4000];
        for (int i = 0; i < c.length; i++) {
            c[i] = -Math.log(1 - rng.nextDouble());
            cal.append(c[i]).append('\n');
        }
        for (int i = 0; i < 3000; i++) {
            boolean a = i >= 1000 && i < 1050;
            sc.append(-Math.log(1 - rng.nextDouble()) + (a ? 6 : 0)).append('\n');
            lab.append(a ? 1 : 0).append('\n');
        }
        Path cf = dir.resolve("cal.txt"), sf = dir.resolve("s.txt"), lf = dir.resolve("l.txt");
        Files.writeString(cf, cal);
        Files.writeString(sf, sc);
        Files.writeString(lf, lab);
        String[] q = run("evaluate", "--scores", sf.toString(), "--labels", lf.toString(), "--threshold-quantile",
                "0.99", "--calibration", cf.toString());
        assertEquals("0", q[0], q[2]);
        assertTrue(q[1].contains("QuantileThreshold"), q[1]);
        String[] p = run("evaluate", "--scores", sf.toString(), "--labels", lf.toString(), "--pot", "--calibration",
                cf.toString());
        assertEquals("0", p[0], p[2]);
        String expected = "\"threshold\": " + PotThreshold.fit(c).value();
        assertTrue(p[1].contains(expected), "expected " + expected + " in " + p[1]);
    }

    @Test
    public void badInputIsExplained(@TempDir Path dir) throws Exception {
        Path s = dir.resolve("s.txt"), l = dir.resolve("l.txt"), bad = dir.resolve("bad.txt");
        Files.writeString(s, "0.1\n0.2\n0.3\n");
        Files.writeString(l, "0\n1\n");
        Files.writeString(bad, "0.1\nabc\n");
        String[] mismatch = run("evaluate", "--scores", s.toString(), "--labels", l.toString(), "--threshold", "0");
        assertEquals("1", mismatch[0]);
        assertTrue(mismatch[2].contains("3 scores but") && mismatch[2].contains("2 labels"), mismatch[2]);
        String[] nan = run("evaluate", "--scores", bad.toString(), "--labels", l.toString(), "--threshold", "0");
        assertTrue(nan[2].contains("bad.txt line 2") && nan[2].contains("'abc'"), nan[2]);
        Files.writeString(l, "0\n2\n0\n");
        String[] label = run("evaluate", "--scores", s.toString(), "--labels", l.toString(), "--threshold", "0");
        assertTrue(label[2].contains("line 2") && label[2].contains("not 0 or 1"), label[2]);
        Files.writeString(l, "0\n0\n0\n");
        String[] single = run("evaluate", "--scores", s.toString(), "--labels", l.toString(), "--threshold", "0");
        assertEquals("1", single[0]);
        assertTrue(single[2].contains("one class"), single[2]);
        // Issue 23: the metric error names the files.
        assertTrue(single[2].contains("scores " + s + " with labels " + l + ": "), single[2]);
        String[] noRule = run("evaluate", "--scores", s.toString(), "--labels", l.toString());
        assertEquals("2", noRule[0]);
        assertTrue(noRule[2].contains("exactly one threshold rule"), noRule[2]);
    }

    /**
     * Issue 23: evaluate and the loaders disagreed, evaluate reading 0x1p3 as 8 and refusing a byte order mark that
     * the loaders skip. One rule now: a BOM at the start of a file is skipped, hexadecimal numbers are refused.
     */
    @Test
    public void byteOrderMarkAcceptedHexRefused(@TempDir Path dir) throws Exception {
        Path s = dir.resolve("s.txt"), l = dir.resolve("l.txt"), hex = dir.resolve("hex.txt");
        Files.writeString(s, "\uFEFF0.1\n0.9\n0.2\n", StandardCharsets.UTF_8);
        Files.writeString(l, "\uFEFF0\n1\n0\n", StandardCharsets.UTF_8);
        Files.writeString(hex, "0.1\n0x1p3\n0.2\n");
        String[] bom = run("evaluate", "--scores", s.toString(), "--labels", l.toString(), "--threshold", "0.5");
        assertEquals("0", bom[0], bom[2]);
        assertTrue(bom[1].contains("\"roc_auc\": 1.0"), bom[1]);
        String[] h = run("evaluate", "--scores", hex.toString(), "--labels", l.toString(), "--threshold", "0.5");
        assertEquals("1", h[0]);
        assertTrue(h[2].contains("hex.txt line 2: score '0x1p3' is a hexadecimal number"), h[2]);
        // Bytes that are not UTF-8 gave "Input length = 1" (MalformedInputException) naming neither file nor line.
        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, new byte[]{'0', '.', '1', '\n', '0', '.', (byte) 0xe9, '\n', '0', '.', '2', '\n'});
        String[] bad = run("evaluate", "--scores", latin1.toString(), "--labels", l.toString(), "--threshold", "0.5");
        assertEquals("1", bad[0]);
        assertTrue(bad[2].contains("latin1.txt line 2: score '0.\uFFFD' is not a number"), bad[2]);
        String[] opt = run("evaluate", "--scores", s.toString(), "--labels", l.toString(), "--threshold", "0x1p-1");
        assertEquals("2", opt[0]);
        assertTrue(opt[2].contains("hexadecimal"), opt[2]);
    }
}
