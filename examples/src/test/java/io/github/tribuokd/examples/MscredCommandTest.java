package io.github.tribuokd.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small configuration of the seed-002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md) protocol on a generated two-channel dataset in MSL/SMAP layout. */
public class MscredCommandTest {

    private static void channel(Path ds, String name, int trainSteps, int testSteps, long seed) throws IOException {
        channel(ds, name, trainSteps, testSteps, seed, -1);
    }

    /** As above, variable {@code constant} (if not -1) holding 0.5 in the training series. */
    private static void channel(Path ds, String name, int trainSteps, int testSteps, long seed, int constant)
            throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder train = new StringBuilder();
        StringBuilder test = new StringBuilder();
        StringBuilder labels = new StringBuilder();
        for (int t = 0; t < trainSteps + testSteps; t++) {
            boolean isTest = t >= trainSteps;
            int tt = t - trainSteps;
            boolean anomaly = isTest && tt >= testSteps / 2 && tt < testSteps / 2 + 40;
            StringBuilder row = isTest ? test : train;
            for (int j = 0; j < 6; j++) {
                double x = Math.sin(2 * Math.PI * t / 25.0 + 0.4 * j) + 0.05 * rng.nextGaussian();
                if (anomaly && j < 3) {
                    x = rng.nextGaussian();
                }
                if (!isTest && j == constant) {
                    x = 0.5;
                }
                row.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", x));
            }
            row.append('\n');
            if (isTest) {
                labels.append(anomaly ? "1\n" : "0\n");
            }
        }
        Files.createDirectories(ds.resolve("train"));
        Files.createDirectories(ds.resolve("test"));
        Files.createDirectories(ds.resolve("test_label"));
        Files.writeString(ds.resolve("train/" + name + ".txt"), train);
        Files.writeString(ds.resolve("test/" + name + ".txt"), test);
        Files.writeString(ds.resolve("test_label/" + name + ".txt"), labels);
    }

    /** A two-channel dataset A, B in MSL/SMAP layout under {@code dir/TOY}. */
    private static Path toyDataset(Path dir, int trainA, int trainB, int test, long seed) throws IOException {
        Path ds = dir.resolve("TOY");
        channel(ds, "A", trainA, test, seed);
        channel(ds, "B", trainB, test, seed + 1);
        Files.writeString(ds.resolve("channels.txt"), "A\nB\n");
        return ds;
    }

    private static String[] plus(String[] common, String... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(common), java.util.Arrays.stream(more))
                .toArray(String[]::new);
    }

    @Test
    public void smallConfigurationRunsEveryRow(@TempDir Path dir) throws Exception {
        Path ds = dir.resolve("TOY");
        channel(ds, "A", 700, 300, 1L);
        channel(ds, "B", 500, 300, 2L);
        Files.writeString(ds.resolve("channels.txt"), "A\nB\n");
        int rc = Main.run(new String[]{"mscred", "--data", ds.toString(), "--teacher-length", "20",
                "--student-lengths", "10", "--channels", "4,8,8,8", "--teacher-epochs", "1", "--epochs", "1",
                "--rows", "base-small,ad,lta-rnn,full-gru", "--out", dir.resolve("out").toString()});
        assertEquals(0, rc);
        String report = Files.readString(dir.resolve("out/report.md"));
        for (String row : new String[]{"Base (teacher)", "Base_small", "A.D.", "LTA_RNN", "Ours LTA_GRU"}) {
            assertTrue(report.contains("| " + row + " |"), row + "\n" + report);
        }
        assertTrue(report.contains("1200 training points") || report.contains("1200 training"), report);
        String json = Files.readString(dir.resolve("out/report.json"));
        assertTrue(json.contains("\"scoring_seconds\""));
        assertTrue(report.contains("| model | L | VUS-PR | VUS-ROC | random VUS-PR |") && json.contains("\"vus_pr\""),
                report);
        // by default both channels' tails calibrate; --calibration series-tail uses the concatenation's own tail
        assertTrue(report.contains("the last 10% of each of the 2 channels' training points"), report);
        assertTrue(json.contains("the last 10% of each of 2 channels"), json);
        assertTrue(report.contains("mean ROC-AUC per channel |") && json.contains("\"channel_mean_roc_auc\""), report);
        String[] tail = {"mscred", "--data", ds.toString(), "--teacher-length", "20", "--student-lengths", "10",
                "--channels", "4,8,8,8", "--teacher-epochs", "1", "--epochs", "1", "--rows", "base-small",
                "--calibration", "series-tail", "--out", dir.resolve("tail").toString()};
        assertEquals(0, Main.run(tail));
        String tailJson = Files.readString(dir.resolve("tail/report.json"));
        assertTrue(tailJson.contains("the last 10% of the training series"), tailJson);
        assertTrue(!teacherResult(tailJson).equals(teacherResult(json)), "the calibration must change the teacher");
        tail[tail.length - 3] = "random";
        assertEquals(2, Main.run(tail));
    }

    @Test
    public void inputLengthsComeFromANamedPresetNeverFromTheFolderName(@TempDir Path dir) throws Exception {
        // a folder named MSL used to get the seed's MSL lengths silently; now a preset or --teacher-length is needed
        Path msl = dir.resolve("MSL");
        channel(msl, "A", 300, 100, 1L);
        Files.writeString(msl.resolve("channels.txt"), "A\n");
        String[] bare = {"mscred", "--data", msl.toString(), "--out", dir.resolve("out").toString()};
        assertEquals(2, Main.run(bare));
        assertEquals(2, Main.run(plus(bare, "--preset", "mars")));
        Main.UsageException none = org.junit.jupiter.api.Assertions.assertThrows(Main.UsageException.class,
                () -> MscredCommand.preset(java.util.Map.of()));
        assertTrue(none.getMessage().contains("--preset msl|smap") && none.getMessage().contains("--teacher-length"),
                none.getMessage());
        assertEquals(io.github.tribuokd.timeseries.mscred.MSCREDPreset.MSL,
                MscredCommand.preset(java.util.Map.of("--preset", "msl")));
        assertEquals(io.github.tribuokd.timeseries.mscred.MSCREDPreset.SMAP,
                MscredCommand.preset(java.util.Map.of("--preset", "SMAP", "--teacher-length", "50")));
        assertEquals(null, MscredCommand.preset(java.util.Map.of("--teacher-length", "50")));
    }

    @Test
    public void studentChannelsAndAccumulatorSizeAreOptionsAndChecked(@TempDir Path dir) throws Exception {
        Path ds = toyDataset(dir, 500, 400, 200, 3L);
        String[] common = {"mscred", "--data", ds.toString(), "--teacher-length", "20", "--student-lengths", "10",
                "--channels", "4,8,8,8", "--teacher-epochs", "1", "--epochs", "1", "--rows", "full-gru"};
        // the second student channel must match the teacher's for eq. 8's attention term: a usage error (rc 2)
        String[] bad = plus(common, "--student-channels", "4,6", "--out", dir.resolve("bad").toString());
        assertEquals(2, Main.run(bad));
        String[] small = plus(common, "--student-channels", "2,8", "--lta-hidden", "3", "--timing-repeats", "3", "--out",
                dir.resolve("ok").toString());
        String[] full = plus(common, "--out", dir.resolve("full").toString());
        assertEquals(0, Main.run(small));
        assertEquals(0, Main.run(full));
        String smallJson = Files.readString(dir.resolve("ok/report.json"));
        String fullJson = Files.readString(dir.resolve("full/report.json"));
        assertTrue(studentParameters(smallJson) < studentParameters(fullJson), smallJson + "\n" + fullJson);
        assertTrue(Files.readString(dir.resolve("ok/report.md")).contains("the median of 3 further scorings"));
        // standardised inputs by default; --inputs raw reads raw values and changes the scores; anything else: rc 2
        assertTrue(Files.readString(dir.resolve("full/report.md")).contains("each standardised with its training mean"));
        assertEquals(2, Main.run(plus(common, "--inputs", "minmax", "--out", dir.resolve("bad2").toString())));
        assertEquals(0, Main.run(plus(common, "--inputs", "raw", "--out", dir.resolve("raw").toString())));
        String rawJson = Files.readString(dir.resolve("raw/report.json"));
        assertTrue(rawJson.contains("\"inputs\": \"raw\"") || rawJson.contains("\"inputs\":\"raw\""), rawJson);
        assertTrue(Files.readString(dir.resolve("raw/report.md")).contains("raw values"));
        assertTrue(!rawJson.substring(rawJson.indexOf("\"results\""))
                .equals(fullJson.substring(fullJson.indexOf("\"results\""))), "raw inputs must change the models");
    }

    /**
     * The teacher's and the students' training warnings (here a variable constant in training) are printed when they
     * arise and listed in report.json ("warnings") and report.md ("Warnings"), as in demo and train.
     */
    @Test
    public void trainingWarningsReachTheTerminalAndTheReport(@TempDir Path dir) throws Exception {
        Path ds = dir.resolve("TOY");
        channel(ds, "A", 500, 200, 1L, 4);
        Files.writeString(ds.resolve("channels.txt"), "A\n");
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run(new String[]{"mscred", "--data", ds.toString(), "--entity", "A", "--teacher-length", "20",
                    "--student-lengths", "10", "--channels", "4,8,8,8", "--teacher-epochs", "1", "--epochs", "1",
                    "--rows", "base-small", "--out", dir.resolve("out").toString()});
        } finally {
            System.setErr(old);
        }
        assertEquals(0, rc);
        String terminal = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        String teacherWarning = "Base (teacher), L=20: MSCREDTrainer: 1 of 6 features are constant";
        String studentWarning = "Base_small, L=10: LTADistillationTrainer: 1 of 6 features are constant";
        assertTrue(terminal.contains("[mscred] warning: " + teacherWarning)
                && terminal.contains("[mscred] warning: " + studentWarning), terminal);
        String json = Files.readString(dir.resolve("out/report.json"));
        int at = json.indexOf("\"warnings\"");
        assertTrue(at >= 0 && json.indexOf(teacherWarning, at) > 0 && json.indexOf(studentWarning, at) > 0, json);
        String md = Files.readString(dir.resolve("out/report.md"));
        assertTrue(md.contains("## Warnings") && md.contains("- " + teacherWarning), md);
    }

    /** The teacher's entry of report.json's results, without its times. */
    private static String teacherResult(String json) {
        int from = json.indexOf("\"model\"", json.indexOf("\"results\""));
        String entry = json.substring(from, json.indexOf("\"model\"", from + 1));
        return entry.replaceAll("\"(train|scoring)_seconds\":\\s*[0-9.eE+-]+", "");
    }

    /** The parameter count of the last model in report.json (the only student row). */
    private static long studentParameters(String json) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"parameters\":\\s*(\\d+)").matcher(json);
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last;
    }

    @Test
    public void perEntityModeTrainsOneSetOfModelsPerChannel(@TempDir Path dir) throws Exception {
        Path ds = toyDataset(dir, 500, 400, 300, 5L);
        String[] common = {"mscred", "--data", ds.toString(), "--teacher-length", "20", "--student-lengths", "10",
                "--channels", "4,8,8,8", "--teacher-epochs", "1", "--epochs", "1", "--rows", "base-small"};
        String[] both = plus(common, "--entity", "A", "--entities", "all", "--out", dir.resolve("bad").toString());
        assertEquals(2, Main.run(both));
        String[] all = plus(common, "--entities", "all", "--out", dir.resolve("ent").toString());
        assertEquals(0, Main.run(all));
        // one report per channel, trained on that channel's 500 / 400 training points only
        assertTrue(Files.readString(dir.resolve("ent/A/report.md")).contains("500 training points"));
        assertTrue(Files.readString(dir.resolve("ent/B/report.md")).contains("400 training points"));
        String summary = Files.readString(dir.resolve("ent/summary.md"));
        assertTrue(summary.contains("| model | A | B | mean ROC-AUC | mean PR-AUC | mean PA F1 | mean ROC-AUC of"
                + " mean(residual²) |"), summary);
        // the generated anomaly replaces three sines by noise, further from the training mean on average, so the
        // baseline that measures exactly that ranks it above chance on both channels; the mean is the cells' mean
        String line = java.util.Arrays.stream(summary.split("\n")).filter(l -> l.startsWith("| distance from"))
                .findFirst().orElseThrow();
        String[] cells = line.split("\\|");
        double a = Double.parseDouble(cells[2].trim().split(" / ")[0]);
        double b = Double.parseDouble(cells[3].trim().split(" / ")[0]);
        double mean = Double.parseDouble(cells[4].trim());
        assertEquals("–", cells[7].trim(), "a baseline has no residual: " + line);
        assertTrue(a > 0.6 && b > 0.6, line);
        // each cell is the channel's own figure, from its own report
        String name = cells[1].trim();
        assertTrue(Files.readString(dir.resolve("ent/A/report.md")).contains(String.format(Locale.ROOT, "| %s | %.3f |",
                name, a)), line);
        assertTrue(Files.readString(dir.resolve("ent/B/report.md")).contains(String.format(Locale.ROOT, "| %s | %.3f |",
                name, b)), line);
        assertEquals((a + b) / 2, mean, 1e-3, line);
        assertTrue(summary.contains("| Base (teacher) (L=20) |") && summary.contains("| Base_small (L=10) |"), summary);
        // a model's residual-energy mean is the mean of the two channels' figures in their report.json
        String teacherLine = java.util.Arrays.stream(summary.split("\n"))
                .filter(l -> l.startsWith("| Base (teacher)")).findFirst().orElseThrow();
        String[] tc = teacherLine.split("\\|");
        double energyMean = Double.parseDouble(tc[7].trim());
        double ea = energyAuc(dir.resolve("ent/A/report.json")), eb = energyAuc(dir.resolve("ent/B/report.json"));
        assertEquals((ea + eb) / 2, energyMean, 1e-3, teacherLine);
    }

    /** The teacher's (first result's) energy_roc_auc in a report.json. */
    private static double energyAuc(Path json) throws IOException {
        String text = Files.readString(json);
        int at = text.indexOf("\"energy_roc_auc\"");
        String rest = text.substring(text.indexOf(':', at) + 1).trim();
        int end = 0;
        while (end < rest.length() && "0123456789.-eE".indexOf(rest.charAt(end)) >= 0) {
            end++;
        }
        return Double.parseDouble(rest.substring(0, end));
    }
}
