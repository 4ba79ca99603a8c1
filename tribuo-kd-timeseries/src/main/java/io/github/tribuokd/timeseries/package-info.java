/**
 * Multivariate time series for anomaly detection with Tribuo: an immutable series type, loaders for
 * the SMD directory layout and for CSV files with a header
 * ({@link io.github.tribuokd.timeseries.CsvSeriesLoader}), sliding windows that turn a series into a Tribuo
 * {@code Dataset<Event>}, the same windows as a configurable Tribuo data source over a configurable series source
 * ({@link io.github.tribuokd.timeseries.WindowedSeriesDataSource} over a
 * {@link io.github.tribuokd.timeseries.SeriesSource}: {@link io.github.tribuokd.timeseries.CsvSeriesSource} or
 * {@link io.github.tribuokd.timeseries.SmdSeriesSource}) whose provenance rebuilds the data of a model,
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
 *     <li>Series are split by time ({@link io.github.tribuokd.timeseries.MultivariateSeries#slice(int, int)},
 *     or the {@code firstStep}/{@code lastStep} range of a
 *     {@link io.github.tribuokd.timeseries.WindowedSeriesDataSource}), never shuffled.</li>
 *     <li>Malformed input files raise a {@link io.github.tribuokd.timeseries.SeriesFormatException} naming the
 *     file, the line and, where one cell is at fault, the column (for CSV files also its header name); nothing
 *     is silently skipped, filled or coerced unless a setting asks for it
 *     ({@link io.github.tribuokd.timeseries.MissingValuePolicy}).</li>
 * </ul>
 */
package io.github.tribuokd.timeseries;
