package io.github.tribuokd.timeseries;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entity (machine, channel) of a dataset in the SMD layout: an unlabelled training series and a
 * labelled test series with the same variables. Immutable.
 *
 * @see SmdLoader#load(java.nio.file.Path, String)
 */
public final class SmdEntity {

    private final String name;
    private final MultivariateSeries train;
    private final MultivariateSeries test;
    private final int[] trainSegmentStarts;
    private final int[] testSegmentStarts;
    private final String trainSource;
    private final String testSource;

    /**
     * Creates an entity.
     *
     * @param name  The entity name, e.g. {@code "machine-1-5"}.
     * @param train The training series (normally unlabelled).
     * @param test  The test series; must carry labels and have as many variables as {@code train}.
     * @throws IllegalArgumentException If the test series has no labels or the variable counts differ.
     */
    public SmdEntity(String name, MultivariateSeries train, MultivariateSeries test) {
        this(name, train, test, new int[]{0}, new int[]{0});
    }

    /**
     * Creates an entity whose series are several independent series concatenated (MSL's and SMAP's channels,
     * {@link SmdLoader#loadConcatenated}): {@code trainSegmentStarts[k]} and {@code testSegmentStarts[k]} are the
     * first points of part k in the training and the test series.
     *
     * @param name               The entity name.
     * @param train              The training series.
     * @param test               The labelled test series.
     * @param trainSegmentStarts First point of every part of the training series: starts at 0, strictly
     *                           increasing, below its length.
     * @param testSegmentStarts  The same for the test series, one per part.
     * @throws IllegalArgumentException If the test series has no labels, the variable counts differ, or the starts
     *                                  are not as described.
     */
    public SmdEntity(String name, MultivariateSeries train, MultivariateSeries test, int[] trainSegmentStarts,
                     int[] testSegmentStarts) {
        this(name, train, test, trainSegmentStarts, testSegmentStarts, null, null);
    }

    /** The loaders' constructor: also records the files the series were read from, for messages. */
    SmdEntity(String name, MultivariateSeries train, MultivariateSeries test, int[] trainSegmentStarts,
              int[] testSegmentStarts, String trainSource, String testSource) {
        this.trainSource = trainSource != null ? trainSource : "series '" + train.name() + "'";
        this.testSource = testSource != null ? testSource : "series '" + test.name() + "'";
        this.name = Objects.requireNonNull(name, "name must not be null");
        this.train = Objects.requireNonNull(train, "train must not be null");
        this.test = Objects.requireNonNull(test, "test must not be null");
        this.trainSegmentStarts = checkStarts(name, "training", trainSegmentStarts, train.numSteps());
        this.testSegmentStarts = checkStarts(name, "test", testSegmentStarts, test.numSteps());
        if (trainSegmentStarts.length != testSegmentStarts.length) {
            throw new IllegalArgumentException("entity '" + name + "': " + trainSegmentStarts.length
                    + " training parts but " + testSegmentStarts.length + " test parts");
        }
        if (!test.hasLabels()) {
            throw new IllegalArgumentException("entity '" + name + "': test series '" + test.name() + "' has no labels");
        }
        if (train.numVariables() != test.numVariables()) {
            throw new IllegalArgumentException("entity '" + name + "': train series has " + train.numVariables()
                    + " variables but test series has " + test.numVariables());
        }
    }

    private static int[] checkStarts(String name, String which, int[] starts, int numSteps) {
        Objects.requireNonNull(starts, which + " segment starts must not be null");
        if (starts.length == 0 || starts[0] != 0) {
            throw new IllegalArgumentException("entity '" + name + "': the " + which + " segment starts must begin "
                    + "with 0, found " + Arrays.toString(starts));
        }
        for (int k = 1; k < starts.length; k++) {
            if (starts[k] <= starts[k - 1] || starts[k] >= numSteps) {
                throw new IllegalArgumentException("entity '" + name + "': " + which + " segment start " + k + " ("
                        + starts[k] + ") must be above the previous (" + starts[k - 1] + ") and below the series "
                        + "length " + numSteps);
            }
        }
        return starts.clone();
    }

    /**
     * Says where the training series came from, for messages: the file it was read from ({@link SmdLoader}), the
     * folder and channel list of a concatenation, or {@code series '<name>'} for an entity built in memory. Not part
     * of {@link #equals(Object)}.
     *
     * @return The description.
     */
    public String trainSource() {
        return trainSource;
    }

    /**
     * Says where the test series came from, as {@link #trainSource()}.
     *
     * @return The description.
     */
    public String testSource() {
        return testSource;
    }

    /**
     * Returns the entity name.
     *
     * @return The name.
     */
    public String name() {
        return name;
    }

    /**
     * Returns the training series (from {@code train/<entity>.txt[.gz]}, no labels).
     *
     * @return The training series.
     */
    public MultivariateSeries train() {
        return train;
    }

    /**
     * Returns the test series (from {@code test/<entity>.txt[.gz]}, labelled from
     * {@code test_label/<entity>.txt[.gz]}).
     *
     * @return The test series.
     */
    public MultivariateSeries test() {
        return test;
    }

    /**
     * The first point of every independent part of the training series: {@code {0}} for one entity, one start per
     * channel for a concatenation ({@link SmdLoader#loadConcatenated}).
     *
     * @return A copy of the starts.
     */
    public int[] trainSegmentStarts() {
        return trainSegmentStarts.clone();
    }

    /**
     * The first point of every part of the test series, in the order of {@link #trainSegmentStarts()}.
     *
     * @return A copy of the starts.
     */
    public int[] testSegmentStarts() {
        return testSegmentStarts.clone();
    }

    /**
     * Two entities are equal when their names, series and segment starts are equal (where they were read from is
     * not compared).
     *
     * @param o The object to compare with.
     * @return True if equal.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SmdEntity)) {
            return false;
        }
        SmdEntity other = (SmdEntity) o;
        return name.equals(other.name) && train.equals(other.train) && test.equals(other.test)
                && Arrays.equals(trainSegmentStarts, other.trainSegmentStarts)
                && Arrays.equals(testSegmentStarts, other.testSegmentStarts);
    }

    /**
     * Returns a hash code consistent with {@link #equals(Object)}.
     *
     * @return The hash code.
     */
    @Override
    public int hashCode() {
        return Objects.hash(name, train, test, Arrays.hashCode(trainSegmentStarts), Arrays.hashCode(testSegmentStarts));
    }

    /**
     * Returns a short description of the entity and its series.
     *
     * @return The description.
     */
    @Override
    public String toString() {
        return "SmdEntity(name=" + name + ", train=" + train + ", test=" + test + ")";
    }
}
