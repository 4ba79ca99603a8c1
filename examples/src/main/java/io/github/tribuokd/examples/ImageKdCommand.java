package io.github.tribuokd.examples;

import io.github.tribuokd.evaluation.OneClassImageExperiment;
import io.github.tribuokd.evaluation.OneClassImageExperiment.Approach;
import io.github.tribuokd.evaluation.OneClassImageExperiment.Cell;
import io.github.tribuokd.evaluation.OneClassImageExperiment.Summary;
import io.github.tribuokd.nn.ConvNetSpec;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code image-kd}: the experiment of seed 001 (Pol et al., "Knowledge Distillation for Anomaly Detection"): for
 * each dataset and each normal class, a convolutional autoencoder teacher and the score-regression students S1–S7
 * trained by four approaches (offline KD, co-learning, co-learning with outlier exposure, co-learning with noise
 * exposure), evaluated by ROC-AUC (teacher, student, their ratio) and the EMD between teacher and student log scores
 * on the inliers and on the outliers of a balanced 1,000 + 1,000 test set; a table and the seed's Figure 2. The
 * protocol is {@link OneClassImageExperiment}; this command parses the options, calls it and writes the report, the
 * cells' CSV and the figure.
 */
final class ImageKdCommand implements Main.Command {

    @Override
    public String summary() {
        return "seed 001: conv teacher, students S1-S7 by four approaches on MNIST / Fashion-MNIST (ROC-AUC ratio, EMD)";
    }

    @Override
    public String usage() {
        return String.join("\n",
                "Usage: java -jar examples/target/tribuo-kd.jar image-kd --data DIR [options]",
                "",
                "DIR holds MNIST/ and FashionMNIST/ (IDX files). For each dataset and normal class: the training images of",
                "the class train the teacher (" + ConvNetSpec.TEACHER + ");",
                "the test set is 1,000 normal + 1,000 anomalous images (other classes, seeded draw). Students S1-S7",
                "(ConvNetSpec.STUDENTS) regress ln(teacher MSE + 1e-6) with MAE, Adam 1e-3, batch 100, by:",
                "  offline   the trained teacher's scores (ScoreDistillationTrainer.distil)",
                "  co        co-learning (CoLearningDistillationTrainer, one joint loss)",
                "  co-oe     co-learning, students also see images of the other dataset (outlier exposure)",
                "  co-noise  co-learning, students also see x + 0.1 N(0,1) copies of the normal images",
                "Reported per cell and averaged over classes: teacher and student ROC-AUC, their ratio, EMD between",
                "teacher and student log scores on inliers and outliers, and a random-score ROC-AUC baseline.",
                "",
                "Options:",
                "  --data DIR            folder with MNIST/ and FashionMNIST/ (required)",
                "  --datasets A,B        MNIST,FashionMNIST (default both)",
                "  --classes LIST        e.g. 0-9 or 0,4,7 (default 0-9)",
                "  --students LIST       student numbers, e.g. 1-7 or 1,4,7 (default 1-7)",
                "  --approaches LIST     offline,co,co-oe,co-noise (default all four)",
                "  --epochs N            teacher and student epochs (default 10; the seed used 300)",
                "  --outliers N          outlier-exposure images drawn from the other dataset (default 6000)",
                "  --test-size N         normal and anomalous test images each (default 1000, the seed's)",
                "  --max-train N         use at most N training images of the normal class (default all)",
                "  --preset reduced      classes 0,4,7, students 1,4,7, 3 epochs (a quick look, under 30 minutes)",
                "  --seed N              (default 1)",
                "  --out DIR             report.md, report.json, cells.csv, figure2.png (default tribuo-kd-image-kd)");
    }

