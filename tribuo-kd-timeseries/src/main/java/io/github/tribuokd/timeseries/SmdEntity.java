package io.github.tribuokd.timeseries;

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

    /**
     * Creates an entity.
     *
     * @param name  The entity name, e.g. {@code "machine-1-5"}.
     * @param train The training series (normally unlabelled).
     * @param test  The test series; must carry labels and have as many variables as {@code train}.
     * @throws IllegalArgumentException If the test series has no labels or the variable counts differ.
     */
    public SmdEntity(String name, MultivariateSeries train, MultivariateSeries test) {
        this.name = Objects.requireNonNull(name, "name must not be null");
        this.train = Objects.requireNonNull(train, "train must not be null");
        this.test = Objects.requireNonNull(test, "test must not be null");
        if (!test.hasLabels()) {
            throw new IllegalArgumentException("entity '" + name + "': test series '" + test.name() + "' has no labels");
        }
        if (train.numVariables() != test.numVariables()) {
            throw new IllegalArgumentException("entity '" + name + "': train series has " + train.numVariables()
                    + " variables but test series has " + test.numVariables());
        }
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
     * Two entities are equal when their names and series are equal.
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
        return name.equals(other.name) && train.equals(other.train) && test.equals(other.test);
    }

    /**
     * Returns a hash code consistent with {@link #equals(Object)}.
     *
     * @return The hash code.
     */
    @Override
    public int hashCode() {
        return Objects.hash(name, train, test);
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
