/**
 * Exposure for score-regression students: inputs away from the normal data, scored by the teacher and added to
 * the student's training set only, so that the student learns the teacher's score where anomalies lie instead of
 * extrapolating to it (Pol et al., "Knowledge Distillation for Anomaly Detection", §2.3 outlier exposure and
 * §2.4 noise as outlier exposure, generalised here to windows of multivariate time series).
 * <p>
 * Every generator is an OLCUT {@link com.oracle.labs.mlrg.olcut.config.Configurable} with provenance and draws
 * all its randomness from the {@link java.util.SplittableRandom} it is given, so a trainer's seed and invocation
 * count reproduce the exposed inputs exactly.
 */
package io.github.tribuokd.anomaly.exposure;
