package io.github.tribuokd.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Seeded synthetic data. Every side of a comparison trains on the same numbers: the Java peers get the arrays, the
 * Python peer reads them from a raw little-endian float32 file written by {@link #write}.
 */
final class SyntheticData {

    private SyntheticData() { }

    /**
     * Samples with low-rank structure plus noise: {@code x = tanh(z·A) + 0.1·ε}, z of 8 standard normal latents.
     * @param n Rows.
     * @param d Features.
     * @param seed Seed.
     * @return {@code [n, d]} row-major.
     */
    static float[] lowRank(int n, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int k = 8;
        double[] a = new double[k * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = gaussian(rng) / Math.sqrt(k);
        }
        float[] x = new float[n * d];
        double[] z = new double[k];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < k; j++) {
                z[j] = gaussian(rng);
            }
            for (int c = 0; c < d; c++) {
                double s = 0;
                for (int j = 0; j < k; j++) {
                    s += z[j] * a[j * d + c];
                }
                x[r * d + c] = (float) (Math.tanh(s) + 0.1 * gaussian(rng));
            }
        }
        return x;
    }

    /**
     * A multivariate series of sines with per-variable periods and phases, plus noise.
     * @param length Time steps.
     * @param d Variables.
     * @param seed Seed.
     * @return {@code [length, d]} row-major.
     */
    static float[] series(int length, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] p = new double[d];
        double[] q = new double[d];
        double[] phase = new double[d];
        for (int v = 0; v < d; v++) {
            p[v] = 20 + 180 * rng.nextDouble();
            q[v] = 5 + 15 * rng.nextDouble();
            phase[v] = 2 * Math.PI * rng.nextDouble();
        }
        float[] s = new float[length * d];
        for (int t = 0; t < length; t++) {
            for (int v = 0; v < d; v++) {
                s[t * d + v] = (float) (Math.sin(2 * Math.PI * t / p[v] + phase[v])
                        + 0.3 * Math.sin(2 * Math.PI * t / q[v]) + 0.1 * gaussian(rng));
            }
        }
        return s;
    }

    /**
     * Sliding windows of a series, batch-major {@code [count, window, d]}.
     * @param series {@code [length, d]}.
     * @param d Variables.
     * @param window Steps per window.
     * @param count Number of windows.
     * @param stride Steps between window starts.
     * @return The windows.
     */
    static float[] windows(float[] series, int d, int window, int count, int stride) {
        int length = series.length / d;
        if ((long) (count - 1) * stride + window > length) {
            throw new IllegalArgumentException("Series of " + length + " steps too short for " + count
                    + " windows of " + window + " with stride " + stride);
        }
        float[] w = new float[count * window * d];
        for (int i = 0; i < count; i++) {
            System.arraycopy(series, i * stride * d, w, i * window * d, window * d);
        }
        return w;
    }

    /** Writes floats as raw little-endian float32. */
    static void write(Path path, float[] values) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream os = Files.newOutputStream(path)) {
            for (float v : values) {
                if (!buf.hasRemaining()) {
                    os.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putFloat(v);
            }
            os.write(buf.array(), 0, buf.position());
        }
    }

    static double gaussian(SplittableRandom rng) {
        // Box-Muller; deterministic for a seed.
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
