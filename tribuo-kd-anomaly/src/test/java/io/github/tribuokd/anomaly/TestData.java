package io.github.tribuokd.anomaly;

import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * Small datasets for the tests: a generated one (normal points near a 2-D plane in 8-D, anomalies off it) and
 * the real SMD machine embedded in the examples module.
 */
final class TestData {

    static final int DIM = 8;

    private TestData() { }

    static String[] names(int d) {
        String[] names = new String[d];
        for (int i = 0; i < d; i++) {
            names[i] = String.format("f%02d", i);
        }
        return names;
    }

    /** Normal: x = A z + 0.05 noise with z ~ N(0, I_2); anomalies: x ~ N(0, I_8). */
    static MutableDataset<Event> manifold(int normal, int anomalous, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        SplittableRandom fixed = new SplittableRandom(99);
        double[][] a = new double[DIM][2];
        for (double[] row : a) {
            row[0] = fixed.nextGaussian();
            row[1] = fixed.nextGaussian();
        }
        AnomalyFactory factory = new AnomalyFactory();
        MutableDataset<Event> data = new MutableDataset<>(
                new SimpleDataSourceProvenance("manifold seed " + seed, factory), factory);
        String[] names = names(DIM);
        for (int i = 0; i < normal + anomalous; i++) {
            boolean anomaly = i >= normal;
            double[] x = new double[DIM];
            double z0 = rng.nextGaussian(), z1 = rng.nextGaussian();
            for (int j = 0; j < DIM; j++) {
                x[j] = anomaly ? 1.5 * rng.nextGaussian() : a[j][0] * z0 + a[j][1] * z1 + 0.05 * rng.nextGaussian();
            }
            data.add(new ArrayExample<>(new Event(anomaly ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED),
                    names, x));
        }
        return data;
    }

    /**
     * Normal data whose anomaly scores span orders of magnitude: {@code x = A z + s·|e|·u} with a fixed direction
     * {@code u} off the plane of {@code A}, {@code e ~ N(0,1)} and {@code s} log-uniform in [0.01, 1]; anomalies have
     * {@code s = 1} and {@code |e| ≥ 1}. A student trained on such data sees the whole range of the teacher's scores.
     */
    static MutableDataset<Event> heavyTailed(int normal, int anomalous, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        SplittableRandom fixed = new SplittableRandom(99);
        double[][] a = new double[DIM][2];
        double[] u = new double[DIM];
        for (int j = 0; j < DIM; j++) {
            a[j][0] = fixed.nextGaussian();
            a[j][1] = fixed.nextGaussian();
            u[j] = fixed.nextGaussian();
        }
        AnomalyFactory factory = new AnomalyFactory();
        MutableDataset<Event> data = new MutableDataset<>(
                new SimpleDataSourceProvenance("heavy-tailed seed " + seed, factory), factory);
        String[] names = names(DIM);
        for (int i = 0; i < normal + anomalous; i++) {
            boolean anomaly = i >= normal;
            double z0 = rng.nextGaussian(), z1 = rng.nextGaussian();
            double s = anomaly ? 1.0 : Math.exp(Math.log(0.01) * rng.nextDouble());
            double e = Math.abs(rng.nextGaussian());
            if (anomaly) {
                e = 1.0 + e;
            }
            double[] x = new double[DIM];
            for (int j = 0; j < DIM; j++) {
                x[j] = a[j][0] * z0 + a[j][1] * z1 + s * e * u[j];
            }
            data.add(new ArrayExample<>(new Event(anomaly ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED),
                    names, x));
        }
        return data;
    }

    static List<Example<Event>> anomalies(MutableDataset<Event> data) {
        List<Example<Event>> out = new ArrayList<>();
        for (Example<Event> e : data) {
            if (e.getOutput().getType() == Event.EventType.ANOMALOUS) {
                out.add(e);
            }
        }
        return out;
    }

    static List<Example<Event>> normals(MutableDataset<Event> data) {
        List<Example<Event>> out = new ArrayList<>();
        for (Example<Event> e : data) {
            if (e.getOutput().getType() != Event.EventType.ANOMALOUS) {
                out.add(e);
            }
        }
        return out;
    }

    /** Fraction of (anomaly, normal) pairs where the anomaly scores higher (ties ½): ROC-AUC. */
    static double auc(double[] normalScores, double[] anomalyScores) {
        double wins = 0;
        for (double a : anomalyScores) {
            for (double n : normalScores) {
                wins += a > n ? 1 : (a == n ? 0.5 : 0);
            }
        }
        return wins / ((double) normalScores.length * anomalyScores.length);
    }

    /** The embedded SMD machine (examples module), or null when the file is not found. */
    static Path embeddedSmd() {
        for (String p : new String[]{"../examples/src/main/resources/data/SMD", "examples/src/main/resources/data/SMD"}) {
            Path dir = Path.of(p);
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        return null;
    }

    /** Rows of an SMD file as examples with features v00..v37 (one example per time step). */
    static MutableDataset<Event> smdRows(Path file, int maxRows, int[] labels) throws IOException {
        AnomalyFactory factory = new AnomalyFactory();
        MutableDataset<Event> data = new MutableDataset<>(new SimpleDataSourceProvenance(file.toString(), factory),
                factory);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            String line;
            int row = 0;
            String[] names = null;
            while ((line = r.readLine()) != null && row < maxRows) {
                String[] parts = line.split(",");
                if (names == null) {
                    names = new String[parts.length];
                    for (int i = 0; i < parts.length; i++) {
                        names[i] = String.format("v%02d", i);
                    }
                }
                double[] v = new double[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    v[i] = Double.parseDouble(parts[i]);
                }
                boolean anomalous = labels != null && labels[row] == 1;
                data.add(new ArrayExample<>(new Event(anomalous ? Event.EventType.ANOMALOUS
                        : Event.EventType.EXPECTED), names, v));
                row++;
            }
        }
        return data;
    }
}
