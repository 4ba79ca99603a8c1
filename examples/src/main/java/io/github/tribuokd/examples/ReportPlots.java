package io.github.tribuokd.examples;

import io.github.tribuokd.evaluation.Curves;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * PNG plots of evaluations, drawn with XChart: scores over time with the true anomalies shaded and the threshold
 * drawn, ROC and precision-recall curves, and a teacher-vs-student score scatter.
 * <p>
 * Any score can be drawn: a non-finite score (NaN, ±∞) is left out of the drawing and a finite one beyond
 * ±{@link #DRAW_LIMIT} is drawn at that limit, so that the axes stay finite (XChart fails on an infinite axis
 * range). Each method returns a note saying what it left out or clipped (empty when nothing), which the title also
 * carries; callers report it as a warning ({@link RunOutputs#plot}).
 */
final class ReportPlots {

    /** Long series are reduced to this many buckets (the maximum of each bucket is drawn, so peaks stay). */
    static final int MAX_POINTS = 2000;

    private static final Color ANOMALY_SHADE = new Color(230, 60, 60, 70);
    private static final Color THRESHOLD_COLOR = new Color(30, 30, 30);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Scores beyond ±this are drawn at it: far below the overflow of an axis range, far above any real score. */
    static final double DRAW_LIMIT = 1e150;

    private ReportPlots() { }

    /** Counts what a plot could not draw as given. */
    private static final class Caveats {
        long nonFinite;
        long clipped;

        /** The value as drawn (clipped to ±DRAW_LIMIT), or NaN when it is not drawn; counts it. */
        double drawable(double v) {
            if (!Double.isFinite(v)) {
                nonFinite++;
                return Double.NaN;
            }
            if (Math.abs(v) > DRAW_LIMIT) {
                clipped++;
                return Math.copySign(DRAW_LIMIT, v);
            }
            return v;
        }

        /** A sentence for the title and the warnings, empty when everything was drawn as given. */
        String note() {
            List<String> parts = new ArrayList<>();
            if (nonFinite > 0) {
                parts.add(nonFinite + " non-finite score" + (nonFinite == 1 ? "" : "s") + " not drawn");
            }
            if (clipped > 0) {
                parts.add(clipped + " score" + (clipped == 1 ? "" : "s") + " beyond ±" + DRAW_LIMIT
                        + " drawn at the limit");
            }
            return String.join(", ", parts);
        }

        String title(String title) {
            String note = note();
            return note.isEmpty() ? title : title + " (" + note + ")";
        }
    }

    /**
     * Scores over time (log scale when all scores are positive), true anomalies shaded, thresholds drawn.
     * @param png The output file.
     * @param title The title.
     * @param labels 0/1 labels per time point.
     * @param names One name per score series.
     * @param scores Score series (same length as labels).
     * @param thresholds One threshold per series (NaN to omit; a non-finite threshold is omitted).
     * @return What was left out or clipped (empty when nothing).
     * @throws IOException If the file cannot be written.
     * @throws IllegalArgumentException If no score is finite.
     */
    static String scoresOverTime(Path png, String title, int[] labels, String[] names, double[][] scores,
                                 double[] thresholds) throws IOException {
        int n = labels.length;
        int bucket = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
        int m = (n + bucket - 1) / bucket;
        Caveats caveats = new Caveats();
        double[][] drawn = new double[scores.length][];
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < scores.length; k++) {
            drawn[k] = new double[scores[k].length];
            for (int i = 0; i < scores[k].length; i++) {
                double v = caveats.drawable(scores[k][i]);
                drawn[k][i] = v;
                if (!Double.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min > max) {
            throw new IllegalArgumentException("no finite score to draw");
        }
        // Positive scores spanning decades are drawn as log10(score) on a linear axis (XChart's logarithmic axis
        // does not fill areas correctly).
        boolean log = min > 0 && max / min > 100;
        double lo = log ? Math.log10(min) : Math.min(0, min);
        double hi = log ? Math.log10(max) : max;
        double pad = 0.02 * (hi - lo + 1e-12);
        XYChart chart = new XYChartBuilder().width(1400).height(450).title(title)
                .xAxisTitle("time step").yAxisTitle(log ? "log10(score)" : "score").build();
        style(chart);
        // XChart fills areas down to y = 0: values are drawn shifted by `base` so that the axis bottom is 0, and
        // the tick labels add it back.
        double step = Math.pow(10, Math.floor(Math.log10(hi - lo + 1e-12)));
        final double base = Math.floor((lo - pad) / step) * step;   // a round number, so the ticks are round
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(hi + pad - base);
        chart.setCustomYAxisTickLabelsFormatter(v -> String.format("%.3g", v + base));
        double[] x = new double[m];
        double[] shade = new double[m];
        for (int b = 0; b < m; b++) {
            x[b] = (double) b * bucket;
            for (int i = b * bucket; i < Math.min(n, (b + 1) * bucket); i++) {
                if (labels[i] == 1) {
                    shade[b] = hi + pad - base;
                }
            }
        }
        XYSeries anomalies = chart.addSeries("true anomalies", x, shade);
        anomalies.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        anomalies.setFillColor(ANOMALY_SHADE);
        anomalies.setLineColor(new Color(0, 0, 0, 0));
        anomalies.setMarker(SeriesMarkers.NONE);
        Color[] colours = {new Color(30, 90, 200), new Color(230, 140, 20), new Color(40, 150, 60)};
        for (int k = 0; k < scores.length; k++) {
            List<Double> xs = new ArrayList<>(m), ys = new ArrayList<>(m);
            for (int b = 0; b < m; b++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int i = b * bucket; i < Math.min(n, (b + 1) * bucket); i++) {
                    if (!Double.isNaN(drawn[k][i])) {
                        best = Math.max(best, drawn[k][i]);
                    }
                }
                if (best > Double.NEGATIVE_INFINITY) {   // a bucket of non-finite scores only is a gap
                    xs.add(x[b]);
                    ys.add((log ? Math.log10(best) : best) - base);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(names[k], xs, ys);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineWidth(1f);
            s.setLineColor(colours[k % colours.length]);
            double threshold = Double.isFinite(thresholds[k]) ? Math.max(-DRAW_LIMIT, Math.min(DRAW_LIMIT,
                    thresholds[k])) : Double.NaN;
            if (!Double.isNaN(threshold) && (!log || threshold > 0)) {
                double t = (log ? Math.log10(threshold) : threshold) - base;
                XYSeries ts = chart.addSeries(names[k] + " threshold", new double[]{0, x[m - 1]}, new double[]{t, t});
                ts.setMarker(SeriesMarkers.NONE);
                ts.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT,
                        java.awt.BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f));
                ts.setLineColor(colours[k % colours.length].darker());
            }
        }
        if (bucket > 1) {
            chart.setTitle(caveats.title(title + " (max of every " + bucket + " steps)"));
        } else {
            chart.setTitle(caveats.title(title));
        }
        save(chart, png);
        return caveats.note();
    }

    /**
     * ROC curves of several score series on the same labels, with the chance diagonal.
     * @param png The output file.
     * @param title The title.
     * @param labels 0/1 labels.
     * @param names Series names.
     * @param scores Score series (a NaN score and its label are left out; ±∞ ranks first or last).
     * @return What was left out (empty when nothing).
     * @throws IOException If the file cannot be written.
     */
    static String roc(Path png, String title, int[] labels, String[] names, double[][] scores) throws IOException {
        return curves(png, title, "false positive rate", "true positive rate", labels, names, scores, Curves::roc,
                "chance", new double[]{0, 1});
    }

    /**
     * Precision-recall curves of several score series, with the positive rate as the chance level.
     * @param png The output file.
     * @param title The title.
     * @param labels 0/1 labels.
     * @param names Series names.
     * @param scores Score series (a NaN score and its label are left out; ±∞ ranks first or last).
     * @return What was left out (empty when nothing).
     * @throws IOException If the file cannot be written.
     */
    static String precisionRecall(Path png, String title, int[] labels, String[] names, double[][] scores)
            throws IOException {
        double rate = (double) java.util.Arrays.stream(labels).sum() / labels.length;
        return curves(png, title, "recall", "precision", labels, names, scores, Curves::precisionRecall,
                "chance (positive rate)", new double[]{rate, rate});
    }

    /** Ranking curves of several score series on the same labels, and a grey chance line from x = 0 to 1. */
    private static String curves(Path png, String title, String xTitle, String yTitle, int[] labels, String[] names,
                                 double[][] scores, BiFunction<double[], int[], Curves.Curve> curve,
                                 String chanceName, double[] chanceY) throws IOException {
        XYChart chart = new XYChartBuilder().width(600).height(560).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(chart);
        Caveats caveats = new Caveats();
        for (int k = 0; k < scores.length; k++) {
            Ranked r = ranked(scores[k], labels, caveats);
            Curves.Curve c = curve.apply(r.scores, r.labels);
            XYSeries s = chart.addSeries(names[k], thin(c.x()), thin(c.y()));
            s.setMarker(SeriesMarkers.NONE);
        }
        XYSeries chance = chart.addSeries(chanceName, new double[]{0, 1}, chanceY);
        chance.setMarker(SeriesMarkers.NONE);
        chance.setLineColor(Color.GRAY);
        chart.setTitle(caveats.title(title));
        save(chart, png);
        return caveats.note();
    }

    /** Scores and labels for a ranking curve: NaN scores dropped, ±∞ replaced by ±Double.MAX_VALUE. */
    private static final class Ranked {
        final double[] scores;
        final int[] labels;

        Ranked(double[] scores, int[] labels) {
            this.scores = scores;
            this.labels = labels;
        }
    }

    private static Ranked ranked(double[] scores, int[] labels, Caveats caveats) {
        double[] s = new double[scores.length];
        int[] l = new int[scores.length];
        int m = 0;
        for (int i = 0; i < scores.length; i++) {
            double v = scores[i];
            if (Double.isNaN(v)) {
                caveats.nonFinite++;
                continue;
            }
            s[m] = Double.isInfinite(v) ? Math.copySign(Double.MAX_VALUE, v) : v;
            l[m++] = labels[i];
        }
        return m == scores.length ? new Ranked(scores.clone(), labels)
                : new Ranked(java.util.Arrays.copyOf(s, m), java.util.Arrays.copyOf(l, m));
    }

    /**
     * Teacher score against student score per point (log-log when positive), inliers and outliers in two colours,
     * with the diagonal y = x.
     * @param png The output file.
     * @param title The title.
     * @param labels 0/1 labels.
     * @param teacher Teacher scores.
     * @param student Student scores (teacher's scale).
     * @return What was left out or clipped (empty when nothing).
     * @throws IOException If the file cannot be written.
     * @throws IllegalArgumentException If no point has two finite scores.
     */
    static String teacherVsStudent(Path png, String title, int[] labels, double[] teacher, double[] student)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(650).height(600).title(title)
                .xAxisTitle("teacher score").yAxisTitle("student score").build();
        style(chart);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(3);
        Caveats caveats = new Caveats();
        double[] t = new double[labels.length];
        double[] s = new double[labels.length];
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < labels.length; i++) {
            t[i] = caveats.drawable(teacher[i]);
            s[i] = caveats.drawable(student[i]);
            if (!Double.isNaN(t[i]) && !Double.isNaN(s[i])) {
                min = Math.min(min, Math.min(t[i], s[i]));
                max = Math.max(max, Math.max(t[i], s[i]));
            }
        }
        if (min > max) {
            throw new IllegalArgumentException("no point has a finite teacher and student score to draw");
        }
        boolean log = min > 0;
        chart.getStyler().setXAxisLogarithmic(log);
        chart.getStyler().setYAxisLogarithmic(log);
        int stride = Math.max(1, labels.length / 6000);
        for (int cls = 0; cls <= 1; cls++) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == cls && (cls == 1 || i % stride == 0) && !Double.isNaN(t[i]) && !Double.isNaN(s[i])) {
                    xs.add(t[i]);
                    ys.add(s[i]);
                }
            }
            if (!xs.isEmpty()) {
                XYSeries points = chart.addSeries(cls == 1 ? "anomalous points" : "normal points", xs, ys);
                points.setMarker(SeriesMarkers.CIRCLE);
                points.setMarkerColor(cls == 1 ? new Color(220, 40, 40, 160) : new Color(60, 90, 200, 90));
            }
        }
        XYSeries diagonal = chart.addSeries("student = teacher", new double[]{min, max}, new double[]{min, max});
        diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        diagonal.setMarker(SeriesMarkers.NONE);
        diagonal.setLineColor(Color.DARK_GRAY);
        chart.setTitle(caveats.title(title));
        save(chart, png);
        return caveats.note();
    }

    private static void style(XYChart chart) {
        org.knowm.xchart.style.XYStyler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setLegendBackgroundColor(new Color(255, 255, 255, 210));
        s.setAntiAlias(true);
    }

    /** Keeps at most about MAX_POINTS points of a curve (every k-th plus the last). */
    private static double[] thin(double[] v) {
        if (v.length <= MAX_POINTS) {
            return v;
        }
        int step = (v.length + MAX_POINTS - 1) / MAX_POINTS;
        int m = (v.length - 1) / step + 2;
        double[] out = new double[m];
        for (int i = 0; i < m - 1; i++) {
            out[i] = v[i * step];
        }
        out[m - 1] = v[v.length - 1];
        return out;
    }

    private static void save(XYChart chart, Path png) throws IOException {
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