    @Override
    public int run(String[] args) throws Exception {
        Map<String, String> o = Options.parse(args);
        Path data = Options.dataDir(o);
        boolean reduced = "reduced".equals(o.get("--preset"));
        if (o.containsKey("--preset") && !reduced) {
            throw new Main.UsageException("--preset takes 'reduced', found '" + o.get("--preset") + "'");
        }
        List<String> datasets = Arrays.asList(o.getOrDefault("--datasets", "MNIST,FashionMNIST").split(","));
        for (String d : datasets) {
            if (!d.equals("MNIST") && !d.equals("FashionMNIST")) {
                throw new Main.UsageException("--datasets takes MNIST and/or FashionMNIST, found '" + d + "'");
            }
        }
        int[] classes = Options.intList(o.getOrDefault("--classes", reduced ? "0,4,7" : "0-9"), "--classes", 0, 9);
        int[] students = Options.intList(o.getOrDefault("--students", reduced ? "1,4,7" : "1-7"), "--students", 1, 7);
        List<Approach> approaches = new ArrayList<>();
        for (String a : o.getOrDefault("--approaches", "offline,co,co-oe,co-noise").split(",")) {
            try {
                approaches.add(Approach.parse(a));
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException(e.getMessage());
            }
        }
        int epochs = Options.intOpt(o, "--epochs", reduced ? 3 : 10);
        int numOutliers = Options.intOpt(o, "--outliers", 6000);
        int testSize = Options.intOpt(o, "--test-size", 1000);
        int maxTrain = Options.intOpt(o, "--max-train", 0);
        if (numOutliers < 1 || testSize < 1 || maxTrain < 0 || epochs < 1) {
            throw new Main.UsageException("--outliers, --test-size and --epochs must be positive, --max-train >= 0");
        }
        long seed = Long.parseLong(o.getOrDefault("--seed", "1"));
        Path out = Path.of(o.getOrDefault("--out", "tribuo-kd-image-kd"));
        RunOutputs outputs = RunOutputs.directory(out, "--out", ImageKdCommand::progress);   // before any work

        long start = System.nanoTime();
        long[] classStart = {start};
        OneClassImageExperiment experiment = new OneClassImageExperiment(new OneClassImageExperiment.Settings(
                students, approaches, epochs, numOutliers, testSize, maxTrain, seed), outputs::trainingWarnings);
        List<Cell> cells = experiment.run(data, datasets, classes, (dataset, c, soFar) -> {
            progress(String.format("%s class %d done in %.0f s (total %.1f min)", dataset, c,
                    (System.nanoTime() - classStart[0]) / 1e9, (System.nanoTime() - start) / 60e9));
            writeCsv(out.resolve("cells.csv"), soFar);
            classStart[0] = System.nanoTime();
        });
        double minutes = (System.nanoTime() - start) / 60e9;
        String command = "java -jar examples/target/tribuo-kd.jar image-kd " + String.join(" ", args);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.put("minutes", minutes);
        json.put("epochs", epochs);
        json.put("cells", cellsJson(cells));
        // The report first; a figure that cannot be drawn is skipped with a warning (RunOutputs).
        outputs.writeReport(json, report(cells, datasets, approaches, students, classes, epochs, numOutliers, seed,
                minutes, command, testSize, maxTrain));
        outputs.plot("figure2.png", f -> {
            figure(f, cells, datasets, approaches);
            return "";
        });
        outputs.finish();
        progress(String.format("wrote %s (%.1f min)", out.toAbsolutePath(), minutes));
        return 0;
    }

    private static Cell any(List<Cell> cells, int student) {
        for (Cell c : cells) {
            if (c.student() == student) {
                return c;
            }
        }
        return null;
    }

