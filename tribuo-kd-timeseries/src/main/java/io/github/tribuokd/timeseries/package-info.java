/**
 * Multivariate time series for anomaly detection with Tribuo: an immutable series type, a loader for
 * the SMD directory layout, sliding windows that turn a series into a Tribuo {@code Dataset<Event>},
 * the multi-scale signature matrices of MSCRED (eq. 1 of seed paper 002: batch, incremental and
 * streaming, see {@link io.github.tribuokd.timeseries.SignatureMatrices}), and the mapping of window
 * scores back to time points.
 * <p>
 * Conventions used throughout the package:
 * <ul>
 *     <li>A {@link io.github.tribuokd.timeseries.MultivariateSeries} stores its values row-major as
 *     {@code float}: row {@code t} is a time step, column {@code v} a variable, and the value lives at
 *     index {@code t * numVariables + v}. Indices in the API are 0-based; error messages about files
 *     use 1-based line and column numbers, like a text editor.</li>
 *     <li>Labels are 0 (normal) or 1 (anomalous) per time step. A window is anomalous when at least
 *     one of its points is anomalous.</li>
 *     <li>Generated feature names are zero-padded ({@code t07.v03}) so that Tribuo's lexicographic
 *     feature-id order equals the flattening order {@code t * numVariables + v} (see
 *     {@link io.github.tribuokd.timeseries.SlidingWindows#featureNames(int, int)}).</li>
 *     <li>Labels are converted to {@link org.tribuo.anomaly.Event}s explicitly, never through
 *     {@link org.tribuo.anomaly.AnomalyFactory#generateOutput(Object)}, which maps every string other
 *     than {@code "ANOMALOUS"} (including {@code "1"}) to {@code EXPECTED}.</li>
 *     <li>Signature-matrix stacks are row-major {@code [scales, n, n]} and MSCRED model inputs
 *     {@code [steps, scales, n, n]}, oldest stack first; time t's matrix covers the ℓ points ending at
 *     and including t.</li>
 *     <li>Series are split by time ({@link io.github.tribuokd.timeseries.MultivariateSeries#slice(int, int)}),
 *     never shuffled.</li>
 * </ul>
 */
package io.github.tribuokd.timeseries;
