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

/**
 * PNG plots of evaluations, drawn with XChart: scores over time with the true anomalies shaded and the threshold
 * drawn, ROC and precision-recall curves, and a teacher-vs-student score scatter.
 */
final class ReportPlots {

    /** Long series are reduced to this many buckets (the maximum of each bucket is drawn, so peaks stay). */
    static final int MAX_POINTS = 2000;

    private static final Color ANOMALY_SHADE = new Color(230, 60, 60, 70);
    private static final Color THRESHOLD_COLOR = new Color(30, 30, 30);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ReportPlots() { }

    /**
     * Scores over time (log scale when all scores are positive), true anomalies shaded, thresholds drawn.
     * @param png The output file.
     * @param title The title.
     * @param labels 0/1 labels per time point.
     * @param names One name per score series.
     * @param scores Score series (same length as labels).
     * @param thresholds One threshold per series (NaN to omit).
     * @throws IOException If the file cannot be written.
     */
    static void scoresOverTime(Path png, String title, int[] labels, String[] names, double[][] scores,
                               double[] thresholds) throws IOException {
        int n = labels.length;
        int bucket = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
        int m = (n + bucket - 1) / bucket;
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double[] s : scores) {
            for (double v : s) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
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
            double[] y = new double[m];
            for (int b = 0; b < m; b++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int i = b * bucket; i < Math.min(n, (b + 1) * bucket); i++) {
                    best = Math.max(best, scores[k][i]);
                }
                y[b] = (log ? Math.log10(best) : best) - base;
            }
            XYSeries s = chart.addSeries(names[k], x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineWidth(1f);
            s.setLineColor(colours[k % colours.length]);
            if (!Double.isNaN(thresholds[k]) && (!log || thresholds[k] > 0)) {
                double t = (log ? Math.log10(thresholds[k]) : thresholds[k]) - base;
                XYSeries ts = chart.addSeries(names[k] + " threshold", new double[]{0, x[m - 1]}, new double[]{t, t});
                ts.setMarker(SeriesMarkers.NONE);
                ts.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT,
                        java.awt.BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f));
                ts.setLineColor(colours[k % colours.length].darker());
            }
        }
        if (bucket > 1) {
            chart.setTitle(title + " (max of every " + bucket + " steps)");
        }
        save(chart, png);
    }

    /**
     * ROC curves of several score series on the same labels, with the chance diagonal.
     * @param png The output file.
     * @param title The title.
     * @param labels 0/1 labels.
     * @param names Series names.
     * @param scores Score series.
     * @throws IOException If the file cannot be written.
     */
    static void roc(Path png, String title, int[] labels, String[] names, double[][] scores) throws IOException {
        XYChart chart = new XYChartBuilder().width(600).height(560).title(title)
                .xAxisTitle("false positive rate").yAxisTitle("true positive rate").build();
        style(chart);
        for (int k = 0; k < scores.length; k++) {
            Curves.Curve c = Curves.roc(scores[k], labels);
            XYSeries s = chart.addSeries(names[k], thin(c.x()), thin(c.y()));
            s.setMarker(SeriesMarkers.NONE);
        }
        XYSeries chance = chart.addSeries("chance", new double[]{0, 1}, new double[]{0, 1});
        chance.setMarker(SeriesMarkers.NONE);
        chance.setLineColor(Color.GRAY);
        save(chart, png);
    }

    /**
     * Precision-recall curves of several score series, with the positive rate as the chance level.
     * @param png The output file.
     * @param title The title.
     * @param labels 0/1 labels.
     * @param names Series names.
     * @param scores Score series.
     * @throws IOException If the file cannot be written.
     */
    static void precisionRecall(Path png, String title, int[] labels, String[] names, double[][] scores)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(600).height(560).title(title)
                .xAxisTitle("recall").yAxisTitle("precision").build();
        style(chart);
        for (int k = 0; k < scores.length; k++) {
            Curves.Curve c = Curves.precisionRecall(scores[k], labels);
            XYSeries s = chart.addSeries(names[k], thin(c.x()), thin(c.y()));
            s.setMarker(SeriesMarkers.NONE);
        }
        double rate = (double) java.util.Arrays.stream(labels).sum() / labels.length;
        XYSeries chance = chart.addSeries("chance (positive rate)", new double[]{0, 1}, new double[]{rate, rate});
        chance.setMarker(SeriesMarkers.NONE);
        chance.setLineColor(Color.GRAY);
        save(chart, png);
    }

    /**
     * Teacher score against student score per point (log-log when positive), inliers and outliers in two colours,
     * with the diagonal y = x.
     * @param png The output file.
     * @param title The title.
     * @param labels 0/1 labels.
     * @param teacher Teacher scores.
     * @param student Student scores (teacher's scale).
     * @throws IOException If the file cannot be written.
     */
    static void teacherVsStudent(Path png, String title, int[] labels, double[] teacher, double[] student)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(650).height(600).title(title)
                .xAxisTitle("teacher score").yAxisTitle("student score").build();
        style(chart);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(3);
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < labels.length; i++) {
            min = Math.min(min, Math.min(teacher[i], student[i]));
            max = Math.max(max, Math.max(teacher[i], student[i]));
        }
        boolean log = min > 0;
        chart.getStyler().setXAxisLogarithmic(log);
        chart.getStyler().setYAxisLogarithmic(log);
        int stride = Math.max(1, labels.length / 6000);
        for (int cls = 0; cls <= 1; cls++) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == cls && (cls == 1 || i % stride == 0)) {
                    xs.add(teacher[i]);
                    ys.add(student[i]);
                }
            }
            if (!xs.isEmpty()) {
                XYSeries s = chart.addSeries(cls == 1 ? "anomalous points" : "normal points", xs, ys);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(cls == 1 ? new Color(220, 40, 40, 160) : new Color(60, 90, 200, 90));
            }
        }
        XYSeries diagonal = chart.addSeries("student = teacher", new double[]{min, max}, new double[]{min, max});
        diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        diagonal.setMarker(SeriesMarkers.NONE);
        diagonal.setLineColor(Color.DARK_GRAY);
        save(chart, png);
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
