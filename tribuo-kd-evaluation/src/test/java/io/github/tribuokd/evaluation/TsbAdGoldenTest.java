package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * VUS-ROC/VUS-PR, range-based, event-based and affiliation metrics against the numbers of TSB-AD's reference
 * implementation on the same inputs ({@code src/test/resources/golden/tsbad}: inputs, expected values, the script
 * that produced them and how).
 */
public class TsbAdGoldenTest {

    /** The acceptance tolerance of issue 24 is 1e-6; the implementations agree far closer. */
    private static final double TOL = 1e-9;

    private static final String RESOURCE = "/golden/tsbad/tsbad_golden.txt";

    @Test
    public void volumeUnderSurfaceMatchesTsbAd() throws IOException {
        int checked = 0;
        for (Series s : load()) {
            for (double[] v : s.vus) {
                int window = (int) v[0];
                VolumeUnderSurface.Result r = VolumeUnderSurface.compute(s.scores, s.labels, window);
                assertEquals(v[1], r.vusRoc(), TOL, s.name + " VUS-ROC window " + window);
                assertEquals(v[2], r.vusPr(), TOL, s.name + " VUS-PR window " + window);
                checked++;
            }
        }
        assertTrue(checked >= 20, "golden VUS cases: " + checked);
    }

    @Test
    public void thresholdedMetricsMatchTsbAd() throws IOException {
        for (Series s : load()) {
            for (double[] v : s.at) {
                double t = v[0];
                String at = s.name + " at " + t + ": ";
                RangeBasedF1.Result range = RangeBasedF1.at(s.scores, s.labels, t);
                assertEquals(v[1], range.precision(), TOL, at + "range precision");
                assertEquals(v[2], range.recall(), TOL, at + "range recall");
                assertEquals(v[3], range.f1(), TOL, at + "range F1");
                EventBasedF1.Result event = EventBasedF1.at(s.scores, s.labels, t);
                assertEquals(v[4], event.precision(), TOL, at + "event precision");
                assertEquals(v[5], event.recall(), TOL, at + "event recall");
                assertEquals(v[6], event.f1(), TOL, at + "event F1");
                AffiliationMetrics.Result aff = AffiliationMetrics.at(s.scores, s.labels, t);
                assertEquals(v[7], aff.precision(), TOL, at + "affiliation precision");
                assertEquals(v[8], aff.recall(), TOL, at + "affiliation recall");
                assertEquals(v[9], aff.f(), TOL, at + "affiliation F");
            }
        }
    }

    @Test
    public void oracleBestOverThresholdsMatchesTsbAd() throws IOException {
        for (Series s : load()) {
            assertEquals(s.oracle[0], RangeBasedF1.bestOverThresholds(s.scores, s.labels).value(), TOL,
                    s.name + " best range F1");
            assertEquals(s.oracle[1], EventBasedF1.bestOverThresholds(s.scores, s.labels).value(), TOL,
                    s.name + " best event F1");
            assertEquals(s.oracle[2], AffiliationMetrics.bestOverThresholds(s.scores, s.labels).value(), TOL,
                    s.name + " best affiliation F");
        }
    }

    @Test
    public void goldenSeriesCoverTheRequiredShapes() throws IOException {
        List<Series> all = load();
        assertEquals(6, all.size());
        boolean ties = false;
        boolean onePoint = false;
        boolean bothEnds = false;
        boolean oneSegment = false;
        for (Series s : all) {
            int[][] segments = Segments.of(s.labels);
            oneSegment |= segments.length == 1;
            bothEnds |= segments[0][0] == 0 && segments[segments.length - 1][1] == s.labels.length;
            for (int[] g : segments) {
                onePoint |= g[1] - g[0] == 1;
            }
            ties |= java.util.Arrays.stream(s.scores).distinct().count() < s.scores.length / 4;
        }
        assertTrue(ties && onePoint && bothEnds && oneSegment);
    }

    /** One series of the golden file. */
    static final class Series {
        String name;
        int[] labels;
        double[] scores;
        final List<double[]> vus = new ArrayList<>();
        final List<double[]> at = new ArrayList<>();
        double[] oracle;
    }

    static List<Series> load() throws IOException {
        InputStream in = TsbAdGoldenTest.class.getResourceAsStream(RESOURCE);
        assertNotNull(in, RESOURCE);
        List<Series> all = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Series s = null;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "series":
                        s = new Series();
                        s.name = f[1];
                        break;
                    case "labels":
                        s.labels = new int[f.length - 1];
                        for (int i = 1; i < f.length; i++) {
                            s.labels[i - 1] = Integer.parseInt(f[i]);
                        }
                        break;
                    case "scores":
                        s.scores = numbers(f);
                        break;
                    case "vus":
                        s.vus.add(numbers(f));
                        break;
                    case "at":
                        s.at.add(numbers(f));
                        break;
                    case "oracle":
                        s.oracle = numbers(f);
                        break;
                    case "end":
                        all.add(s);
                        s = null;
                        break;
                    default:
                        throw new IllegalStateException("Unknown golden line: " + line);
                }
            }
        }
        return all;
    }

    private static double[] numbers(String[] fields) {
        double[] v = new double[fields.length - 1];
        for (int i = 1; i < fields.length; i++) {
            v[i - 1] = Double.parseDouble(fields[i]);
        }
        return v;
    }
}
