/**
 * Image data for the one-class experiments of the seed paper (Pol et al., "Knowledge Distillation for Anomaly
 * Detection"): a strict reader of the IDX files of MNIST and Fashion-MNIST
 * ({@link io.github.tribuokd.anomaly.images.IdxImages}), the one-class split in which one class is normal and
 * the test set mixes 1,000 normal and 1,000 anomalous images
 * ({@link io.github.tribuokd.anomaly.images.OneClassImageSplit}), outlier-exposure datasets for students, and the
 * provenance these datasets carry ({@link io.github.tribuokd.anomaly.images.ImageDataProvenance}).
 * <p>
 * Conventions used throughout the package:
 * <ul>
 *     <li>An image is row-major: pixel {@code (r, c)} has index {@code r * cols + c}. Feature values are
 *     {@code pixel / 255f}, and the feature of pixel {@code i} is {@code "p"} plus {@code i} zero-padded
 *     ({@code p000 ... p783}), so Tribuo's name-sorted feature ids are the pixel indices.</li>
 *     <li>Examples are dense: every pixel is a feature, zeros included, as the dense detectors of this library
 *     need every feature to be present.</li>
 *     <li>Outputs are built explicitly as {@link org.tribuo.anomaly.Event}s: {@code EXPECTED} for normal images,
 *     {@code ANOMALOUS} for test images of other classes, {@code EXPECTED} placeholders for unlabelled
 *     outlier-exposure inputs.</li>
 *     <li>Random choices use {@link java.util.SplittableRandom} seeded by the caller; the same inputs and seed
 *     always give the same datasets.</li>
 *     <li>File problems are {@link java.io.IOException}s naming the file: an
 *     {@link io.github.tribuokd.anomaly.images.IdxFormatException} for malformed content, a
 *     {@link java.nio.file.NoSuchFileException} for a missing file.</li>
 * </ul>
 */
package io.github.tribuokd.anomaly.images;
