package io.github.tribuokd.examples;

import io.github.tribuokd.evaluation.AnomalyMetrics;
import io.github.tribuokd.evaluation.MSCREDSeriesExperiment;
import io.github.tribuokd.evaluation.MSCREDSeriesExperiment.ModelResult;
import io.github.tribuokd.evaluation.MSCREDSeriesExperiment.Result;
import io.github.tribuokd.evaluation.MSCREDSeriesExperiment.Row;
import io.github.tribuokd.timeseries.SignatureMatrices;
import io.github.tribuokd.timeseries.SmdEntity;
import io.github.tribuokd.timeseries.SmdLoader;
import io.github.tribuokd.timeseries.mscred.MSCREDPreset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code mscred}: the protocol of seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of
 * Long-Term Dependency") on MSL or SMAP: an MSCRED teacher on long inputs and the student rows of its Tables 1 and
 * 3 (Base_small, attention distillation only, LTA only with RNN/LSTM/GRU, the full method with RNN/LSTM/GRU) at
 * each student input length, with point-adjusted precision/recall/F1 beside point-wise F1, PA%K, ROC-AUC, PR-AUC
 * and a random baseline; parameter counts (Table 5) and inference times (Table 4) measured in the same run. The
 * protocol is {@link MSCREDSeriesExperiment}; this command parses the options, loads the series, calls it and writes
 * the reports.
 */
final class MscredCommand implements Main.Command {

    /**
     * The row named on the command line ({@code --rows}).
     * @throws Main.UsageException For an unknown name.
     */
    static Row parseRow(String s) throws Main.UsageException {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (Row r : Row.values()) {
            if (r.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(k)) {
                return r;
            }
        }
        throw new Main.UsageException("Unknown row '" + s + "'; expected base-small, ad, lta-rnn, lta-lstm, "
                + "lta-gru, full-rnn, full-lstm, full-gru");
    }

    @Override
    public String summary() {
        return "seed 002: MSCRED teacher, LTA students on MSL / SMAP (PA-F1 tables, parameters, inference time)";
    }

    @Override
    public String usage() {
        return String.join("\n",
                "Usage: java -jar examples/target/tribuo-kd.jar mscred --data DIR (--preset msl|smap | --teacher-length L)"
                        + " [options]",
                "",
                "DIR is MSL or SMAP (channels concatenated in channels.txt order, as the seed). The teacher (MSCRED, 4",
                "levels) reads inputs of --teacher-length points; every student (2 levels, the teacher's first two)",
                "reads --student-lengths. An input of L points = 5 signature-matrix stacks, gap round(L/10), scales",
                "round(L x 0.1/0.3/0.6) (L = 100 is MSCRED's 10/30/60, gap 10). Score: the number of residual entries",
                "of scale 1 above tau (eq. 4); a point is anomalous when its latest input's count exceeds the count",
                "threshold. tau and the threshold: quantiles on the last 10% of every channel's training points",
                "(--calibration), which the models do not train on.",
                "",
                "Options:",
                "  --data DIR               MSL or SMAP folder (required)",
                "  --entity NAME            one channel of DIR as its own series instead of the concatenation",
                "  --entities A,B,...|all   each channel in turn (its own models), a report per channel in --out/NAME",
                "                           and summary.md: ROC-AUC, PR-AUC and PA-F1 per channel and their means",
                "  --preset msl|smap        the seed's input lengths for that dataset: msl = teacher 800, students",
                "                           800,400,200,100; smap = teacher 100, students 100,50,25 (a preset or",
                "                           --teacher-length is required; the folder's name is never used)",
                "  --teacher-length L       (default: the preset's)",
                "  --student-lengths A,B    (default: the preset's; without a preset L, L/2)",
                "  --rows LIST              base-small,ad,lta-rnn,lta-lstm,lta-gru,full-rnn,full-lstm,full-gru (default all)",
                "  --channels C1,C2,C3,C4   teacher channels (default 32,64,128,256: the seed's 6,687,843 parameters)",
                "  --student-channels C1,C2 student channels (default: the teacher's first two, the seed's student; C2",
                "                           must equal the teacher's C2 for attention distillation; 24,64 with",
                "                           --lta-hidden 16 keeps student + accumulator within 6.1% of the teacher",
                "                           and its scoring within half the teacher's time, docs/RESULTS.md)",
                "  --lta-hidden H           the accumulator's hidden width (default 32)",
                "  --timing-repeats R       after training, score the test series R more times with every model, in",
                "                           round-robin order, and report the median scoring time (default 1: the",
                "                           evaluation pass's time only)",
                "  --teacher-epochs N       (default 3)   --epochs N   student epochs (default 3)",
                "  --lambda X               eq. 8's lambda for the distilled rows (default 0.5)",
                "  --train-stride K         train on every K-th input (default 1)",
                "  --max-train-rows N / --max-test-rows N   use only the first N points (default all)",
                "  --inputs standardised|raw   standardise every variable with the training mean and standard",
                "                           deviation before the signature matrices (default), or read raw values",
                "  --calibration per-channel|series-tail   on the concatenated channels: the last 10% of every",
                "                           channel's training points calibrates and the rest trains (default), or the",
                "                           last 10% of the concatenation (its last few channels, never trained on)",
                "  --seed N                 (default 1)",
                "  --out DIR                report.md, report.json (default tribuo-kd-mscred)");
    }

