package io.github.tribuokd.anomaly.exposure;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Several generators sharing one budget of exposed rows: generator {@code g} of {@code G} makes
 * {@code ⌊count / G⌋} rows, plus one for the first {@code count mod G}, in the order given, each from its own
 * split of the random source (so adding rows to one generator's share does not change another's rows).
 */
public final class ExposureMix {

    private ExposureMix() { }

    /**
     * Makes {@code count} exposed rows.
     * @param generators The generators (at least one).
     * @param normal The normal inputs to start from.
     * @param count The number of rows ({@code ≥ 0}).
     * @param rng The random source (one split is taken per generator).
     * @return {@code [count, normal.width()]} row-major, raw, grouped by generator in the order given.
     */
    public static float[] generate(List<? extends ExposureGenerator> generators, NormalInputs normal, int count,
                                   SplittableRandom rng) {
        if (generators == null || generators.isEmpty()) {
            throw new IllegalArgumentException("Exposure needs at least one generator");
        }
        if (count < 0) {
            throw new IllegalArgumentException("The number of exposed rows must be non-negative, found " + count);
        }
        int d = normal.width();
        float[] out = new float[Math.multiplyExact(count, d)];
        int g = generators.size();
        int first = 0;
        float[] part = null;
        for (int i = 0; i < g; i++) {
            int share = count / g + (i < count % g ? 1 : 0);
            SplittableRandom own = rng.split();
            if (share == 0) {
                continue;
            }
            if (part == null || part.length < share * d) {
                part = new float[share * d];
            }
            generators.get(i).generate(normal, share, own, part);
            System.arraycopy(part, 0, out, first * d, share * d);
            first += share;
        }
        return out;
    }

    /**
     * The number of rows of each generator for a total of {@code count}.
     * @param numGenerators The number of generators.
     * @param count The total.
     * @return The shares, in order.
     */
    public static int[] shares(int numGenerators, int count) {
        int[] shares = new int[numGenerators];
        for (int i = 0; i < numGenerators; i++) {
            shares[i] = count / numGenerators + (i < count % numGenerators ? 1 : 0);
        }
        return shares;
    }
}