    private static String report(List<Cell> cells, List<String> datasets, List<Approach> approaches, int[] students,
                                 int[] classes, int epochs, int numOutliers, long seed, double minutes,
                                 String command, int testSize, int maxTrain) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Seed 001: knowledge distillation for anomaly detection on images\n\n");
        sb.append("Command: `").append(command).append("` (").append(String.format("%.1f", minutes))
                .append(" minutes).\n\n");
        ConvNetSpec teacherSpec = ConvNetSpec.parse(ConvNetSpec.TEACHER, 1, 28, 28,
                io.github.tribuokd.nn.Activation.RELU, io.github.tribuokd.nn.Activation.IDENTITY);
        sb.append(String.format("Teacher: %,d parameters, %,d FLOPs per image (the seed's: 19,360 and 18.91M; FLOPs "
                + "here = 2 x multiply-accumulates of convolutions and dense layers).%n%n", teacherSpec.numParameters(),
                teacherSpec.flops()));
        sb.append("Protocol: one class normal; teacher `").append(ConvNetSpec.TEACHER).append("` trained on the")
                .append(maxTrain > 0 ? " first " + maxTrain + " of the" : "").append(" class's training images; test = ")
                .append(testSize).append(" normal + ").append(testSize).append(" anomalous images (other classes of")
                .append(" the test split, seed ").append(seed).append("). Classes ").append(Arrays.toString(classes))
                .append(", ").append(epochs).append(" epochs for teacher and students (the seed used 300), Adam 1e-3,")
                .append(" batch 100; students regress ln(MSE + 1e-6) with MAE. Outlier exposure: ").append(numOutliers)
                .append(" training images of the other dataset, one per normal image in a student batch; noise")
                .append(" exposure: x + 0.1 N(0,1). ROC-AUC is threshold-free; EMD is between the teacher's and the")
                .append(" student's log scores. Random-score ROC-AUC baseline in the last column.\n\n");
        for (String dataset : datasets) {
            sb.append("## ").append(dataset).append(" (mean ± sd over classes)\n\n");
            Approach first = approaches.get(0);
            Summary t = OneClassImageExperiment.summary(cells, dataset, first, students[0], Cell::teacherAuc);
            Summary r = OneClassImageExperiment.summary(cells, dataset, first, students[0], Cell::randomAuc);
            sb.append(String.format("Teacher ROC-AUC %.4f ± %.4f; random scores %.4f ± %.4f.%n%n", t.mean(), t.sd(),
                    r.mean(), r.sd()));
            sb.append("| approach | student | params | FLOPs | student ROC-AUC | ratio | EMD inliers | EMD outliers |\n");
            sb.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
            for (Approach a : approaches) {
                for (int s : students) {
                    Cell c = any(cells, s);
                    Summary auc = OneClassImageExperiment.summary(cells, dataset, a, s, Cell::studentAuc);
                    Summary ratio = OneClassImageExperiment.summary(cells, dataset, a, s, Cell::ratio);
                    Summary in = OneClassImageExperiment.summary(cells, dataset, a, s, Cell::emdInliers);
                    Summary outl = OneClassImageExperiment.summary(cells, dataset, a, s, Cell::emdOutliers);
                    sb.append(String.format("| %s | S%d | %,d | %,d | %.4f ± %.4f | %.4f ± %.4f | %.3f ± %.3f | "
                                    + "%.3f ± %.3f |%n", a.label(), s, c == null ? 0 : c.parameters(),
                            c == null ? 0 : c.flops(), auc.mean(), auc.sd(), ratio.mean(), ratio.sd(), in.mean(),
                            in.sd(), outl.mean(), outl.sd()));
                }
            }
            sb.append("\n");
        }
        sb.append("## Every cell\n\n| dataset | class | approach | student | teacher ROC-AUC | student ROC-AUC | ratio |")
                .append(" EMD in | EMD out | random ROC-AUC |\n|---|---:|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Cell c : cells) {
            sb.append(String.format("| %s | %d | %s | S%d | %.4f | %.4f | %.4f | %.3f | %.3f | %.4f |%n", c.dataset(),
                    c.normalClass(), c.approach().label(), c.student(), c.teacherAuc(), c.studentAuc(), c.ratio(),
                    c.emdInliers(), c.emdOutliers(), c.randomAuc()));
        }
        return sb.toString();
    }

    private static List<Map<String, Object>> cellsJson(List<Cell> cells) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Cell c : cells) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dataset", c.dataset());
            m.put("class", c.normalClass());
            m.put("approach", c.approach().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            m.put("student", "S" + c.student());
            m.put("parameters", c.parameters());
            m.put("flops", c.flops());
            m.put("teacher_roc_auc", c.teacherAuc());
            m.put("student_roc_auc", c.studentAuc());
            m.put("roc_auc_ratio", c.ratio());
            m.put("emd_inliers", c.emdInliers());
            m.put("emd_outliers", c.emdOutliers());
            m.put("random_roc_auc", c.randomAuc());
            list.add(m);
        }
        return list;
    }

    private static void writeCsv(Path file, List<Cell> cells) throws java.io.IOException {
        StringBuilder sb = new StringBuilder("dataset,class,approach,student,parameters,flops,teacher_roc_auc,"
                + "student_roc_auc,ratio,emd_inliers,emd_outliers,random_roc_auc\n");
        for (Cell c : cells) {
            sb.append(String.format(Locale.ROOT, "%s,%d,%s,S%d,%d,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f%n", c.dataset(),
                    c.normalClass(), c.approach().name().toLowerCase(Locale.ROOT), c.student(), c.parameters(), c.flops(),
                    c.teacherAuc(), c.studentAuc(), c.ratio(), c.emdInliers(), c.emdOutliers(), c.randomAuc()));
        }
        RunOutputs.writeAtomically(file, f -> Files.writeString(f, sb.toString()));
    }

    /** The seed's Figure 2: ROC-AUC ratio and EMD against student parameters, one line per approach. */
    private static void figure(Path png, List<Cell> cells, List<String> datasets, List<Approach> approaches)
            throws java.io.IOException {
        String[] rows = {"ROC-AUC ratio (student / teacher)", "EMD on outliers (log score)",
                "EMD on inliers (log score)"};
        List<XYChart> charts = new ArrayList<>();
        for (int row = 0; row < rows.length; row++) {
            for (String dataset : datasets) {
                XYChart chart = new XYChartBuilder().width(520).height(360).title(dataset + ": " + rows[row])
                        .xAxisTitle("student parameters").yAxisTitle(row == 0 ? "ratio" : "EMD").build();
                chart.getStyler().setXAxisLogarithmic(true);
                chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
                chart.getStyler().setPlotBackgroundColor(java.awt.Color.WHITE);
                chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
                chart.getStyler().setLegendVisible(row == 0);
                for (Approach a : approaches) {
                    List<double[]> points = new ArrayList<>();
                    for (int s = 1; s <= 7; s++) {
                        final int student = s;
                        final int r = row;
                        Summary v = OneClassImageExperiment.summary(cells, dataset, a, s,
                                c -> r == 0 ? c.ratio() : r == 1 ? c.emdOutliers() : c.emdInliers());
                        Cell c = null;
                        for (Cell x : cells) {
                            if (x.student() == student && x.dataset().equals(dataset)) {
                                c = x;
                                break;
                            }
                        }
                        if (c != null && v.count() > 0) {
                            points.add(new double[]{c.parameters(), v.mean()});
                        }
                    }
                    if (points.isEmpty()) {
                        continue;
                    }
                    points.sort((p, q) -> Double.compare(p[0], q[0]));
                    double[] x = new double[points.size()];
                    double[] y = new double[points.size()];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = points.get(i)[0];
                        y[i] = points.get(i)[1];
                    }
                    chart.addSeries(a.label(), x, y);
                }
                charts.add(chart);
            }
        }
        BitmapEncoder.saveBitmap(new ArrayList<>(charts), rows.length, datasets.size(),
                png.toString().replaceFirst("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void progress(String message) {
        System.err.println("[image-kd] " + message);
    }
}