    @Override
    public int run(String[] args) throws Exception {
        Map<String, String> o = Options.parse(args);
        Path data = Options.dataDir(o);
        Path out = Path.of(o.getOrDefault("--out", "tribuo-kd-mscred"));
        if (o.containsKey("--entity") && o.containsKey("--entities")) {
            throw new Main.UsageException("give --entity or --entities, not both");
        }
        RunOutputs.checkDirectory(out, "--out");   // before any work: a bad --out must not cost a training run
        preset(o);                                 // likewise the input lengths
        if (!o.containsKey("--entities")) {
            reportSeries(o, data, o.get("--entity"), out, args);
            return 0;
        }
        List<String> entities = o.get("--entities").equals("all") ? SmdLoader.listEntities(data)
                : Arrays.asList(o.get("--entities").split(","));
        long start = System.nanoTime();
        Map<String, Result> perEntity = new LinkedHashMap<>();
        for (String name : entities) {
            progress("entity " + name + " (" + (perEntity.size() + 1) + " of " + entities.size() + ")");
            perEntity.put(name, reportSeries(o, data, name, out.resolve(name), args));
        }
        String command = "java -jar examples/target/tribuo-kd.jar mscred " + String.join(" ", args);
        String summary = entitySummary(perEntity, command, (System.nanoTime() - start) / 60e9);
        RunOutputs.writeAtomically(out.resolve("summary.md"), f -> Files.writeString(f, summary));
        progress("wrote " + out.resolve("summary.md").toAbsolutePath());
        return 0;
    }

