package io.github.tribuokd.anomaly.classification;

import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The Mackey-Glass delay differential equation {@code dx/dt = β·x(t−τ)/(1 + x(t−τ)^n) − γ·x(t)} (standard
 * β = 0.2, γ = 0.1, n = 10, τ = 17, chaotic), and seed 003's classification task built on it (Hayashi et al.,
 * IJCNN 2019, slide table: student input length 4, teacher (privileged) input length 2, prediction time k = 8).
 * <p>
 * <b>Integration.</b> Classical fourth-order Runge-Kutta with step {@code dt = 0.1} (so τ/dt = 170 steps); the delayed
 * value at the half step is the mean of the two neighbouring grid values; history {@code x(t) = x0} for
 * {@code t ≤ 0}, {@code x0 = 1.2}. The series is sampled every 1 time unit after a burn-in; fully deterministic.
 * <p>
 * <b>Task (our reading of the slide's table).</b> At time t the label is {@code up} if {@code x(t+k) > x(t)},
 * {@code down} otherwise. The student sees {@code s0..s3 = x(t−3), …, x(t)} (length 4, dimension 4). The examples
 * also carry the privileged {@code p0, p1 = x(t+k−2), x(t+k−1)}: values of the series between now and the horizon,
 * known when the training set is built but not at prediction time. {@link MackeyGlassExperiment}'s teacher uses
 * {@code s3, p1} = x(t), x(t+k−1) (length 2, as the slide's table). The slide does not say which 2 values the teacher
 * sees; this choice is ours.
 */
public final class MackeyGlass {

    /** β. */
    public static final double BETA = 0.2;
    /** γ. */
    public static final double GAMMA = 0.1;
    /** The exponent n. */
    public static final double N = 10;
    /** The delay τ. */
    public static final double TAU = 17;
    /** The history x(t ≤ 0). */
    public static final double X0 = 1.2;
    /** The RK4 step. */
    public static final double DT = 0.1;

    private MackeyGlass() { }

    /**
     * The series at integer times {@code burnIn, burnIn+1, …, burnIn+length−1}.
     * @param length Number of samples.
     * @param burnIn Time units discarded first.
     * @return The samples.
     */
    public static double[] series(int length, int burnIn) {
        int perUnit = (int) Math.round(1 / DT);
        int delay = (int) Math.round(TAU / DT);
        int steps = (length + burnIn) * perUnit;
        double[] x = new double[steps + 1];
        x[0] = X0;
        for (int i = 0; i < steps; i++) {
            double d0 = i - delay >= 0 ? x[i - delay] : X0;
            double d1 = i - delay + 1 >= 0 ? x[i - delay + 1] : X0;
            double dh = 0.5 * (d0 + d1);
            double k1 = f(x[i], d0);
            double k2 = f(x[i] + 0.5 * DT * k1, dh);
            double k3 = f(x[i] + 0.5 * DT * k2, dh);
            double k4 = f(x[i] + DT * k3, d1);
            x[i + 1] = x[i] + DT / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
        }
        double[] out = new double[length];
        for (int j = 0; j < length; j++) {
            out[j] = x[(burnIn + j) * perUnit];
        }
        return out;
    }

    static double f(double x, double delayed) {
        return BETA * delayed / (1 + Math.pow(delayed, N)) - GAMMA * x;
    }

    /** Student feature names (x(t−3) … x(t)). */
    public static final String[] STUDENT = {"s0", "s1", "s2", "s3"};
    /** Privileged feature names (x(t+k−2), x(t+k−1)). */
    public static final String[] PRIVILEGED = {"p0", "p1"};

    /**
     * The up/down task on {@code count} consecutive times starting at index {@code from} of the series.
     * @param x The series.
     * @param from First time t (needs t ≥ 3).
     * @param count Number of examples.
     * @param k The horizon.
     * @param name The data source name.
     * @return Examples with features s0..s3, p0, p1.
     */
    public static MutableDataset<Label> task(double[] x, int from, int count, int k, String name) {
        if (from < 3 || from + count - 1 + k >= x.length || k < 2) {
            throw new IllegalArgumentException("The series of length " + x.length + " cannot hold " + count
                    + " examples from t=" + from + " with horizon " + k);
        }
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance(name, factory), factory);
        String[] names = {"s0", "s1", "s2", "s3", "p0", "p1"};
        for (int t = from; t < from + count; t++) {
            double[] v = {x[t - 3], x[t - 2], x[t - 1], x[t], x[t + k - 2], x[t + k - 1]};
            data.add(new ArrayExample<>(new Label(x[t + k] > x[t] ? "up" : "down"), names, v));
        }
        return data;
    }
}
