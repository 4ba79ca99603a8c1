package io.github.tribuokd.timeseries.bench;

import io.github.tribuokd.timeseries.IncrementalSignatureMatrix;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SignatureMatrices;
import io.github.tribuokd.timeseries.SignatureMatrixStream;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Timing benchmark of the MSCRED signature matrices (eq. 1 of seed paper 002) for the shape of NASA MSL:
 * n = 55 variables, scales {10, 30, 60}, gap 10, steps 5 (a plain {@code main} program, not a JUnit test,
 * and not shipped).
 * <p>
 * Measures, on a seeded random series of 100,000 points (values {@code 2 + N(0, 1)}):
 * <ul>
 *     <li>{@link IncrementalSignatureMatrix#push(float[], int)} alone, in ns per point;</li>
 *     <li>push plus {@link IncrementalSignatureMatrix#current(float[], int)} at every point;</li>
 *     <li>{@link SignatureMatrixStream#push(float[], int)} (a stack stored every gap points) plus copying the
 *     model input whenever one is ready;</li>
 *     <li>the direct O(n²·max ℓ) computation of one stack ({@link SignatureMatrices#compute}), for
 *     comparison with computing every point's stack from scratch;</li>
 *     <li>{@link SignatureMatrices#build} of all stacks of the series on 1 and 2 threads.</li>
 * </ul>
 * Each measurement is repeated (after warm-up passes) and the median and the fastest are printed.
 * <p>
 * Run with:
 * <pre>
 * mvn -q -B -o -pl tribuo-kd-timeseries test-compile &amp;&amp; java -cp \
 *   tribuo-kd-timeseries/target/classes:tribuo-kd-timeseries/target/test-classes \
 *   io.github.tribuokd.timeseries.bench.SignatureMatrixBenchmark
 * </pre>
 */
public final class SignatureMatrixBenchmark {

    private static final int N = 55;
    private static final int POINTS = 100_000;
    private static final long SEED = 20261124L;
    private static final int WARMUP = 3;
    private static final int REPETITIONS = 7;

    private static volatile float sink;

    private SignatureMatrixBenchmark() {
    }

    /**
     * Runs the benchmark and prints a Markdown table.
     *
     * @param args Ignored.
     */
    public static void main(String[] args) {
        SplittableRandom rng = new SplittableRandom(SEED);
        float[] values = new float[POINTS * N];
        for (int i = 0; i < values.length; i++) {
            double u = 1.0 - rng.nextDouble();
            values[i] = (float) (2.0 + Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * rng.nextDouble()));
        }
        MultivariateSeries series = new MultivariateSeries("bench", POINTS, N, values);
        SignatureMatrices config = new SignatureMatrices();
        System.out.println("# Signature matrices, n = " + N + ", " + config + ", " + POINTS + " points");
        System.out.println("JVM " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", " + Runtime.getRuntime().availableProcessors() + " processors");
        System.out.println();
        System.out.println("| operation | median | fastest | unit |");
        System.out.println("|---|---:|---:|---|");

        IncrementalSignatureMatrix matrix = new IncrementalSignatureMatrix(config, N);
        float[] stack = new float[config.stackSize(N)];
        report("IncrementalSignatureMatrix.push", "ns/point", POINTS, () -> {
            matrix.reset();
            for (int t = 0; t < POINTS; t++) {
                matrix.push(values, t * N);
            }
            matrix.current(stack, 0);
            sink += stack[0];
        });
        report("push + current (a stack at every point)", "ns/point", POINTS, () -> {
            matrix.reset();
            for (int t = 0; t < POINTS; t++) {
                matrix.push(values, t * N);
                matrix.current(stack, 0);
                sink += stack[t % stack.length];
            }
        });
        SignatureMatrixStream stream = new SignatureMatrixStream(config, N);
        float[] input = new float[config.inputSize(N)];
        report("SignatureMatrixStream.push + input copy when ready (every 10 points)", "ns/point", POINTS, () -> {
            stream.reset();
            for (int t = 0; t < POINTS; t++) {
                if (stream.push(values, t * N)) {
                    stream.input(input, 0);
                    sink += input[t % input.length];
                }
            }
        });
        int directStacks = 5_000;
        report("direct compute of one stack (O(n² · max ℓ))", "ns/stack", directStacks, () -> {
            for (int k = 0; k < directStacks; k++) {
                config.compute(values, POINTS, N, 59 + k * 17, stack, 0);
                sink += stack[k % stack.length];
            }
        });
        int count = config.numMatrices(POINTS, config.firstMatrixTime());
        for (int threads : new int[]{1, 2}) {
            report("build: all " + count + " stacks, " + threads + " thread" + (threads > 1 ? "s" : ""),
                    "ns/stack", count, () -> sink += config.build(series, config.firstMatrixTime(), threads)
                            .valuesView()[0]);
        }
        System.out.println();
        System.out.println("state bytes: IncrementalSignatureMatrix " + matrix.stateBytes()
                + ", SignatureMatrixStream " + stream.stateBytes());

        // Cost growth of push: O(n^2) per scale, independent of the window lengths.
        System.out.println();
        System.out.println("| push, growth | n | scales | median | fastest | unit | state bytes |");
        System.out.println("|---|---:|---|---:|---:|---|---:|");
        int[][] scaleSets = {{10, 30, 60}, {40, 120, 240}, {160, 480, 960}};
        for (int n : new int[]{25, 55, 110}) {
            for (int[] scales : scaleSets) {
                if (n != N && scales != scaleSets[0]) {
                    continue; // vary one thing at a time around n = 55, {10, 30, 60}
                }
                int points = 40_000;
                float[] data = new float[points * n];
                System.arraycopy(values, 0, data, 0, Math.min(data.length, values.length));
                for (int i = values.length; i < data.length; i++) {
                    data[i] = values[i % values.length];
                }
                IncrementalSignatureMatrix m = new IncrementalSignatureMatrix(scales, n);
                String name = "IncrementalSignatureMatrix.push | " + n + " | " + Arrays.toString(scales);
                report(name, "ns/point | " + m.stateBytes(), points, () -> {
                    m.reset();
                    for (int t = 0; t < points; t++) {
                        m.push(data, t * n);
                    }
                    sink += m.numPushed();
                });
            }
        }
        System.out.println("(sink " + sink + ")");
    }

    private static void report(String name, String unit, int units, Runnable pass) {
        for (int w = 0; w < WARMUP; w++) {
            pass.run();
        }
        double[] perUnit = new double[REPETITIONS];
        for (int r = 0; r < REPETITIONS; r++) {
            long start = System.nanoTime();
            pass.run();
            perUnit[r] = (System.nanoTime() - start) / (double) units;
        }
        Arrays.sort(perUnit);
        System.out.println(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %s |", name,
                perUnit[REPETITIONS / 2], perUnit[0], unit));
    }
}