    /**
     * The settings named by the options.
     * @throws Main.UsageException When an option is malformed or out of range.
     */
    static MSCREDSeriesExperiment.Settings settings(Map<String, String> o) throws Main.UsageException {
        // The seed's lengths per dataset are named presets (MSL teacher 800, students 800/400/200/100; SMAP 100 and
        // 100/50/25), never guessed from the folder's name; explicit lengths override them.
        MSCREDPreset preset = preset(o);
        int teacherLength = Options.intOpt(o, "--teacher-length", preset == null ? 0 : preset.teacherLength());
        int[] lengths = o.containsKey("--student-lengths")
                ? Options.intList(o.get("--student-lengths"), "--student-lengths", 10, 100000)
                : preset != null ? preset.studentLengths() : new int[]{teacherLength, teacherLength / 2};
        List<Row> rows = new ArrayList<>();
        for (String r : o.getOrDefault("--rows", "base-small,ad,lta-rnn,lta-lstm,lta-gru,full-rnn,full-lstm,full-gru")
                .split(",")) {
            rows.add(parseRow(r));
        }
        int[] channels = Arrays.stream(o.getOrDefault("--channels", "32,64,128,256").split(","))
                .mapToInt(Integer::parseInt).toArray();
        if (channels.length != 4) {
            throw new Main.UsageException("--channels takes four teacher channel counts, found " + channels.length);
        }
        int[] studentChannels = o.containsKey("--student-channels")
                ? Arrays.stream(o.get("--student-channels").split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[]{channels[0], channels[1]};
        if (studentChannels.length != 2 || studentChannels[1] != channels[1]) {
            throw new Main.UsageException("--student-channels takes two counts, the second equal to the teacher's second"
                    + " (" + channels[1] + ") so that the attention maps of eq. 8 match; found "
                    + Arrays.toString(studentChannels));
        }
        int ltaHidden = Options.intOpt(o, "--lta-hidden", 32);
        int timingRepeats = Options.intOpt(o, "--timing-repeats", 1);
        if (timingRepeats < 1) {
            throw new Main.UsageException("--timing-repeats must be at least 1, found " + timingRepeats);
        }
        int teacherEpochs = Options.intOpt(o, "--teacher-epochs", 3);
        int epochs = Options.intOpt(o, "--epochs", 3);
        int trainStride = Options.intOpt(o, "--train-stride", 1);
        double lambda = Double.parseDouble(o.getOrDefault("--lambda", "0.5"));
        int maxTrain = Options.intOpt(o, "--max-train-rows", 0);
        int maxTest = Options.intOpt(o, "--max-test-rows", 0);
        long seed = Long.parseLong(o.getOrDefault("--seed", "1"));
        String inputs = o.getOrDefault("--inputs", "standardised");
        if (!inputs.equals("standardised") && !inputs.equals("raw")) {
            throw new Main.UsageException("--inputs takes standardised or raw, found '" + inputs + "'");
        }
        String calibration = o.getOrDefault("--calibration", "per-channel");
        if (!calibration.equals("per-channel") && !calibration.equals("series-tail")) {
            throw new Main.UsageException("--calibration takes per-channel or series-tail, found '" + calibration
                    + "'");
        }
        return new MSCREDSeriesExperiment.Settings(teacherLength, lengths, rows, channels, studentChannels, ltaHidden,
                timingRepeats, teacherEpochs, epochs, trainStride, lambda, maxTrain, maxTest, seed,
                inputs.equals("raw"), calibration.equals("per-channel"));
    }

    /**
     * The protocol on one series: the channels concatenated ({@code entity} null, the seed's protocol) or one
     * entity (channel) of the dataset ({@link MSCREDSeriesExperiment}); writes report.md and report.json to
     * {@code out}.
     */
    private static Result reportSeries(Map<String, String> o, Path data, String entityName, Path out,
                                       String[] args) throws Exception {
        MSCREDSeriesExperiment.Settings settings = settings(o);
        RunOutputs outputs = RunOutputs.directory(out, "--out", MscredCommand::progress);
        long start = System.nanoTime();
        SmdEntity entity = entityName == null ? SmdLoader.loadConcatenated(data) : SmdLoader.load(data, entityName);
        // Training warnings (constant variables, a capped count threshold) on the terminal now and in the report.
        Result result = new MSCREDSeriesExperiment(settings, outputs::trainingWarnings, MscredCommand::progress)
                .run(entity);
        double minutes = (System.nanoTime() - start) / 60e9;
        String command = "java -jar examples/target/tribuo-kd.jar mscred " + String.join(" ", args);
        String markdown = report(result, settings, minutes, command);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.put("minutes", minutes);
        json.put("inputs", settings.rawInputs() ? "raw" : "standardised");
        int segments = result.calibrationSegments();
        json.put("calibration", segments > 1 ? "the last 10% of each of " + segments + " channels"
                : "the last 10% of the training series");
        List<Map<String, Object>> list = new ArrayList<>();
        for (ModelResult r : result.models()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", r.name());
            m.put("input_length", r.length());
            m.put("parameters", r.parameters());
            m.put("train_seconds", r.trainSeconds());
            m.put("scoring_seconds", r.scoringSeconds());
            m.put("inputs_scored", r.inputs());
            m.put("metrics", r.metrics().toMap());
            m.put("energy_roc_auc", r.energyRocAuc());
            if (Double.isFinite(r.channelMeanRocAuc())) {
                m.put("channel_mean_roc_auc", r.channelMeanRocAuc());
            }
            list.add(m);
        }
        json.put("results", list);
        Map<String, Object> baselineJson = new LinkedHashMap<>();
        for (Map.Entry<String, AnomalyMetrics> b : result.baselines().entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>(b.getValue().toMap());
            if (Double.isFinite(result.baselineChannelMeans().get(b.getKey()))) {
                m.put("channel_mean_roc_auc", result.baselineChannelMeans().get(b.getKey()));
            }
            baselineJson.put(b.getKey(), m);
        }
        json.put("naive_baselines", baselineJson);
        outputs.writeReport(json, markdown);
        progress(String.format("wrote %s (%.1f min)", out.toAbsolutePath(), minutes));
        return result;
    }

    /**
     * The {@code --preset} named, or null when {@code --teacher-length} gives the lengths instead.
     * @throws Main.UsageException When neither is given, or the preset is unknown.
     */
    static MSCREDPreset preset(Map<String, String> o) throws Main.UsageException {
        if (o.containsKey("--preset")) {
            try {
                return MSCREDPreset.parse(o.get("--preset"));
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException("--preset: " + e.getMessage());
            }
        }
        if (!o.containsKey("--teacher-length")) {
            throw new Main.UsageException("give --preset msl|smap (the seed's input lengths: MSL teacher 800, students"
                    + " 800,400,200,100; SMAP teacher 100, students 100,50,25) or --teacher-length L");
        }
        return null;
    }

    /**
     * Per-entity mode: ROC-AUC, PR-AUC and PA-F1 of every model and baseline on every entity, and their means over
     * the entities (entities without an anomalous test point are listed and left out of the means).
     */
    static String entitySummary(Map<String, Result> perEntity, String command, double minutes) {
        List<String> names = new ArrayList<>();
        for (Result s : perEntity.values()) {
            for (ModelResult r : s.models()) {
                String key = r.name() + " (L=" + r.length() + ")";
                if (!names.contains(key)) {
                    names.add(key);
                }
            }
            for (String b : s.baselines().keySet()) {
                if (!names.contains(b)) {
                    names.add(b);
                }
            }
        }
        StringBuilder sb = new StringBuilder("# Seed 002, one model per entity\n\n");
        sb.append("Command: `").append(command).append(String.format("` (%.1f minutes on this machine).%n%n", minutes));
        sb.append("Each entity (channel) is its own series: its own teacher and students, its own calibration (the last"
                + " 10% of its training series). Per entity: ROC-AUC / PA F1 (count rule; baselines: best PA F1, oracle)."
                + " The per-entity reports are in the entities' folders.\n\n");
        sb.append("| model |");
        for (String e : perEntity.keySet()) {
            sb.append(' ').append(e).append(" |");
        }
        sb.append(" mean ROC-AUC | mean PR-AUC | mean PA F1 | mean ROC-AUC of mean(residual²) | mean VUS-PR | mean VUS-ROC"
                + " |\n|---|");
        sb.append("---:|".repeat(perEntity.size() + 6)).append('\n');
        for (String name : names) {
            sb.append("| ").append(name).append(" |");
            double roc = 0, pr = 0, pa = 0, energy = 0, vusPr = 0, vusRoc = 0;
            int n = 0;
            for (Result s : perEntity.values()) {
                AnomalyMetrics m = null;
                double energyAuc = Double.NaN;
                boolean baseline = s.baselines().containsKey(name);
                if (baseline) {
                    m = s.baselines().get(name);
                } else {
                    for (ModelResult r : s.models()) {
                        if ((r.name() + " (L=" + r.length() + ")").equals(name)) {
                            m = r.metrics();
                            energyAuc = r.energyRocAuc();
                        }
                    }
                }
                if (m == null || !Double.isFinite(m.rocAuc())) {
                    sb.append(" – |");
                    continue;
                }
                double paF1 = baseline ? m.bestPointAdjusted().f1() : m.pointAdjusted().f1();
                sb.append(String.format(" %.3f / %.3f |", m.rocAuc(), paF1));
                roc += m.rocAuc();
                pr += m.prAuc();
                pa += paF1;
                vusPr += m.vusPr();
                vusRoc += m.vusRoc();
                energy += energyAuc;
                n++;
            }
            boolean isBaseline = perEntity.values().stream().anyMatch(s -> s.baselines().containsKey(name));
            sb.append(n == 0 ? " – | – | – | – | – | – |\n" : String.format(" %.3f | %.3f | %.3f | %s | %.3f | %.3f |%n",
                    roc / n, pr / n, pa / n, isBaseline ? "–" : String.format("%.3f", energy / n), vusPr / n,
                    vusRoc / n));
        }
        return sb.toString();
    }

    private static String report(Result result, MSCREDSeriesExperiment.Settings settings, double minutes,
                                 String command) {
        List<ModelResult> results = result.models();
        Map<String, AnomalyMetrics> baselines = result.baselines();
        Map<String, Double> baselineChannelMeans = result.baselineChannelMeans();
        int teacherLength = settings.teacherLength();
        int calibrationSegments = result.calibrationSegments();
        StringBuilder sb = new StringBuilder();
        sb.append("# Seed 002 on ").append(result.entity()).append("\n\n");
        sb.append("Command: `").append(command).append("` (").append(String.format("%.1f", minutes))
                .append(" minutes on this machine).\n\n");
        SignatureMatrices ts = SignatureMatrices.forInputLength(teacherLength);
        sb.append(String.format("Data: %d training points (%s calibrate tau and the count threshold), %d "
                        + "test points, %d anomalous (%.2f%%), %d variables, %s. Teacher input length %d (scales %s, gap "
                        + "%d); teacher %d epochs, students %d epochs, every %d-th input; lambda %.2f for A.D. and "
                        + "Ours. Threshold rule: count of |residual| entries of scale 1 above tau (0.99-quantile of "
                        + "the calibration residuals) greater than the 0.99-quantile of the calibration counts. "
                        + "PA = point-adjusted; the random row uses uniform scores flagging as many points.%n%n",
                result.trainPoints(), calibrationSegments > 1 ? "the last 10% of each of the " + calibrationSegments
                        + " channels' training points" : "the last 10%", result.testPoints(), result.anomalousPoints(),
                100.0 * result.anomalousPoints() / result.testPoints(), result.variables(),
                settings.rawInputs() ? "raw values" : "each standardised with its training mean and standard deviation",
                teacherLength, Arrays.toString(ts.scales()), ts.gap(), settings.teacherEpochs(), settings.epochs(),
                settings.trainStride(), settings.lambda()));
        sb.append("## Detection (Tables 1 and 3)\n\n");
        boolean channels = results.stream().anyMatch(r -> Double.isFinite(r.channelMeanRocAuc()));
        if (channels) {
            sb.append("ROC-AUC ranks all test points together; \"mean ROC-AUC per channel\" ranks within each channel "
                    + "of the concatenated test series that has both classes and averages (the channels' score levels "
                    + "do not matter there).\n\n");
        }
        sb.append("VUS-PR / VUS-ROC: TSB-AD's metrics (buffer lengths 0..100; random: the seeded uniform baseline's "
                + "VUS-PR). PA figures are the seed's Tables 1 and 3, kept for comparison"
                + " with the paper; PA rewards random scores (see the random PA F1).\n\n");
        sb.append("| model | L | VUS-PR | VUS-ROC | random VUS-PR | PA precision | PA recall | PA F1 | F1 point-wise | "
                + "PA%K area | ROC-AUC | PR-AUC | "
                + "best PA F1 (oracle) | random PA F1 | random F1 | ROC-AUC of mean(residual²) |"
                + (channels ? " mean ROC-AUC per channel |" : "") + "\n"
                + "|---|" + "---:|".repeat(15) + (channels ? "---:|" : "") + "\n");
        for (ModelResult r : results) {
            AnomalyMetrics m = r.metrics();
            sb.append(String.format("| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f "
                            + "| %.3f | %.3f | %.3f |%s%n",
                    r.name(), r.length(), m.vusPr(), m.vusRoc(), m.randomBaseline().vusPr(),
                    m.pointAdjusted().precision(), m.pointAdjusted().recall(),
                    m.pointAdjusted().f1(), m.pointwise().f1(), m.paK().area(), m.rocAuc(), m.prAuc(),
                    m.bestPointAdjusted().f1(), m.randomBaseline().pointAdjusted().f1(),
                    m.randomBaseline().pointwise().f1(), r.energyRocAuc(),
                    channels ? String.format(" %.3f |", r.channelMeanRocAuc()) : ""));
        }
        sb.append("\nDetectors that learn nothing, on the same test points (threshold-free figures; "
                + "NaiveSeriesBaselines):\n\n| baseline | ROC-AUC | PR-AUC | best F1 point-wise (oracle) | "
                + "best PA F1 (oracle) | VUS-PR | VUS-ROC |" + (channels ? " mean ROC-AUC per channel |" : "")
                + "\n|---|---:|---:|---:|---:|---:|---:|" + (channels ? "---:|" : "") + "\n");
        for (Map.Entry<String, AnomalyMetrics> b : baselines.entrySet()) {
            AnomalyMetrics m = b.getValue();
            sb.append(String.format("| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%s%n", b.getKey(), m.rocAuc(),
                    m.prAuc(), m.bestPointwise().f1(), m.bestPointAdjusted().f1(), m.vusPr(), m.vusRoc(),
                    channels ? String.format(" %.3f |", baselineChannelMeans.get(b.getKey())) : ""));
        }
        sb.append("\n## Size and inference time (Tables 4 and 5), measured in this run (2 threads)\n\n");
        if (settings.timingRepeats() > 1) {
            sb.append(String.format("Scoring times: the median of %d further scorings of the whole test series per model,"
                    + " the models taken in turn (round-robin), after the evaluation pass.%n%n", settings.timingRepeats()));
        }
        sb.append("Every model emits one score per teacher gap (a student with a smaller gap scores every k-th input; its "
                + "accumulator still reads every point), so total times compare the same output.\n\n");
        sb.append("| model | L | parameters | ratio | inputs scored | ms per input | total scoring (s) | training (s) "
                + "|\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        ModelResult teacher = results.get(0);
        for (ModelResult r : results) {
            sb.append(String.format("| %s | %d | %,d | %.4f | %d | %.2f | %.1f | %.0f |%n", r.name(), r.length(),
                    r.parameters(), (double) r.parameters() / teacher.parameters(), r.inputs(),
                    1000 * r.scoringSeconds() / r.inputs(), r.scoringSeconds(), r.trainSeconds()));
        }
        return sb.toString();
    }

    private static void progress(String message) {
        System.err.println("[mscred] " + message);
    }
}
