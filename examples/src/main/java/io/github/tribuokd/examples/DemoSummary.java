package io.github.tribuokd.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The summary of {@code demo --entities}: per entity and as means over the entities run, VUS-PR and VUS-ROC
 * (TSB-AD's metrics, window 100), ROC-AUC, PR-AUC,
 * point-wise F1 at each detector's own threshold and the PA%K area, for the teacher, the student, a random score,
 * and the detectors that need no deep learning; the student's fidelity to its teacher (no labels); and the time
 * each detector took. Built from the entities' {@code report.json} maps.
 */
final class DemoSummary {

    /** Detectors in column order: name in the table, path into report.json. */
    private static final String[][] DETECTORS = {
            {"teacher", "teacher"},
            {"student", "student"},
            {"random", "teacher.random_baseline"},
            {"PCA", "baselines.pca"},
            {"k-NN", "baselines.knn"}};

    /** Metrics: heading, key. */
    private static final String[][] METRICS = {
            {"VUS-PR (TSB-AD's ranking metric)", "vus_pr"},
            {"VUS-ROC", "vus_roc"},
            {"ROC-AUC", "roc_auc"},
            {"PR-AUC", "pr_auc"},
            {"F1 point-wise (own threshold)", "f1_pointwise"},
            {"PA%K area", "pak_area"}};

    private final String data;
    private final List<String> entities = new ArrayList<>();
    private final List<Map<String, Object>> reports = new ArrayList<>();
    private final Map<String, String> skipped = new LinkedHashMap<>();
    private final Map<String, String> failed = new LinkedHashMap<>();

    DemoSummary(String data) {
        this.data = data;
    }

    void add(String entity, Map<String, Object> report) {
        entities.add(entity);
        reports.add(report);
    }

    void skip(String entity, String why) {
        skipped.put(entity, why);
    }

    void fail(String entity, String why) {
        failed.put(entity, why);
    }

    int numFailed() {
        return failed.size();
    }

    /** The value at a dotted path, or NaN when absent. */
    @SuppressWarnings("unchecked")
    static double at(Map<String, Object> report, String path) {
        Object node = report;
        for (String part : path.split("\\.")) {
            if (!(node instanceof Map)) {
                return Double.NaN;
            }
            node = ((Map<String, Object>) node).get(part);
        }
        return node instanceof Number ? ((Number) node).doubleValue() : Double.NaN;
    }

    /** The mean over entities of the value at a path (NaN entries skipped; NaN when none). */
    double mean(String path) {
        double sum = 0;
        int n = 0;
        for (Map<String, Object> r : reports) {
            double v = at(r, path);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** The smallest over entities of {@code a − b} (e.g. student minus teacher ROC-AUC). */
    double minDifference(String a, String b) {
        double min = Double.POSITIVE_INFINITY;
        for (Map<String, Object> r : reports) {
            min = Math.min(min, at(r, a) - at(r, b));
        }
        return min;
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# tribuo-kd demo over ").append(entities.size()).append(" entities of ").append(data)
                .append("\n\n");
        sb.append("Entities (").append(entities.size()).append("): ").append(String.join(", ", entities))
                .append(".\n");
        if (!skipped.isEmpty()) {
            sb.append("Skipped (").append(skipped.size()).append("): ");
            skipped.forEach((k, v) -> sb.append(k).append(" (").append(v).append("); "));
            sb.append('\n');
        }
        if (!failed.isEmpty()) {
            sb.append("**FAILED** (").append(failed.size()).append(", not in the means): ");
            failed.forEach((k, v) -> sb.append(k).append(" (").append(v).append("); "));
            sb.append('\n');
        }
        if (!reports.isEmpty()) {
            Map<String, Object> first = reports.get(0);
            sb.append("Split: per entity, ").append(first.get("split")).append(". Thresholds: ")
                    .append(first.get("threshold_rule")).append(". Points: ").append(first.get("point_score_rule"))
                    .append(".\n\n");
        }
        for (String[] metric : METRICS) {
            sb.append("## ").append(metric[0]).append("\n\n| entity |");
            for (String[] d : DETECTORS) {
                sb.append(' ').append(d[0]).append(" |");
            }
            sb.append("\n|---|");
            sb.append("---:|".repeat(DETECTORS.length)).append('\n');
            for (int e = 0; e < entities.size(); e++) {
                sb.append("| ").append(entities.get(e)).append(" |");
                for (String[] d : DETECTORS) {
                    sb.append(' ').append(fmt(at(reports.get(e), d[1] + "." + metric[1]))).append(" |");
                }
                sb.append('\n');
            }
            sb.append("| **mean of ").append(entities.size()).append("** |");
            for (String[] d : DETECTORS) {
                sb.append(" **").append(fmt(mean(d[1] + "." + metric[1]))).append("** |");
            }
            sb.append("\n\n");
        }
        sb.append("## Student vs teacher\n\n");
        sb.append("| entity | ROC-AUC diff | PR-AUC ratio | Spearman, calibration tail | Spearman, exposed | "
                + "EMD, calibration tail | EMD, exposed | parameters | speed-up |\n|---|---:|---:|---:|---:|---:|"
                + "---:|---:|---:|\n");
        for (int e = 0; e < entities.size(); e++) {
            Map<String, Object> r = reports.get(e);
            sb.append("| ").append(entities.get(e)).append(" | ")
                    .append(fmt(at(r, "student.roc_auc") - at(r, "teacher.roc_auc"))).append(" | ")
                    .append(fmt(at(r, "student.pr_auc") / at(r, "teacher.pr_auc"))).append(" | ")
                    .append(fmt(at(r, "fidelity.calibration_tail.spearman"))).append(" | ")
                    .append(fmt(at(r, "fidelity.exposed_held_aside.spearman"))).append(" | ")
                    .append(fmt(at(r, "fidelity.calibration_tail.emd"))).append(" | ")
                    .append(fmt(at(r, "fidelity.exposed_held_aside.emd"))).append(" | ")
                    .append(fmt(at(r, "parameters.student_over_teacher"))).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1fx", at(r, "scoring_ns_per_example.teacher")
                            / at(r, "scoring_ns_per_example.student"))).append(" |\n");
        }
        sb.append(String.format(Locale.ROOT, "| **mean** | **%s** | **%s** (of means) | **%s** | **%s** | **%s** | "
                        + "**%s** | **%s** | **%.1fx** |%n%n",
                fmt(mean("student.roc_auc") - mean("teacher.roc_auc")),
                fmt(mean("student.pr_auc") / mean("teacher.pr_auc")),
                fmt(mean("fidelity.calibration_tail.spearman")), fmt(mean("fidelity.exposed_held_aside.spearman")),
                fmt(mean("fidelity.calibration_tail.emd")), fmt(mean("fidelity.exposed_held_aside.emd")),
                fmt(mean("parameters.student_over_teacher")),
                mean("scoring_ns_per_example.teacher") / mean("scoring_ns_per_example.student")));
        sb.append(String.format(Locale.ROOT, "Worst entity, student minus teacher ROC-AUC: %s.%n%n",
                fmt(minDifference("student.roc_auc", "teacher.roc_auc"))));
        sb.append("## Time (mean per entity)\n\n| detector | training s | scoring ns per window |\n|---|---:|---:|\n");
        sb.append(String.format(Locale.ROOT, "| teacher + student (distillation) | %.1f | %.0f / %.0f |%n",
                mean("training_seconds"), mean("scoring_ns_per_example.teacher"),
                mean("scoring_ns_per_example.student")));
        sb.append(String.format(Locale.ROOT, "| PCA | %.1f | %.0f |%n", mean("baselines.pca.training_seconds"),
                mean("baselines.pca.scoring_ns_per_example")));
        sb.append(String.format(Locale.ROOT, "| k-NN | %.1f | %.0f |%n", mean("baselines.knn.training_seconds"),
                mean("baselines.knn.scoring_ns_per_example")));
        sb.append(String.format(Locale.ROOT, "%nWhole run: %.0f s for %d entities.%n", sumOf("total_seconds"),
                entities.size()));
        String best = bestSimple("roc_auc");
        sb.append(String.format(Locale.ROOT, "%nBest simple detector by mean ROC-AUC: %s; the teacher %s it "
                        + "(%s vs %s).%n", best, mean("teacher.roc_auc") > mean(pathOf(best) + ".roc_auc")
                        ? "beats" : "does not beat", fmt(mean("teacher.roc_auc")),
                fmt(mean(pathOf(best) + ".roc_auc"))));
        String bestVus = bestSimple("vus_pr");
        sb.append(String.format(Locale.ROOT, "%nBest simple detector by mean VUS-PR: %s; the teacher %s it "
                        + "(%s vs %s); student VUS-PR / teacher VUS-PR (of means) %s.%n", bestVus,
                mean("teacher.vus_pr") > mean(pathOf(bestVus) + ".vus_pr") ? "beats" : "does not beat",
                fmt(mean("teacher.vus_pr")), fmt(mean(pathOf(bestVus) + ".vus_pr")),
                fmt(mean("student.vus_pr") / mean("teacher.vus_pr"))));
        String bestPr = bestSimple("pr_auc");
        sb.append(String.format(Locale.ROOT, "Best simple detector by mean PR-AUC: %s; the teacher %s it "
                        + "(%s vs %s).%n", bestPr, mean("teacher.pr_auc") > mean(pathOf(bestPr) + ".pr_auc")
                        ? "beats" : "does not beat", fmt(mean("teacher.pr_auc")),
                fmt(mean(pathOf(bestPr) + ".pr_auc"))));
        return sb.toString();
    }

    private String bestSimple(String metric) {
        String best = "PCA";
        if (mean("baselines.knn." + metric) > mean("baselines.pca." + metric)) {
            best = "k-NN";
        }
        return best;
    }

    private static String pathOf(String detector) {
        return detector.equals("PCA") ? "baselines.pca" : "baselines.knn";
    }

    private double sumOf(String path) {
        double sum = 0;
        for (Map<String, Object> r : reports) {
            sum += at(r, path);
        }
        return sum;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data);
        m.put("entities", new ArrayList<>(entities));
        m.put("skipped", new LinkedHashMap<>(skipped));
        m.put("failed", new LinkedHashMap<>(failed));
        Map<String, Object> means = new LinkedHashMap<>();
        for (String[] d : DETECTORS) {
            Map<String, Object> dm = new LinkedHashMap<>();
            for (String[] metric : METRICS) {
                dm.put(metric[1], mean(d[1] + "." + metric[1]));
            }
            means.put(d[0], dm);
        }
        means.put("fidelity_spearman_calibration_tail", mean("fidelity.calibration_tail.spearman"));
        means.put("fidelity_spearman_exposed", mean("fidelity.exposed_held_aside.spearman"));
        means.put("fidelity_emd_calibration_tail", mean("fidelity.calibration_tail.emd"));
        means.put("fidelity_emd_exposed", mean("fidelity.exposed_held_aside.emd"));
        means.put("student_over_teacher_parameters", mean("parameters.student_over_teacher"));
        means.put("teacher_ns_per_window", mean("scoring_ns_per_example.teacher"));
        means.put("student_ns_per_window", mean("scoring_ns_per_example.student"));
        m.put("means", means);
        m.put("worst_student_minus_teacher_roc_auc", minDifference("student.roc_auc", "teacher.roc_auc"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int e = 0; e < entities.size(); e++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("entity", entities.get(e));
            for (String[] d : DETECTORS) {
                for (String[] metric : METRICS) {
                    row.put(d[0] + "." + metric[1], at(reports.get(e), d[1] + "." + metric[1]));
                }
            }
            row.put("spearman_calibration_tail", at(reports.get(e), "fidelity.calibration_tail.spearman"));
            row.put("spearman_exposed", at(reports.get(e), "fidelity.exposed_held_aside.spearman"));
            row.put("total_seconds", at(reports.get(e), "total_seconds"));
            rows.add(row);
        }
        m.put("per_entity", rows);
        return m;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }
}
