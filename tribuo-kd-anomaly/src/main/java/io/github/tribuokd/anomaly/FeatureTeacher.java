package io.github.tribuokd.anomaly;

import org.tribuo.util.onnx.ONNXRef;

import java.util.List;

/**
 * A frozen network that exposes named intermediate features of raw rows: the teacher (the "source" network) of
 * feature distillation, whose activations at chosen layers (the critical points {@code CP_i}) a student learns to
 * reproduce on normal data (Salehi et al., "Multiresolution Knowledge Distillation for Anomaly Detection", CVPR 2021;
 * {@link FeatureDistillationTrainer}).
 * <p>
 * A feature teacher is also a {@code Model<Event>} of this library (so that a distilled detector can store it in its
 * model file and record its provenance); {@link AutoencoderModel} is one, with the outputs of its encoder layers.
 * Implementations are immutable and thread-safe; {@link #features} allocates nothing per call.
 */
public interface FeatureTeacher {

    /**
     * The names of the features, shallowest first (e.g. {@code "encoder.0"}, {@code "encoder.1"}).
     * @return An unmodifiable list.
     */
    List<String> featureNames();

    /**
     * The width of every feature, in {@link #featureNames()} order.
     * @return A new array.
     */
    int[] featureWidths();

    /**
     * The number of raw input columns (the model's features, in id order).
     * @return The input width.
     */
    int inputWidth();

    /**
     * The standardisation the teacher applies to raw rows before its network, which a student should share so that
     * both see the same inputs.
     * @return The standardiser, or null when the teacher reads raw values.
     */
    FeatureStandardizer inputStandardizer();

    /**
     * Computes the chosen features of raw rows.
     * @param rows Raw rows {@code [n, inputWidth()]}, row-major, features in id order; not modified.
     * @param n The number of rows (any positive number).
     * @param which Indices into {@link #featureNames()}.
     * @param out {@code out[m]} receives feature {@code which[m]}, {@code [n, featureWidths()[which[m]]]} from
     *            element 0.
     */
    void features(float[] rows, int n, int[] which, float[][] out);

    /**
     * Writes the chosen features into an ONNX graph, for a detector that exports the teacher with its student.
     * @param rawInput The raw input {@code [batch, inputWidth()]} (standardisation, if any, is written by this
     *                 method).
     * @param which Indices into {@link #featureNames()}.
     * @param prefix A prefix for the initializers' names, unique in the graph.
     * @return One node per chosen feature, {@code [batch, featureWidths()[which[m]]]}.
     */
    List<ONNXRef<?>> writeFeatureGraph(ONNXRef<?> rawInput, int[] which, String prefix);
}
