package io.github.tribuokd.evaluation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class GeneralizedParetoFitTest {

    /**
     * Inverse-CDF sample of a GPD: Y = σ/γ·((1−U)^(−γ) − 1), or −σ·ln(1−U) for γ = 0.
     */
    static double[] sampleGpd(int n, double gamma, double sigma, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble();
            double v;
            do {
                v = gamma == 0.0 ? -sigma * Math.log1p(-u) : sigma / gamma * Math.expm1(-gamma * Math.log1p(-u));
                u = rng.nextDouble();
            } while (!(v > 0.0));
            y[i] = v;
        }
        return y;
    }

    @ParameterizedTest
    @CsvSource({"-0.2, 1.0, 11", "0.0, 2.0, 12", "0.1, 0.5, 13", "0.3, 3.0, 14"})
    public void recoversKnownParameters(double gamma, double sigma, long seed) {
        double[] y = sampleGpd(20_000, gamma, sigma, seed);
        GeneralizedParetoFit fit = GeneralizedParetoFit.fit(y);
        assertEquals(gamma, fit.gamma(), 0.05, fit.toString());
        assertEquals(sigma, fit.sigma(), 0.05 * sigma, fit.toString());
        assertEquals(20_000, fit.numPeaks());
        assertTrue(fit.sigma() > 0.0);
        assertEquals(GeneralizedParetoFit.logLikelihood(y, fit.gamma(), fit.sigma()), fit.logLikelihood(),
                1e-9 * Math.abs(fit.logLikelihood()));

        // Maximum check: at least as likely as the truth and as nearby parameters.
        double ll = fit.logLikelihood();
        double tol = 1e-9 * Math.abs(ll);
        assertTrue(ll >= GeneralizedParetoFit.logLikelihood(y, gamma, sigma) - tol, fit.toString());
        for (double dg : new double[]{-0.01, 0.0, 0.01}) {
            for (double ds : new double[]{0.99, 1.0, 1.01}) {
                if (dg == 0.0 && ds == 1.0) {
                    continue;
                }
                double perturbed = GeneralizedParetoFit.logLikelihood(y, fit.gamma() + dg, fit.sigma() * ds);
                assertTrue(ll >= perturbed - tol, "dg=" + dg + " ds=" + ds + " " + fit + " vs " + perturbed);
            }
        }
        // Finer local check around the optimum.
        for (double dg : new double[]{-1e-3, 1e-3}) {
            assertTrue(ll >= GeneralizedParetoFit.logLikelihood(y, fit.gamma() + dg, fit.sigma()) - tol);
        }
        for (double ds : new double[]{0.999, 1.001}) {
            assertTrue(ll >= GeneralizedParetoFit.logLikelihood(y, fit.gamma(), fit.sigma() * ds) - tol);
        }
    }

    @Test
    public void candidateMatchesSignOfShape() {
        GeneralizedParetoFit neg = GeneralizedParetoFit.fit(sampleGpd(20_000, -0.3, 1.0, 21));
        assertEquals(GeneralizedParetoFit.Candidate.NEGATIVE_ROOT, neg.candidate());
        assertTrue(neg.gamma() < 0.0);
        assertTrue(neg.numRoots() >= 1);
        GeneralizedParetoFit pos = GeneralizedParetoFit.fit(sampleGpd(20_000, 0.4, 1.0, 22));
        assertEquals(GeneralizedParetoFit.Candidate.POSITIVE_ROOT, pos.candidate());
        assertTrue(pos.gamma() > 0.0);
        assertTrue(pos.numRoots() >= 1);
    }

    @Test
    public void scaleEquivariance() {
        double[] y = sampleGpd(5_000, 0.2, 1.0, 31);
        double[] scaled = Arrays.stream(y).map(v -> 1000.0 * v).toArray();
        GeneralizedParetoFit a = GeneralizedParetoFit.fit(y);
        GeneralizedParetoFit b = GeneralizedParetoFit.fit(scaled);
        assertEquals(a.gamma(), b.gamma(), 1e-9);
        assertEquals(1000.0 * a.sigma(), b.sigma(), 1e-6 * b.sigma());
    }

    @Test
    public void equalPeaksGiveExponential() {
        GeneralizedParetoFit fit = GeneralizedParetoFit.fit(new double[]{2.0, 2.0, 2.0, 2.0});
        assertTrue(fit.isExponential());
        assertEquals(GeneralizedParetoFit.Candidate.EXPONENTIAL, fit.candidate());
        assertEquals(0.0, fit.gamma());
        assertEquals(2.0, fit.sigma(), 1e-15);
        assertEquals(-4.0 * Math.log(2.0) - 4.0, fit.logLikelihood(), 1e-12);
    }

    @Test
    public void logLikelihoodHandValues() {
        double[] y = {1.0, 2.0};
        // gamma = 0, sigma = 1: -0 - 3.
        assertEquals(-3.0, GeneralizedParetoFit.logLikelihood(y, 0.0, 1.0), 1e-15);
        // gamma = 1, sigma = 1: -(1 + 1)(ln 2 + ln 3).
        assertEquals(-2.0 * Math.log(6.0), GeneralizedParetoFit.logLikelihood(y, 1.0, 1.0), 1e-12);
        // gamma = -0.5, sigma = 2: -2 ln 2 - (1 - 2)(ln 0.75 + ln 0.5).
        assertEquals(-2.0 * Math.log(2.0) + Math.log(0.75) + Math.log(0.5),
                GeneralizedParetoFit.logLikelihood(y, -0.5, 2.0), 1e-12);
        // Outside the support: 1 + (gamma/sigma) * 2 = 0.
        assertEquals(Double.NEGATIVE_INFINITY, GeneralizedParetoFit.logLikelihood(y, -1.0, 2.0));
    }

    @Test
    public void invalidInputsThrow() {
        assertThrows(IllegalArgumentException.class, () -> GeneralizedParetoFit.fit(null));
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> GeneralizedParetoFit.fit(new double[]{1.0}));
        assertTrue(few.getMessage().contains("at least 2"), few.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> GeneralizedParetoFit.fit(new double[]{1.0, 0.0, 2.0}));
        assertTrue(zero.getMessage().contains("index 1"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GeneralizedParetoFit.fit(new double[]{1.0, -1.0}));
        assertThrows(IllegalArgumentException.class, () -> GeneralizedParetoFit.fit(new double[]{1.0, Double.NaN}));
        assertThrows(IllegalArgumentException.class,
                () -> GeneralizedParetoFit.fit(new double[]{1.0, Double.POSITIVE_INFINITY}));
        assertThrows(IllegalArgumentException.class,
                () -> GeneralizedParetoFit.logLikelihood(new double[]{1.0}, 0.1, 0.0));
        assertThrows(IllegalArgumentException.class,
                () -> GeneralizedParetoFit.logLikelihood(new double[]{1.0}, Double.NaN, 1.0));
        assertThrows(IllegalArgumentException.class,
                () -> GeneralizedParetoFit.logLikelihood(new double[0], 0.1, 1.0));
    }
}
