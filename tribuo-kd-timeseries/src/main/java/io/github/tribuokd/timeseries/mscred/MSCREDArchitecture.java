package io.github.tribuokd.timeseries.mscred;

import java.util.Arrays;

/**
 * MSCRED's encoder per level (Zhang et al., AAAI 2019, the convolutional encoder; seed {@code 002_*} (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md)'s teacher has
 * all four levels, its student the first two): channels 32, 64, 128, 256, kernel sides 3, 3, 2, 2, strides
 * 1, 2, 2, 2. The one place these numbers are written: {@link MSCREDNetwork#teacher}, {@link MSCREDNetwork#student},
 * {@link MSCREDTrainer}, {@link LTADistillationTrainer} and the {@code mscred} command read them here. Stateless.
 */
public final class MSCREDArchitecture {

    /** MSCRED's number of levels. */
    public static final int LEVELS = 4;

    private static final int[] CHANNELS = {32, 64, 128, 256};
    private static final int[] KERNELS = {3, 3, 2, 2};
    private static final int[] STRIDES = {1, 2, 2, 2};

    private MSCREDArchitecture() {
    }

    /**
     * The channels of the first {@code levels} levels: 32, 64, 128, 256.
     * @param levels The number of levels, 1 to {@value #LEVELS}.
     * @return A new array.
     * @throws IllegalArgumentException If {@code levels} is out of range.
     */
    public static int[] channels(int levels) {
        return Arrays.copyOf(CHANNELS, check(levels));
    }

    /**
     * The encoder kernel sides of the first {@code levels} levels: 3, 3, 2, 2.
     * @param levels The number of levels, 1 to {@value #LEVELS}.
     * @return A new array.
     * @throws IllegalArgumentException If {@code levels} is out of range.
     */
    public static int[] kernels(int levels) {
        return Arrays.copyOf(KERNELS, check(levels));
    }

    /**
     * The encoder strides of the first {@code levels} levels: 1, 2, 2, 2.
     * @param levels The number of levels, 1 to {@value #LEVELS}.
     * @return A new array.
     * @throws IllegalArgumentException If {@code levels} is out of range.
     */
    public static int[] strides(int levels) {
        return Arrays.copyOf(STRIDES, check(levels));
    }

    private static int check(int levels) {
        if (levels < 1 || levels > LEVELS) {
            throw new IllegalArgumentException("MSCRED has 1 to " + LEVELS + " levels, found " + levels);
        }
        return levels;
    }
}
