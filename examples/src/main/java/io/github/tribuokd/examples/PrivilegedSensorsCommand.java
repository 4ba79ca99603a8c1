package io.github.tribuokd.examples;

import io.github.tribuokd.evaluation.PrivilegedSensorsExperiment;
import io.github.tribuokd.evaluation.PrivilegedSensorsExperiment.EntityResult;
import io.github.tribuokd.evaluation.PrivilegedSensorsExperiment.Figures;
import io.github.tribuokd.evaluation.PrivilegedSensorsExperiment.Row;
import io.github.tribuokd.timeseries.SmdEntity;
import io.github.tribuokd.timeseries.SmdLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code privileged-sensors}: anomaly detection with privileged sensors (seed 003's "future work (2)"); all work is
 * {@link PrivilegedSensorsExperiment}; this command parses, calls, and writes the tables.
 */
@Command(name = "privileged-sensors", mixinStandardHelpOptions = false, sortOptions = false,
        description = {"A teacher autoencoder sees every variable of a machine; a score-regression student sees only "
                + "a share of them (the sensors available at deployment) and learns the teacher's log score. "
                + "Compared, per machine and on the mean, with the same teacher trained on that share alone and "
                + "with the full teacher: ROC-AUC, PR-AUC, point-wise F1 (each model's own threshold), PA%K area, "
                + "random baseline. Writes report.md and report.json to --out."})
final class PrivilegedSensorsCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR",
            description = "SMD-layout dataset folder (train/, test/, test_label/); default: the SMD machine "
                    + "embedded in the jar.")
    Path data;

    @Option(names = "--entities", paramLabel = "all|A,B", description = "Entities of --data (default: all).")
    String entities;

    @Option(names = "--fractions", split = ",", paramLabel = "F,...",
            description = "Shares of the variables the student sees (default 0.5,0.25,0.1).")
    double[] fractions;

    @Option(names = "--draws", defaultValue = "3", paramLabel = "N",
            description = "Random choices of the variables per share (default: ${DEFAULT-VALUE}).")
    int draws;

    @Option(names = "--teacher-epochs", defaultValue = "15", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int teacherEpochs;

    @Option(names = "--student-epochs", defaultValue = "30", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int studentEpochs;

    @Option(names = "--window", defaultValue = "10", paramLabel = "L", description = "Window length (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--max-train-rows", defaultValue = "0", paramLabel = "N", description = "First N training rows (0: all).")
    int maxTrainRows;

    @Option(names = "--max-test-rows", defaultValue = "0", paramLabel = "N", description = "First N test rows (0: all).")
    int maxTestRows;

    @Option(names = "--plain-student",
            description = "Student learns ln(teacher score) alone, without the energy baseline and input clipping.")
    boolean plainStudent;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "Seed of the variable choice and the random baseline (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "tribuo-kd-privileged-sensors", paramLabel = "DIR",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrivilegedSensorsExperiment.Settings s = new PrivilegedSensorsExperiment.Settings();
        if (fractions != null) {
            s.fractions = fractions;
        }
        s.draws = draws;
        s.teacherEpochs = teacherEpochs;
        s.studentEpochs = studentEpochs;
        s.windowLength = window;
        s.maxTrainRows = maxTrainRows;
        s.maxTestRows = maxTestRows;
        s.seed = seed;
        s.energyBaseline = !plainStudent;
        try {
            s.check();
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
        Path dir = data;
        String source;
        List<String> names;
        if (dir == null) {
            if (entities != null) {
                throw new Main.UsageException("--entities needs --data");
            }
            dir = DemoCommand.extractEmbedded(DemoCommand.DEFAULT_ENTITY);
            source = "SMD " + DemoCommand.DEFAULT_ENTITY + " (embedded in the jar)";
            names = List.of(DemoCommand.DEFAULT_ENTITY);
        } else {
            source = dir.toString();
            names = entities == null || entities.equals("all") ? SmdLoader.listEntities(dir)
                    : Arrays.asList(entities.split(","));
        }
        RunOutputs outputs = RunOutputs.directory(out, "--out", System.out::println);   // before any work
        long start = System.nanoTime();
        List<EntityResult> results = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).trim();
            System.out.printf(Locale.ROOT, "entity %d/%d: %s (%.0f s so far)%n", i + 1, names.size(), name,
                    (System.nanoTime() - start) / 1e9);
            SmdEntity entity = SmdLoader.load(dir, name);
            results.add(PrivilegedSensorsExperiment.run(name, entity.train(), entity.test(), s,
                    System.out::println));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String md = outputs.writeReport(json(results, s, source, seconds), markdown(results, s, source, seconds));
        outputs.finish();
        System.out.println(md);
        return Main.EXIT_OK;
    }

    private static Map<String, Object> figures(Figures f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("roc_auc", f.rocAuc());
        m.put("pr_auc", f.prAuc());
        m.put("f1_pointwise", f.f1Pointwise());
        m.put("pak_area", f.pakArea());
        m.put("parameters", f.parameters());
        return m;
    }

    private static Map<String, Object> json(List<EntityResult> results, PrivilegedSensorsExperiment.Settings s,
                                            String source, double seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", source);
        m.put("window_length", s.windowLength);
        m.put("fractions", s.fractions);
        m.put("draws", s.draws);
        m.put("seed", s.seed);
        m.put("teacher", PrivilegedSensorsExperiment.teacherTrainer(s.teacherEpochs).toString());
        m.put("student", PrivilegedSensorsExperiment.studentTrainer(s.studentEpochs).toString());
        m.put("reconstruction_student",
                PrivilegedSensorsExperiment.reconstructionStudentTrainer(s.teacherEpochs).toString());
        m.put("student_target", s.energyBaseline ? "ln(S + eps) - ln(E + eps), inputs clipped to their training "
                + "range (energy baseline)" : "ln(S + eps)");
        m.put("variable_rule", "variables that vary over the training series, in a random order (seed + draw); the "
                + "first max(1, round(f*m)) of them; no labels read");
        m.put("threshold_rule", "each model's 0.99 quantile of its scores on its own calibration tail (the last 10% "
                + "of its training windows)");
        m.put("seconds", seconds);
        List<Object> entities = new ArrayList<>();
        for (EntityResult e : results) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("entity", e.entity());
            x.put("variables", e.numVariables());
            x.put("varying_variables", e.varyingVariables());
            x.put("test_points", e.testPoints());
            x.put("anomalous_points", e.anomalousPoints());
            x.put("full_teacher", figures(e.fullTeacher()));
            x.put("random", figures(e.random()));
            List<Object> rows = new ArrayList<>();
            for (Row r : e.rows()) {
                Map<String, Object> y = new LinkedHashMap<>();
                y.put("fraction", r.fraction());
                y.put("draw", r.draw());
                y.put("variables", r.variables());
                y.put("subset_teacher", figures(r.subsetTeacher()));
                y.put("privileged_student", figures(r.student()));
                y.put("privileged_reconstruction_student", figures(r.reconstructionStudent()));
                y.put("student_warnings", r.studentWarnings());
                rows.add(y);
            }
            x.put("rows", rows);
            x.put("seconds", e.seconds());
            entities.add(x);
        }
        m.put("entities", entities);
        return m;
    }

    private static String markdown(List<EntityResult> results, PrivilegedSensorsExperiment.Settings s, String source,
                                   double seconds) {
        StringBuilder sb = new StringBuilder("# Anomaly detection with privileged sensors\n\n");
        sb.append("- Data: ").append(source).append(", ").append(results.size()).append(" entities; windows of ")
                .append(s.windowLength).append(" steps; the first 90% of the training windows fit the teachers, "
                        + "the last 10% calibrate the student\n");
        sb.append("- Variables: ").append(s.draws).append(" random draws (seed ").append(s.seed)
                .append(" + draw) among those that vary in training; no labels read\n");
        sb.append("- Reconstruction student: autoencoder k-8-k of the subset copying the full teacher's "
                + "reconstructions of it; its score is its own reconstruction error\n");
        sb.append("- Score student: MLP k-16-1 learning ").append(s.energyBaseline
                ? "ln(S + eps) - ln(E + eps) (teacher score over input energy), inputs clipped to their training range"
                : "ln(S + eps)").append('\n');
        sb.append("- Thresholds: each model's 0.99 quantile on its own calibration tail (point-wise F1)\n\n");
        sb.append("## Means over entities (each entity's draws averaged first)\n\n");
        sb.append("| share | detector | ROC-AUC | PR-AUC | F1 point-wise | PA%K area |\n|---|---|---:|---:|---:|---:|\n");
        double[][][] means = PrivilegedSensorsExperiment.means(results, s.fractions);
        for (int f = 0; f < s.fractions.length; f++) {
            for (int d = 0; d < PrivilegedSensorsExperiment.DETECTORS.size(); d++) {
                sb.append(String.format(Locale.ROOT, "| %.0f%% | %s | %.4f | %.4f | %.4f | %.4f |%n",
                        100 * s.fractions[f], PrivilegedSensorsExperiment.DETECTORS.get(d), means[f][d][0], means[f][d][1], means[f][d][2],
                        means[f][d][3]));
            }
        }
        sb.append("\n## Per entity (ROC-AUC / PR-AUC; draws averaged)\n\n| entity | full teacher | random |");
        for (double f : s.fractions) {
            sb.append(String.format(Locale.ROOT, " subset-only %.0f%% | score student %.0f%% | reconstruction student "
                    + "%.0f%% |", 100 * f, 100 * f, 100 * f));
        }
        sb.append("\n|---|---|---|");
        sb.append("---|---|---|".repeat(s.fractions.length)).append('\n');
        for (EntityResult e : results) {
            sb.append("| ").append(e.entity()).append(" | ").append(pair(e.fullTeacher())).append(" | ")
                    .append(pair(e.random())).append(" |");
            for (double f : s.fractions) {
                double[] sub = new double[2], stu = new double[2], rec = new double[2];
                int n = 0;
                for (Row r : e.rows()) {
                    if (r.fraction() == f) {
                        sub[0] += r.subsetTeacher().rocAuc();
                        sub[1] += r.subsetTeacher().prAuc();
                        stu[0] += r.student().rocAuc();
                        stu[1] += r.student().prAuc();
                        rec[0] += r.reconstructionStudent().rocAuc();
                        rec[1] += r.reconstructionStudent().prAuc();
                        n++;
                    }
                }
                sb.append(String.format(Locale.ROOT, " %.3f / %.3f | %.3f / %.3f | %.3f / %.3f |", sub[0] / n,
                        sub[1] / n, stu[0] / n, stu[1] / n, rec[0] / n, rec[1] / n));
            }
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%nWall time %.1f s.%n", seconds));
        return sb.toString();
    }

    private static String pair(Figures f) {
        return String.format(Locale.ROOT, "%.3f / %.3f", f.rocAuc(), f.prAuc());
    }
}
