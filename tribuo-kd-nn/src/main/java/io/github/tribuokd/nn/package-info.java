/**
 * The neural engine of tribuo-kd: small, explicit and float32.
 * <p>
 * In the spirit of llm.c, every layer has a plain {@code forward} and a hand-written {@code backward} over flat
 * {@code float[]} buffers, side by side in one file, with the tensor shapes in comments. All parameters of a
 * network live in one flat buffer ({@link io.github.tribuokd.nn.FeedForwardNetwork#parameters()}); each
 * layer reads its slice of it, and gradients are accumulated into a caller-supplied buffer of the same layout so
 * that optimisers ({@link io.github.tribuokd.nn.AdamOptimiser},
 * {@link io.github.tribuokd.nn.AdaGradOptimiser}, {@link io.github.tribuokd.nn.SGDMomentumOptimiser})
 * work on two arrays. Every backward is checked against central finite differences in the tests.
 * <p>
 * Losses: {@link io.github.tribuokd.nn.LossFunction} (MSE, MAE), {@link io.github.tribuokd.nn.SoftTargetCrossEntropy}
 * (soft-target distillation) and, for feature distillation at several layers (Salehi et al., "Multiresolution
 * Knowledge Distillation for Anomaly Detection", CVPR 2021), {@link io.github.tribuokd.nn.CosineDirectionLoss} and
 * {@link io.github.tribuokd.nn.FeatureMatchingLoss}, whose gradients enter a network at several layers at once through
 * {@link io.github.tribuokd.nn.FeedForwardNetwork#backwardFrom}.
 * <p>
 * Tribuo 4.3.2's own {@code org.tribuo.math.optimisers.Adam} multiplies by {@code sqrt(v)+eps} where it must divide;
 * this package ships a correct Adam of its own.
 */
package io.github.tribuokd.nn;
