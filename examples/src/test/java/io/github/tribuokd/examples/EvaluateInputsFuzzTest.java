package io.github.tribuokd.examples;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Fuzzes the inputs of the {@code evaluate} command ({@link NumberFiles} and what the command computes from them): an
 * input is a scores file and a labels file separated by a line {@code ---} (without one, both files get the whole
 * input), run through {@link EvaluateCommand} with a fixed threshold and with POT (level 0.8) fitted on the scores as calibration.
 * Declared: {@link IOException} (a {@code SeriesFormatException} naming file and line), {@link IllegalArgumentException}
 * and a usage error. See {@link FuzzSupport}.
 */
@Tag("fuzz")
class EvaluateInputsFuzzTest {

    private static final byte[] SEPARATOR = "\n---\n".getBytes(StandardCharsets.US_ASCII);
    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());
    private static Path dir;

    @BeforeAll
    static void createDir() throws IOException {
        dir = FuzzFiles.tempDir("fuzz-evaluate");
    }

    @AfterAll
    static void deleteDir() throws IOException {
        FuzzFiles.deleteTree(dir);
    }

    static void evaluateFiles(byte[] data) throws Exception {
        int cut = indexOf(data, SEPARATOR);
        byte[] scores = cut < 0 ? data : Arrays.copyOf(data, cut);
        byte[] labels = cut < 0 ? data : Arrays.copyOfRange(data, cut + SEPARATOR.length, data.length);
        Path s = dir.resolve("scores.txt");
        Path l = dir.resolve("labels.txt");
        Files.write(s, scores);
        Files.write(l, labels);
        PrintStream out = System.out;
        System.setOut(NOWHERE);
        try {
            Exception first = null;
            for (String[] rule : new String[][]{{"--threshold", "0.5"}, {"--pot", "--pot-level", "0.8", "--calibration", s.toString()}}) {
                String[] args = new String[4 + rule.length];
                args[0] = "--scores";
                args[1] = s.toString();
                args[2] = "--labels";
                args[3] = l.toString();
                System.arraycopy(rule, 0, args, 4, rule.length);
                try {
                    new EvaluateCommand().run(args);
                } catch (IOException | IllegalArgumentException | Main.UsageException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            System.setOut(out);
        }
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @FuzzTest(maxDuration = "3m")
    void evaluate(byte[] data) throws Throwable {
        FuzzSupport.check(data, EvaluateInputsFuzzTest::evaluateFiles, IOException.class, IllegalArgumentException.class,
                Main.UsageException.class);
    }

    @Test
    void mutatedEvaluate() throws Exception {
        FuzzSupport.mutate("evaluate", FuzzSupport.seeds(getClass(), "evaluate"), 1500,
                EvaluateInputsFuzzTest::evaluateFiles, IOException.class, IllegalArgumentException.class,
                Main.UsageException.class);
    }
}
