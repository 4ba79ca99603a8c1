// Over 600 lines: the one entry point of every side-by-side row (option parsing, interleaved repetitions, the
// table); each row's model lives in its own class. Not part of the default build (profile bench); the row
// runners stay here so that one file shows how every row of BENCHMARKS.md is measured.
package io.github.tribuokd.benchmarks;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The benchmark runner: one command runs every benchmark and prints one Markdown report (also written to
 * {@code benchmarks/target/results.md}).
 * <p>
 * The runner itself measures nothing. Every measurement runs in a child process started here — a child JVM with the
 * runner's own JVM flags and class path, or the Python peer — because thread settings of libtorch and OpenBLAS are
 * fixed when their native library loads, because peak memory must belong to one configuration, and so that one
 * side's JIT state, threads and native heaps never slow the other. Each child prints one {@code @@RESULT {json}}
 * line; its log goes to {@code benchmarks/target/bench-logs/}.
 * <p>
 * Usage: {@code java --add-modules jdk.incubator.vector -Djava.library.path=<empty dir> -jar
 * tribuo-kd-benchmarks.jar [--only dense,lstm,sgemm,mlp,cost] [--quick]}.
 */
public final class BenchMain {

    private static final Logger QUIET = Logger.getLogger("io.github.tribuokd");

    private final Set<String> only;
    private final boolean quick;
    private final Path target;
    private final Path logs;
    private final List<String> notes = new ArrayList<>();
    private final StringBuilder md = new StringBuilder();
    private final Map<String, String> versions = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();

    private BenchMain(Set<String> only, boolean quick) {
        this.only = only;
        this.quick = quick;
        this.target = targetDir();
        this.logs = target.resolve("bench-logs");
    }

