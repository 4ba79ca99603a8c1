package io.github.tribuokd.examples;

import io.github.tribuokd.evaluation.AnomalyMetrics;
import io.github.tribuokd.evaluation.Json;
import io.github.tribuokd.evaluation.MetricInputs;
import io.github.tribuokd.evaluation.PotThreshold;
import io.github.tribuokd.evaluation.QuantileThreshold;
import io.github.tribuokd.evaluation.Threshold;
import io.github.tribuokd.evaluation.VolumeUnderSurface;
import io.github.tribuokd.timeseries.DecimalNumbers;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code evaluate}: every metric of docs/EVALUATION.md for any scorer's output (ours or another library's), read as one
 * number per line, printed as one JSON object.
 */
final class EvaluateCommand implements Main.Command {

    @Override
    public String summary() {
        return "evaluate any scores against labels (one number per line) and print every metric as JSON";
    }

    @Override
    public String usage() {
        return String.join("\n",
                "Usage: java -jar examples/target/tribuo-kd.jar evaluate --scores FILE --labels FILE THRESHOLD [options]",
                "",
                "Reads one score and one 0/1 label per line (same order, time order; higher score = more anomalous)",
                "and prints one JSON object: roc_auc, pr_auc, f1_pointwise, f1_pa, pak_f1 (K = 0..100 step 10),",
                "pak_area, best_f1_pointwise, best_f1_pa (oracle: they use the labels), threshold, and",
                "random_baseline with the same keys (uniform scores flagging as many points as the scores do).",
                "TSB-AD's metrics beside them: vus_pr, vus_roc (over buffer lengths 0..W, vus_window), and at the",
                "threshold f1_event, f1_range, affiliation_f (with precision/recall), plus their oracle best over",
                "TSB-AD's 100 thresholds (best_f1_event, best_f1_range, best_affiliation_f).",
                "",
                "THRESHOLD (exactly one; a point is anomalous when score > threshold):",
                "  --threshold X                      a fixed threshold",
                "  --threshold-quantile q --calibration FILE",
                "                                     the q-quantile of calibration scores (normal data, not the test)",
                "  --pot --calibration FILE [--pot-q q] [--pot-level l]",
                "                                     POT (Siffer et al. 2017) on calibration scores; q default 1e-3,",
                "                                     level default 0.98",
                "",
                "Options:",
                "  --seed N        seed of the random baseline (default 1)",
                "  --window W      sliding window of VUS-PR/VUS-ROC, an integer >= 0 (default "
                        + VolumeUnderSurface.DEFAULT_WINDOW + ", TSB-AD's default)",
                "  --report DIR    also write report.md, report.json and PNG plots (scores, ROC, PR) to DIR");
    }

    @Override
    public int run(String[] args) throws Exception {
        Path scoresFile = null, labelsFile = null, calibration = null, report = null;
        Double fixed = null, quantile = null;
        boolean pot = false;
        double potQ = PotThreshold.DEFAULT_Q, potLevel = PotThreshold.DEFAULT_LEVEL;
        long seed = 1;
        int window = VolumeUnderSurface.DEFAULT_WINDOW;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--pot")) {
                pot = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new Main.UsageException("Option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--scores": scoresFile = Path.of(v); break;
                case "--labels": labelsFile = Path.of(v); break;
                case "--calibration": calibration = Path.of(v); break;
                case "--threshold": fixed = number(a, v); break;
                case "--threshold-quantile": quantile = number(a, v); break;
                case "--pot-q": potQ = number(a, v); break;
                case "--pot-level": potLevel = number(a, v); break;
                case "--seed": seed = (long) number(a, v); break;
                case "--report": report = Path.of(v); break;
                case "--window": window = vusWindow(v); break;
                default: throw new Main.UsageException("Unknown option " + a);
            }
        }
        if (scoresFile == null || labelsFile == null) {
            throw new Main.UsageException("--scores and --labels are required");
        }
        int rules = (fixed != null ? 1 : 0) + (quantile != null ? 1 : 0) + (pot ? 1 : 0);
        if (rules != 1) {
            throw new Main.UsageException("Give exactly one threshold rule: --threshold, --threshold-quantile or --pot");
        }
        if ((quantile != null || pot) && calibration == null) {
            throw new Main.UsageException("--threshold-quantile and --pot need --calibration FILE (scores of normal data)");
        }
        RunOutputs outputs = report == null ? null : RunOutputs.directory(report, "--report", EvaluateCommand::progress);
        double[] scores = NumberFiles.readScores(scoresFile);
        int[] labels = NumberFiles.readLabels(labelsFile);
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scoresFile + " holds " + scores.length + " scores but " + labelsFile
                    + " holds " + labels.length + " labels");
        }
        double threshold;
        String rule;
        if (fixed != null) {
            threshold = fixed;
            rule = "fixed threshold " + fixed;
        } else {
            double[] cal = NumberFiles.readScores(calibration);
            final boolean byQuantile = quantile != null;
            final double q = byQuantile ? quantile : Double.NaN;
            final double pq = potQ, level = potLevel;
            Threshold t = MetricInputs.describing("calibration scores " + calibration, () -> byQuantile
                    ? QuantileThreshold.fit(cal, q) : PotThreshold.fit(cal, pq, level));
            threshold = t.value();
            rule = t.toString();
        }
        AnomalyMetrics metrics = AnomalyMetrics.compute(scores, labels, threshold, seed, window,
                "scores " + scoresFile + " with labels " + labelsFile);
        Map<String, Object> json = metrics.toMap();
        json.put("threshold_rule", rule);
        json.put("scores_file", scoresFile.toString());
        json.put("labels_file", labelsFile.toString());
        String text = Json.write(json);
        System.out.println(text);
        if (outputs != null) {
            // The report first; a plot that cannot be drawn is skipped with a warning (RunOutputs).
            outputs.writeReport(json, metrics.toMarkdown("Evaluation of " + scoresFile) + "\nThreshold rule: "
                    + rule);
            String name = scoresFile.getFileName().toString();
            outputs.plot("scores.png", f -> ReportPlots.scoresOverTime(f, "Scores of " + name, labels,
                    new String[]{"score"}, new double[][]{scores}, new double[]{threshold}));
            outputs.plot("roc.png", f -> ReportPlots.roc(f, "ROC", labels, new String[]{"scores"},
                    new double[][]{scores}));
            outputs.plot("pr.png", f -> ReportPlots.precisionRecall(f, "Precision-recall", labels,
                    new String[]{"scores"}, new double[][]{scores}));
            outputs.finish();
        }
        return 0;
    }

    private static void progress(String message) {
        System.err.println("[evaluate] " + message);
    }

    private static double number(String option, String value) throws Main.UsageException {
        try {
            return DecimalNumbers.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new Main.UsageException(option + " needs a decimal number: " + e.getMessage());
        }
    }

    private static int vusWindow(String value) throws Main.UsageException {
        try {
            int w = Integer.parseInt(value.trim());
            if (w >= 0) {
                return w;
            }
        } catch (NumberFormatException e) {
            // explained below
        }
        throw new Main.UsageException("--window needs an integer >= 0 (the VUS sliding window), found '" + value + "'");
    }
}