    /**
     * Entry point.
     * @param args {@code --child TASK k=v...} in a child; otherwise {@code [--only a,b] [--quick]}.
     * @throws Exception On failure.
     */
    public static void main(String[] args) throws Exception {
        QUIET.setLevel(Level.WARNING);
        Locale.setDefault(Locale.ROOT);
        if (args.length > 0 && args[0].equals("--child")) {
            System.exit(runChild(args));
        }
        Set<String> only = new LinkedHashSet<>(Arrays.asList("dense", "lstm", "sgemm", "mlp", "cost"));
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--only") && i + 1 < args.length) {
                only = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
            } else if (args[i].equals("--quick")) {
                quick = true;
            } else {
                System.err.println("Unknown argument " + args[i]
                        + "; usage: [--only dense,lstm,sgemm,mlp,cost] [--quick]");
                System.exit(2);
            }
        }
        new BenchMain(only, quick).runAll();
        System.exit(0);
    }

    /** benchmarks/target: from -Dbench.target, else the directory of this jar (or of target/classes). */
    static Path targetDir() {
        String p = System.getProperty("bench.target");
        if (p != null) {
            return Paths.get(p).toAbsolutePath();
        }
        try {
            Path here = Paths.get(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return here.getParent().toAbsolutePath();
        } catch (URISyntaxException e) {
            return Paths.get("benchmarks", "target").toAbsolutePath();
        }
    }

    // ------------------------------------------------------------------------------------------------ children

    private static int runChild(String[] args) {
        String task = args[1];
        Map<String, String> kv = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            kv.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        try {
            Map<String, Object> r;
            switch (task) {
                case "dense": r = DenseAeBench.run(kv); break;
                case "lstm": r = LstmBench.run(kv); break;
                case "sgemm": r = SgemmBench.run(kv); break;
                case "mlp": r = MlpStudentBench.run(kv); break;
                case "cost": r = CostGrowthBenchmark.run(kv); break;
                default: throw new IllegalArgumentException("Unknown child task " + task);
            }
            Bench.emit(r);
            return 0;
        } catch (Throwable t) {
            t.printStackTrace();
            Map<String, Object> r = Bench.result();
            r.put("error", t.getClass().getSimpleName() + ": " + t.getMessage());
            Bench.emit(r);
            return 1;
        }
    }

    /** Runs a child JVM with this JVM's flags and class path. */
    private JsonObject javaChild(String label, String task, Map<String, String> args, Map<String, String> env) {
        return javaChild(label, task, args, env, List.of());
    }

    /** Runs a child JVM with this JVM's flags, then {@code extraFlags}, and this class path. */
    private JsonObject javaChild(String label, String task, Map<String, String> args, Map<String, String> env,
                                 List<String> extraFlags) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(extraFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchMain.class.getName());
        cmd.add("--child");
        cmd.add(task);
        args.forEach((k, v) -> cmd.add(k + "=" + v));
        return process(label, cmd, env);
    }

    private JsonObject process(String label, List<String> cmd, Map<String, String> env) {
        long t0 = System.nanoTime();
        Path log = logs.resolve(label.replaceAll("[^A-Za-z0-9._-]+", "_") + ".log");
        Bench.log("running %s ...", label);
        try {
            Files.createDirectories(logs);
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(env);
            pb.redirectError(log.toFile());
            Process p = pb.start();
            // A child that hangs is killed after 15 minutes (reading its stdout would otherwise block forever).
            Thread watchdog = new Thread(() -> {
                try {
                    if (!p.waitFor(15, TimeUnit.MINUTES)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "child-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            String result = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith(Bench.RESULT_PREFIX)) {
                        result = line.substring(Bench.RESULT_PREFIX.length());
                    }
                }
            }
            p.waitFor();
            double secs = (System.nanoTime() - t0) / 1e9;
            if (result == null) {
                String tail = tail(log, 15);
                Bench.log("%s produced no result (exit %d); log %s:%n%s", label, p.exitValue(), log, tail);
                JsonObject o = new JsonObject();
                o.addProperty("error", "no result (exit " + p.exitValue() + "), see " + target.getParent().relativize(log));
                return o;
            }
            JsonObject o = JsonParser.parseString(result).getAsJsonObject();
            if (o.has("error")) {
                Bench.log("%s failed: %s (log %s)", label, o.get("error").getAsString(), log);
            } else {
                Bench.log("%s done in %.1f s", label, secs);
            }
            return o;
        } catch (IOException | InterruptedException e) {
            JsonObject o = new JsonObject();
            o.addProperty("error", e.toString());
            return o;
        }
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    // ------------------------------------------------------------------------------------------------ python

    private static final String PYTHON = "/usr/bin/python3";

    private Path pythonScript() {
        String p = System.getProperty("bench.python");
        return p != null ? Paths.get(p) : target.getParent().resolve("python").resolve("bench_torch.py");
    }

    private String torchUnavailable;
    private boolean torchChecked;

    /** Null when /usr/bin/python3 can import torch, otherwise why not. */
    private String torchUnavailable() {
        if (!torchChecked) {
            torchChecked = true;
            if (!Files.isExecutable(Paths.get(PYTHON))) {
                torchUnavailable = PYTHON + " not found";
            } else if (!Files.exists(pythonScript())) {
                torchUnavailable = pythonScript() + " not found";
            } else {
                JsonObject o = process("python-torch-check", List.of(PYTHON, pythonScript().toString(), "info"),
                        pythonEnv());
                if (o.has("error")) {
                    torchUnavailable = "torch is not importable by " + PYTHON + " (" + o.get("error").getAsString()
                            + "); install python3-torch";
                } else {
                    versions.put("Debian PyTorch", o.get("torch_version").getAsString() + " (Debian package "
                            + str(o, "debian_package") + ", python "
                            + o.get("python_version").getAsString() + ", numpy " + o.get("numpy_version").getAsString()
                            + ")");
                }
            }
        }
        return torchUnavailable;
    }

    /** Measured on the project machine: Debian torch trains fastest here with OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=2. */
    private static Map<String, String> pythonEnv() {
        return Map.of("OMP_NUM_THREADS", "1", "OPENBLAS_NUM_THREADS", "2", "MKL_NUM_THREADS", "1");
    }

    private JsonObject python(String label, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(PYTHON);
        cmd.add(pythonScript().toString());
        cmd.addAll(args);
        return process(label, cmd, pythonEnv());
    }

    // ------------------------------------------------------------------------------------------------ the run

    private void runAll() throws IOException {
        Files.createDirectories(target);
        header();
        if (only.contains("dense")) {
            dense();
        }
        if (only.contains("lstm")) {
            lstm();
        }
        if (only.contains("sgemm")) {
            sgemm();
        }
        if (only.contains("mlp")) {
            mlp();
        }
        if (only.contains("cost")) {
            cost();
        }
        footer();
        String report = md.toString();
        System.out.println(report);
        Files.writeString(target.resolve("results.md"), report);
        Bench.log("report written to %s (%.1f min)", target.resolve("results.md"),
                (System.nanoTime() - startNanos) / 60e9);
    }

    private void header() {
        md.append("# tribuo-kd benchmark run\n\n");
        md.append("- Date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        md.append("- Machine: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores visible, ").append(memTotal()).append('\n');
        md.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append('\n');
        md.append("- JVM flags (runner and every Java child): `")
                .append(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())).append("`\n");
        String cmd = System.getenv("BENCH_COMMAND");
        if (cmd != null) {
            md.append("- Command: `").append(cmd).append("`\n");
        }
        md.append("- Machine load when the run started: ").append(contention()).append('\n');
        md.append("- Mode: ").append(quick ? "QUICK (fewer repetitions; not for the record)" : "full").append('\n');
        md.append("- Method: every number is the median of several timed repetitions after warm-up, all in this one"
                + " run. Ours and the Java peers (libtorch via DJL, OpenBLAS, ONNX Runtime) run in the same child JVM"
                + " per thread setting with their repetitions interleaved, so that the drift of this shared machine"
                + " hits both alike; Debian PyTorch runs in its own process right after. Ratios are speed ratios:"
                + " ours/peer > 1 means ours is faster. CPU/wall = process CPU time / wall time during the timed"
                + " repetitions (≈ the number of busy cores; it verifies each thread setting and shows when another"
                + " tenant of the machine took a core).\n");
        md.append("- Versions: tribuo-kd ").append(String.valueOf(BenchMain.class.getPackage().getImplementationVersion()))
                .append(", DJL 0.35.1 + pytorch-jni 2.7.1-0.35.1 + pytorch-native-cpu 2.7.1 (linux-x86_64),")
                .append(" dev.ludovic.netlib:blas 3.0.3, ONNX Runtime Java 1.20.0 (details at the end)\n\n");
    }

    private void footer() {
        md.append("## Versions and settings seen by the children\n\n");
        if (versions.isEmpty()) {
            md.append("(none recorded)\n");
        }
        versions.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append('\n');
        if (!notes.isEmpty()) {
            md.append("## Notes, skips and failures\n\n");
            for (String n : notes) {
                md.append("- ").append(n).append('\n');
            }
            md.append('\n');
        }
        md.append("Machine load when the run ended: ").append(contention()).append(".\n\n");
        md.append(String.format("Total wall time of the run: %.1f min. Child logs: `benchmarks/target/bench-logs/`.%n",
                (System.nanoTime() - startNanos) / 60e9));
    }

    private int reps(int full) {
        return quick ? Math.max(1, Math.min(full, 2)) : full;
    }

    private static boolean ok(JsonObject o) {
        return o != null && !o.has("error");
    }

    private static double num(JsonObject o, String key) {
        JsonElement e = o == null ? null : o.get(key);
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o == null ? null : o.get(key);
        return e == null || e.isJsonNull() ? "?" : e.getAsString();
    }

    private void recordDjl(JsonObject o) {
        if (ok(o) && o.has("libtorch_version")) {
            versions.put("libtorch (DJL)", "DJL " + str(o, "djl_version") + ", libtorch " + str(o, "libtorch_version")
                    + " loaded from `" + str(o, "libtorch_path") + "` (unpacked from the pytorch-native-cpu jar),"
                    + " inter-op threads " + str(o, "inter_op_threads"));
        }
    }

    private String fail(String what, JsonObject o) {
        String msg = what + ": " + (o == null ? "not run" : str(o, "error"));
        notes.add(msg);
        return "failed (see notes)";
    }

    // ------------------------------------------------------------------------------------------------ 1. dense

    private void dense() throws IOException {
        int epochs = 2;
        int reps = reps(11);
        JsonObject[] child = new JsonObject[3];
        for (int th = 1; th <= 2; th++) {
            child[th] = javaChild("dense-t" + th, "dense", Map.of("threads", Integer.toString(th), "epochs",
                    Integer.toString(epochs), "reps", Integer.toString(reps)), Map.of());
            recordDjl(child[th]);
        }
        JsonObject py = null;
        String noTorch = torchUnavailable();
        if (noTorch == null) {
            Path data = target.resolve("bench-data").resolve("dense_x.f32");
            SyntheticData.write(data, DenseAeBench.data());
            py = python("dense-python", List.of("dense", "--data", data.toString(), "--n",
                    Integer.toString(DenseAeBench.N), "--epochs", Integer.toString(epochs), "--reps",
                    Integer.toString(reps)));
        } else {
            notes.add("Dense AE, Debian PyTorch skipped: " + noTorch);
        }

        md.append("## 1. Dense autoencoder 38-64-16-64-38, training throughput\n\n");
        md.append("tanh hidden, linear output, MSE, Adam lr 1e-3 (β 0.9/0.999, ε 1e-8), batch 256, ")
                .append(String.format("%,d", DenseAeBench.N))
                .append(" seeded samples × 38 features (the same numbers on every side), reshuffled every epoch; ")
                .append(epochs).append(" epochs per repetition, 5 warm-up rounds, ").append(reps)
                .append(" timed ones. Parameters: ").append(ok(child[1])
                        ? String.format("%,d (ours) / %,d (DJL)", (long) num(child[1], "ours_params"),
                        (long) num(child[1], "djl_params")) : "?")
                .append(". Ours: `FeedForwardNetwork` + `MinibatchTraining.train(..., threads)`, kernels `")
                .append(str(child[1], "kernels")).append("`. For each thread count t, ours and libtorch run in the"
                        + " same JVM with their repetitions interleaved (libtorch on t intra-op threads, 1 inter-op"
                        + " thread); Debian PyTorch runs afterwards in its own process.\n\n");
        Table t = new Table("side", "threads", "samples/s (median)", "best / worst rep", "CPU/wall", "last-epoch loss",
                "ours/peer (speed)");
        double[] oursRate = {Double.NaN, Double.NaN, Double.NaN};
        for (int th = 1; th <= 2; th++) {
            JsonObject o = child[th];
            if (ok(o)) {
                oursRate[th] = num(o, "ours_samples_per_s");
                t.row("**ours** (tribuo-kd)", Integer.toString(th), Table.big(oursRate[th]), spread(o, "ours"),
                        Table.f2(num(o, "ours_cpu_per_wall")), Table.g4(num(o, "ours_final_loss")), "");
            } else {
                t.row("**ours** + libtorch", Integer.toString(th), fail("Dense AE, " + th + " thread(s)", o), "", "",
                        "", "");
            }
        }
        String[] variants = {"ndarray", "trainer"};
        String[] names = {"libtorch 2.7.1 via DJL: NDArray + GradientCollector loop",
            "libtorch 2.7.1 via DJL: DJL `Trainer` (EasyTrain.trainBatch + step)"};
        for (int v = 0; v < 2; v++) {
            for (int th = 1; th <= 2; th++) {
                JsonObject o = child[th];
                if (ok(o)) {
                    double r = num(o, variants[v] + "_samples_per_s");
                    t.row(names[v], th + " intra-op", Table.big(r), spread(o, variants[v]),
                            Table.f2(num(o, variants[v] + "_cpu_per_wall")), Table.g4(num(o, variants[v] + "_final_loss")),
                            Table.ratio(oursRate[th] / r) + " (ours " + th + "t)");
                }
            }
        }
        if (py != null) {
            if (ok(py)) {
                double r = num(py, "samples_per_s");
                t.row("Debian PyTorch " + str(py, "debian_package") + " (python3-torch)",
                        "OMP 1, OpenBLAS 2 (torch threads " + str(py, "torch_threads") + ")", Table.big(r), "",
                        Table.f2(num(py, "cpu_per_wall")), Table.g4(num(py, "final_loss")),
                        Table.ratio(oursRate[2] / r) + " (ours 2t), " + Table.ratio(oursRate[1] / r) + " (ours 1t)");
            } else {
                t.row("Debian PyTorch", "OMP 1, OpenBLAS 2", fail("Dense AE, Debian PyTorch", py), "", "", "", "");
            }
        } else {
            t.row("Debian PyTorch", "—", "skipped (see notes)", "", "", "", "");
        }
        md.append(t.render()).append('\n');
    }

    private static String spread(JsonObject o, String prefix) {
        return Table.big(num(o, prefix + "_best_samples_per_s")) + " / " + Table.big(num(o, prefix
                + "_worst_samples_per_s"));
    }

    // ------------------------------------------------------------------------------------------------ 2. lstm

    private void lstm() throws IOException {
        String noTorch = torchUnavailable();
        Path data = target.resolve("bench-data").resolve("lstm_windows.f32");
        if (noTorch == null) {
            SyntheticData.write(data, LstmBench.windows());
        } else {
            notes.add("LSTM AE, Debian PyTorch skipped: " + noTorch);
        }
        md.append("## 2. LSTM encoder-decoder autoencoder, 38 variables, window 100, batch 64\n\n");
        md.append("Encoder LSTM 38→H (zero initial state); decoder LSTM 38→H initialised with the encoder's final"
                + " (h, c), fed the reversed window shifted right by one step (teacher forcing, first input 0);"
                + " linear H→38 on every decoder output; target = the reversed window; MSE; Adam lr 1e-3, one step"
                + " per batch. Parameters with PyTorch's two bias vectors per LSTM: 2·4H(38+H+2) + 38H + 38 ="
                + " 1,117,286 for H = 352 (PyTorch's own count) and 55,718 for H = 64; an LSTM with a single"
                + " bias vector computes the same function with 2·4H fewer. Inference = the same teacher-forced"
                + " forward pass without gradients. ")
                .append(LstmBench.NUM_WINDOWS).append(" seeded windows (sines + noise, stride ")
                .append(LstmBench.STRIDE).append("), the same numbers on every side, batches taken in order. "
                        + "libtorch side: DJL `LSTM` blocks (`torch::lstm`) + `Linear`, NDArray + GradientCollector"
                        + " loop, in the same JVM as ours with interleaved repetitions. Debian PyTorch: `nn.LSTM` +"
                        + " `nn.Linear`, `torch.optim.Adam`, in its own process. H = 352 trains on a few batches only"
                        + " (see the timed-batches column). Initialisations are each library's default, hence the different"
                        + " loss columns; they do not affect the speed.\n\n");
        Table t = new Table("H", "params", "side", "threads", "train windows/s", "CPU/wall", "infer windows/s",
                "CPU/wall", "timed batches (train/infer)", "loss before → after", "ours/peer train",
                "ours/peer infer").left(4);
        for (int hidden : new int[] {352, 64}) {
            boolean big = hidden == 352;
            Map<String, String> a = new LinkedHashMap<>();
            a.put("hidden", Integer.toString(hidden));
            a.put("train_warmup", big ? "1" : "3");
            a.put("train_reps", Integer.toString(reps(5)));
            a.put("train_batches", big ? "2" : "6");
            a.put("infer_warmup", big ? "1" : "3");
            a.put("infer_reps", Integer.toString(reps(5)));
            a.put("infer_batches", big ? "3" : "12");
            String expected = String.format("%,d", LstmBench.torchParameterCount(hidden));
            JsonObject[] child = new JsonObject[3];
            for (int th = 1; th <= 2; th++) {
                Map<String, String> b = new LinkedHashMap<>(a);
                b.put("threads", Integer.toString(th));
                child[th] = javaChild("lstm-H" + hidden + "-t" + th, "lstm", b, Map.of());
                recordDjl(child[th]);
            }
            boolean pending = ok(child[1]) && child[1].has("ours_pending");
            if (pending && hidden == 352) {
                notes.add("LSTM AE, ours: pending — " + str(child[1], "ours_reason"));
            }
            double[] oursTrain = {Double.NaN, Double.NaN, Double.NaN};
            double[] oursInfer = {Double.NaN, Double.NaN, Double.NaN};
            for (int th = 1; th <= 2; th++) {
                JsonObject o = child[th];
                if (!ok(o)) {
                    t.row(Integer.toString(hidden), expected, "**ours** + libtorch", Integer.toString(th),
                            fail("LSTM AE H=" + hidden + ", " + th + " thread(s)", o), "", "", "", "", "", "", "");
                } else if (pending) {
                    if (th == 1) {
                        t.row(Integer.toString(hidden), "—", "**ours** (tribuo-kd)", "1, 2", "ours: pending", "",
                                "ours: pending", "", "", "", "pending", "pending");
                    }
                } else {
                    oursTrain[th] = num(o, "ours_train_windows_per_s");
                    oursInfer[th] = num(o, "ours_infer_windows_per_s");
                    t.row(Integer.toString(hidden), String.format("%,d", (long) num(o, "ours_params")),
                            "**ours** (tribuo-kd)", Integer.toString(th), Table.big(oursTrain[th]),
                            Table.f2(num(o, "ours_train_cpu_per_wall")), Table.big(oursInfer[th]),
                            Table.f2(num(o, "ours_infer_cpu_per_wall")), batches(o), losses(o, "ours_"), "", "");
                }
            }
            for (int th = 1; th <= 2; th++) {
                JsonObject o = child[th];
                if (!ok(o)) {
                    continue;
                }
                long params = (long) num(o, "djl_params");
                if (params != LstmBench.torchParameterCount(hidden)) {
                    notes.add("LSTM H=" + hidden + ": the DJL model has " + params + " parameters, expected "
                            + LstmBench.torchParameterCount(hidden));
                }
                double tr = num(o, "djl_train_windows_per_s");
                double in = num(o, "djl_infer_windows_per_s");
                t.row(Integer.toString(hidden), String.format("%,d", params), "libtorch 2.7.1 via DJL",
                        th + " intra-op", Table.big(tr), Table.f2(num(o, "djl_train_cpu_per_wall")), Table.big(in),
                        Table.f2(num(o, "djl_infer_cpu_per_wall")), batches(o), losses(o, "djl_"),
                        pending ? "pending" : Table.ratio(oursTrain[th] / tr) + " (ours " + th + "t)",
                        pending ? "pending" : Table.ratio(oursInfer[th] / in) + " (ours " + th + "t)");
            }
            if (noTorch == null) {
                List<String> pa = new ArrayList<>(List.of("lstm", "--data", data.toString(), "--windows",
                        Integer.toString(LstmBench.NUM_WINDOWS), "--window", Integer.toString(LstmBench.WINDOW),
                        "--features", Integer.toString(LstmBench.FEATURES), "--batch",
                        Integer.toString(LstmBench.BATCH), "--hidden", Integer.toString(hidden)));
                for (String k : new String[] {"train_warmup", "train_reps", "train_batches", "infer_warmup",
                    "infer_reps", "infer_batches"}) {
                    pa.add("--" + k.replace('_', '-'));
                    pa.add(a.get(k));
                }
                JsonObject o = python("lstm-python-H" + hidden, pa);
                if (ok(o)) {
                    double tr = num(o, "train_windows_per_s");
                    double in = num(o, "infer_windows_per_s");
                    t.row(Integer.toString(hidden), String.format("%,d", (long) num(o, "params")),
                            "Debian PyTorch " + str(o, "debian_package"), "OMP 1, OpenBLAS 2", Table.big(tr),
                            Table.f2(num(o, "train_cpu_per_wall")), Table.big(in), Table.f2(num(o, "infer_cpu_per_wall")),
                            batches(o), losses(o, ""),
                            pending ? "pending" : Table.ratio(oursTrain[2] / tr) + " (ours 2t)",
                            pending ? "pending" : Table.ratio(oursInfer[2] / in) + " (ours 2t)");
                } else {
                    t.row(Integer.toString(hidden), expected, "Debian PyTorch", "OMP 1, OpenBLAS 2",
                            fail("LSTM AE H=" + hidden + ", Debian PyTorch", o), "", "", "", "", "", "", "");
                }
            } else {
                t.row(Integer.toString(hidden), expected, "Debian PyTorch", "—", "skipped (see notes)", "", "", "", "",
                        "", "", "");
            }
        }
        md.append(t.render()).append('\n');
    }

    private static String batches(JsonObject o) {
        return (long) num(o, "train_batches_timed") + " / " + (long) num(o, "infer_batches_timed");
    }

    private static String losses(JsonObject o, String prefix) {
        return Table.f3(num(o, prefix + "loss_before")) + " → " + Table.f3(num(o, prefix + "loss_after"));
    }

    // ------------------------------------------------------------------------------------------------ 3. sgemm

    private void sgemm() {
        JsonObject[] child = new JsonObject[3];
        for (int th = 1; th <= 2; th++) {
            child[th] = javaChild("sgemm-t" + th, "sgemm", Map.of("threads", Integer.toString(th)),
                    Map.of("OPENBLAS_NUM_THREADS", Integer.toString(th)));
            if (ok(child[th])) {
                versions.put("netlib BLAS (OPENBLAS_NUM_THREADS=" + th + ")", "`" + str(child[th], "netlib_impl")
                        + "` → `" + str(child[th], "native_lib") + "`: " + str(child[th], "openblas_config")
                        + ", core " + str(child[th], "openblas_core") + ", openblas_get_num_threads() = "
                        + str(child[th], "openblas_threads"));
                if (child[th].has("blas_error")) {
                    notes.add("SGEMM OpenBLAS " + th + " thread(s) skipped: " + str(child[th], "blas_error"));
                }
            }
        }
        md.append("## 3. SGEMM C = A·B, square, float32, row-major\n\n");
        md.append("GFLOP/s = 2n³/time: median of 7 (n = 512) or 5 (n = 2048) repetitions of ≈0.25 s (at least one"
                + " call) after ≈0.3 s of warm-up. For each thread count t one JVM, started with"
                + " `OPENBLAS_NUM_THREADS=t` (OpenBLAS reads it when it loads), runs ours and OpenBLAS with their"
                + " repetitions interleaved. Ours on 2 threads: each thread computes half of C's rows with the same"
                + " kernel (exact). max rel. diff = max |C − C_ours,VectorAPI| / max |C_ours,VectorAPI| (a correctness"
                + " check).\n\n");
        Table t = new Table("n", "implementation", "threads", "GFLOP/s", "CPU/wall", "max rel. diff",
                "ours/OpenBLAS (speed)").left(3);
        for (int n : SgemmBench.SIZES) {
            for (int th = 1; th <= 2; th++) {
                JsonObject o = child[th];
                if (!ok(o)) {
                    if (n == SgemmBench.SIZES[0]) {
                        t.row(Integer.toString(n), "all", Integer.toString(th), fail("SGEMM " + th + " thread(s)", o),
                                "", "", "");
                    }
                    continue;
                }
                double ob = num(o, "openblas_" + n + "_gflops");
                String[] keys = {"vector", "plain", "openblas"};
                String[] labels = {"ours, Vector API (`Kernels.vectorApi()`: " + str(o, "vector_name") + ")",
                    "ours, plain Java (`Kernels.plainJava()`: " + str(o, "plain_name") + ")",
                    "OpenBLAS via dev.ludovic.netlib (" + str(o, "netlib_impl").replaceAll(".*\\.", "") + ")"};
                for (int i = 0; i < 3; i++) {
                    double g = num(o, keys[i] + "_" + n + "_gflops");
                    if (Double.isNaN(g)) {
                        continue;
                    }
                    t.row(Integer.toString(n), labels[i], Integer.toString(th), Table.f1(g),
                            Table.f2(num(o, keys[i] + "_" + n + "_cpu_per_wall")),
                            Table.sci(num(o, keys[i] + "_" + n + "_max_rel_diff")),
                            i < 2 ? Table.ratio(g / ob) : "");
                }
            }
        }
        md.append(t.render()).append('\n');
    }

    // ------------------------------------------------------------------------------------------------ 4. mlp

    private void mlp() {
        JsonObject o = javaChild("mlp-student", "mlp", quick ? Map.of("single_calls", "200000", "batch_reps", "30")
                : Map.of(), Map.of());
        md.append("## 4. MLP student 38-16-1 (ReLU), scoring\n\n");
        if (!ok(o)) {
            md.append(fail("MLP student", o)).append("\n\n");
            return;
        }
        versions.put("ONNX Runtime", str(o, "ort_version") + " (Java), sessions with intra-op threads 1 (and 2 for"
                + " the extra batch row), inter-op 1, sequential, ALL_OPT");
        md.append("A `MLPRegressionModel` ").append(str(o, "layers")).append(" (").append((long) num(o, "params"))
                .append(" parameters, standardisation and target scaling inside) trained by `MLPRegressionTrainer`"
                        + " on 5,000 synthetic samples (5 epochs), exported with `saveONNXModel` and loaded in ONNX"
                        + " Runtime. 10,000 scoring rows. Before timing: ORT vs ours max relative difference ")
                .append(Table.sci(num(o, "ort_vs_ours_max_rel_diff")))
                .append(" (limit 1e-4); ours one-sample vs batch path ")
                .append(Table.sci(num(o, "ours_single_vs_batch_max_rel_diff")))
                .append(". One sample per call: ours `predictOne(row, offset)`; ORT `session.run` on a 1×38"
                        + " tensor over a reused direct FloatBuffer, with the output pinned to a reused direct tensor"
                        + " too. Batch: ours `predictMatrix(rows, n, out, threads)` (kernel `" + str(o, "ours_kernel")
                        + "`), ORT one `run` on a 10,000×38 tensor.\n\n");
        Table t = new Table("mode", "ours", "ONNX Runtime", "ORT setting", "ours/ORT (speed)").left(1);
        double os = num(o, "ours_single_ns");
        double rs = num(o, "ort_single_ns");
        t.row("one sample per call, ns/call", Table.f1(os) + " (" + Table.f1(num(o, "ours_single_alloc_bytes_per_call"))
                + " B allocated/call)", Table.f1(rs), "1 intra-op thread", Table.ratio(rs / os));
        double ob = num(o, "ours_batch_ns_per_sample");
        double r1 = num(o, "ort_t1_batch_ns_per_sample");
        double r2 = num(o, "ort_t2_batch_ns_per_sample");
        double ob2 = num(o, "ours_t2_batch_ns_per_sample");
        t.row("batch of 10,000, ns/sample", Table.f2(ob) + " (1 thread)", Table.f2(r1), "1 intra-op thread (CPU/wall "
                + Table.f2(num(o, "ort_t1_batch_cpu_per_wall")) + ")", Table.ratio(r1 / ob));
        t.row("batch of 10,000, ns/sample", Table.f2(ob2) + " (2 threads, CPU/wall "
                + Table.f2(num(o, "ours_t2_batch_cpu_per_wall")) + ")", Table.f2(r2), "2 intra-op threads (CPU/wall "
                + Table.f2(num(o, "ort_t2_batch_cpu_per_wall")) + ")", Table.ratio(r2 / ob2));
        md.append(t.render()).append('\n');
    }

    // ------------------------------------------------------------------------------------------------ 5. cost

    /**
     * Extra flags of the cost-growth children: a heap that grows only as far as the live data needs (the default G1
     * heap starts at 1/64 of the RAM, ~380 MB here, which would swamp the peak RSS), so that RSS tracks the data.
     */
    private static final List<String> COST_FLAGS = List.of("-XX:+UseSerialGC", "-Xms16m", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=20");

    private void cost() {
        md.append("## 5. Cost growth (CostGrowthBenchmark)\n\n");
        md.append("Dense AE over windows, sizes [window·38, H, 16, H, window·38], tanh, MSE, Adam 1e-3, batch 256,"
                + " **one thread**; windows of a seeded 38-variable series with stride 1. Base: H 64, window 10,"
                + " 20,000 windows; one axis varies at a time. Each configuration runs in its own JVM (the run's flags"
                + " plus `" + String.join(" ", COST_FLAGS) + "`, so that the heap grows only as far as the data"
                + " needs): time = median of 7 epochs after at least 2 s (and 3 epochs) of warm-up; peak RSS = VmHWM of that JVM (includes"
                + " the JVM itself, ~40-60 MiB); live heap = heap in use after a full GC with model and data"
                + " reachable. Growth exponent = ln(ratio)/ln(size ratio) against the smallest size of the axis: 1 is"
                + " linear; a time exponent > 1.15 is flagged as super-linear.\n\n");
        List<CostGrowthBenchmark.Config> grid = CostGrowthBenchmark.denseGrid();
        Map<CostGrowthBenchmark.Config, JsonObject> res = new LinkedHashMap<>();
        Map<String, JsonObject> byKey = new LinkedHashMap<>();
        for (CostGrowthBenchmark.Config c : grid) {
            String key = c.hidden() + "/" + c.window() + "/" + c.windows();
            JsonObject o = byKey.get(key);
            if (o == null) {
                Map<String, String> a = new LinkedHashMap<>(c.args());
                a.put("epochs", Integer.toString(reps(7)));
                o = javaChild("cost-dense-H" + c.hidden() + "-w" + c.window() + "-L" + c.windows(), "cost", a,
                        Map.of(), COST_FLAGS);
                byKey.put(key, o);
            }
            res.put(c, o);
        }
        Table t = new Table("varied", "H", "window", "input width", "windows", "params", "s/epoch", "µs/window",
                "peak RSS MiB", "live heap MiB", "size ×", "time ×", "time exponent", "heap exponent", "growth")
                .left(1);
        String axis = null;
        double baseSize = 0;
        double baseTime = 0;
        double baseHeap = 0;
        for (Map.Entry<CostGrowthBenchmark.Config, JsonObject> e : res.entrySet()) {
            CostGrowthBenchmark.Config c = e.getKey();
            JsonObject o = e.getValue();
            double size = c.varied().equals("hidden size") ? c.hidden()
                    : c.varied().equals("window length") ? c.window() : c.windows();
            if (!ok(o)) {
                t.row(c.varied(), Integer.toString(c.hidden()), Integer.toString(c.window()),
                        Integer.toString(c.window() * 38), String.format("%,d", c.windows()),
                        fail("Cost growth " + c, o), "", "", "", "", "", "", "", "", "");
                continue;
            }
            double time = num(o, "epoch_s");
            double heap = num(o, "live_heap_bytes");
            if (!c.varied().equals(axis)) {
                axis = c.varied();
                baseSize = size;
                baseTime = time;
                baseHeap = heap;
            }
            double sr = size / baseSize;
            double tr = time / baseTime;
            double texp = sr == 1 ? Double.NaN : Math.log(tr) / Math.log(sr);
            double hexp = sr == 1 ? Double.NaN : Math.log(heap / baseHeap) / Math.log(sr);
            String growth = sr == 1 ? "(base of axis)" : texp > 1.15 ? "**super-linear ⚠**"
                    : texp < 0.85 ? "sub-linear" : "linear";
            t.row(c.varied(), Integer.toString(c.hidden()), Integer.toString(c.window()),
                    Integer.toString(c.window() * 38), String.format("%,d", c.windows()),
                    String.format("%,d", (long) num(o, "params")), Table.f3(time), Table.f2(time / c.windows() * 1e6),
                    Table.f1(num(o, "peak_rss_bytes") / (1 << 20)), Table.f1(heap / (1 << 20)), Table.f2(sr),
                    Table.f2(tr), Double.isNaN(texp) ? "—" : Table.f2(texp), Double.isNaN(hexp) ? "—" : Table.f2(hexp),
                    growth);
        }
        md.append(t.render()).append('\n');
        if (LstmBench.oursOrNull() == null) {
            md.append("LSTM autoencoder cost growth (H 32/64/128, window 50/100/200, 128/256/512 windows): **pending**"
                    + " — runs through the same hook (`CostGrowthBenchmark.lstmGrid()`, model=lstm) once"
                    + " `OursLstmAutoencoder` is compiled in.\n\n");
        } else {
            Table lt = new Table("varied", "H", "window", "windows", "params", "s/epoch", "peak RSS MiB",
                    "live heap MiB");
            for (CostGrowthBenchmark.Config c : CostGrowthBenchmark.lstmGrid()) {
                Map<String, String> a = new LinkedHashMap<>(c.args());
                a.put("epochs", Integer.toString(reps(2)));
                JsonObject o = javaChild("cost-lstm-H" + c.hidden() + "-w" + c.window() + "-L" + c.windows(), "cost",
                        a, Map.of(), COST_FLAGS);
                lt.row(c.varied(), Integer.toString(c.hidden()), Integer.toString(c.window()),
                        Integer.toString(c.windows()), ok(o) ? String.format("%,d", (long) num(o, "params"))
                                : fail("LSTM cost " + c, o), Table.f3(num(o, "epoch_s")),
                        Table.f1(num(o, "peak_rss_bytes") / (1 << 20)), Table.f1(num(o, "live_heap_bytes") / (1 << 20)));
            }
            md.append("LSTM autoencoder (ours):\n\n").append(lt.render()).append('\n');
        }
    }

    // ------------------------------------------------------------------------------------------------ machine

    /** Load average and CPU pressure (other tenants of this shared machine show up here, not in our process list). */
    private static String contention() {
        StringBuilder sb = new StringBuilder();
        try {
            String[] l = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
            sb.append("load average ").append(l[0]).append(" / ").append(l[1]).append(" / ").append(l[2])
                    .append(" (1/5/15 min)");
        } catch (IOException | RuntimeException e) {
            sb.append("load average unknown");
        }
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/pressure/cpu"))) {
                if (line.startsWith("some")) {
                    sb.append(", CPU pressure ").append(line.substring(5).replaceAll(" total=\\d+", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no PSI on this kernel
        }
        return sb.toString();
    }

    private static String cpuModel() {
        String name = System.getProperty("os.arch");
        String family = "?";
        String model = "?";
        boolean avx512 = false;
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                String value = line.substring(line.indexOf(':') + 1).trim();
                if (line.startsWith("model name")) {
                    name = value;
                } else if (line.startsWith("cpu family")) {
                    family = value;
                } else if (line.startsWith("model") && !line.startsWith("model name")) {
                    model = value;
                } else if (line.startsWith("flags")) {
                    avx512 = value.contains("avx512f");
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        String zen = family.equals("25") ? " = Zen 3/4" : family.equals("26") ? " = Zen 5" : "";
        return name + " (cpu family " + family + ", model " + model + zen + "; AVX-512 " + (avx512 ? "yes" : "no")
                + ")";
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format("%.1f GiB RAM", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "? RAM";
    }

    /** A Markdown table. */
    static final class Table {
        private final String[] header;
        private final List<String[]> rows = new ArrayList<>();

        private int leftColumns = 2;

        Table(String... header) {
            this.header = header;
        }

        Table left(int columns) {
            this.leftColumns = columns;
            return this;
        }

        void row(String... cells) {
            rows.add(cells);
        }

        String render() {
            StringBuilder sb = new StringBuilder();
            sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
            for (int i = 0; i < header.length; i++) {
                sb.append(i < leftColumns ? "---|" : "---:|");
            }
            sb.append('\n');
            for (String[] r : rows) {
                sb.append("| ").append(String.join(" | ", r)).append(" |\n");
            }
            return sb.toString();
        }

        static String big(double v) {
            return Double.isNaN(v) ? "—" : String.format("%,.0f", v);
        }

        static String f1(double v) {
            return Double.isNaN(v) ? "—" : String.format("%.1f", v);
        }

        static String f2(double v) {
            return Double.isNaN(v) ? "—" : String.format("%.2f", v);
        }

        static String f3(double v) {
            return Double.isNaN(v) ? "—" : String.format("%.3f", v);
        }

        static String g4(double v) {
            return Double.isNaN(v) ? "—" : String.format("%.4g", v);
        }

        static String sci(double v) {
            return Double.isNaN(v) ? "—" : String.format("%.1e", v);
        }

        static String ratio(double v) {
            return Double.isNaN(v) || Double.isInfinite(v) ? "—" : String.format("**%.2f×**", v);
        }
    }
}
