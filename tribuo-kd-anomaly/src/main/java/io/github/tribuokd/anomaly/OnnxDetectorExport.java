package io.github.tribuokd.anomaly;

import ai.onnx.proto.OnnxMl;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ONNXExportable;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one shape every exported detector of this library has, so a deployment never re-implements a decision rule:
 * <ul>
 *   <li>input {@value #INPUT} {@code [batch, numFeatures]} float: <b>raw</b> values (standardisation is inside the
 *       graph), columns in the order listed by the metadata entry {@value #META_FEATURES};</li>
 *   <li>output {@value #SCORE} {@code [batch, 1]} float: the anomaly score (higher = more anomalous), the same
 *       number the Java model's {@code score} gives, to float32 rounding;</li>
 *   <li>output {@value #DECISION} {@code [batch, 1]} bool: {@code score > threshold}, the Java model's
 *       {@code ANOMALOUS} decision, with the stored threshold as a float32 constant of the graph;</li>
 *   <li>metadata (the ONNX {@code metadata_props}): Tribuo's provenance ({@link ONNXExportable#PROVENANCE_METADATA_FIELD}),
 *       {@value #META_FEATURES} (comma-separated feature names in input column order), {@value #META_THRESHOLD},
 *       {@value #META_DECISION} (the rule in words) and any entries the model adds (window length, variables, ...).</li>
 * </ul>
 * A model with a decision richer than one threshold (a count rule over points, a carried state) adds further
 * inputs and outputs and documents them; the two outputs above are always there.
 */
public final class OnnxDetectorExport {

    /** The input's name. */
    public static final String INPUT = "input";
    /** The score output's name. */
    public static final String SCORE = "score";
    /** The decision output's name. */
    public static final String DECISION = "anomalous";
    /** Metadata key: feature names in input column order, comma-separated. */
    public static final String META_FEATURES = "tribuo-kd.features";
    /** Metadata key: the decision threshold (decimal, as stored in the Java model). */
    public static final String META_THRESHOLD = "tribuo-kd.threshold";
    /** Metadata key: the decision rule in words. */
    public static final String META_DECISION = "tribuo-kd.decision";
    /** Metadata key: the exporting model's class. */
    public static final String META_MODEL_CLASS = "tribuo-kd.model-class";

    private OnnxDetectorExport() { }

    /**
     * Wires a score node into the {@value #SCORE} and {@value #DECISION} outputs, builds the model and adds the
     * metadata.
     * @param ctx The context holding the graph (its input must be {@link #input}).
     * @param score The score node, {@code [batch, 1]} float.
     * @param threshold The stored threshold: scores strictly above are anomalous.
     * @param featureNames The feature names in input column order.
     * @param domain The ONNX domain.
     * @param modelVersion The model version.
     * @param model The exporting model (its provenance goes into the metadata).
     * @param extraMetadata Further metadata entries (may be empty).
     * @param <M> The model type.
     * @return The ONNX model.
     */
    public static <M extends Provenancable<ModelProvenance>> OnnxMl.ModelProto build(
            ONNXContext ctx, ONNXRef<?> score, double threshold, List<String> featureNames, String domain,
            long modelVersion, M model, Map<String, String> extraMetadata) {
        return build(ctx, score, threshold, featureNames, domain, modelVersion, model, extraMetadata, List.of());
    }

    /**
     * As {@link #build(ONNXContext, ONNXRef, double, List, String, long, Provenancable, Map)}, with further float
     * outputs declared after {@value #SCORE} and {@value #DECISION}, in the given order (per-point scores of a count
     * rule, a carried state for a streaming detector, a diagnostic such as a residual matrix). Further inputs are
     * declared on the context before (after {@link #input}); their order there is the graph's input order.
     * @param ctx The context holding the graph.
     * @param score The score node, {@code [batch, 1]} float.
     * @param threshold The stored threshold: scores strictly above are anomalous.
     * @param featureNames The feature names in input column order.
     * @param domain The ONNX domain.
     * @param modelVersion The model version.
     * @param model The exporting model (its provenance goes into the metadata).
     * @param extraMetadata Further metadata entries (may be empty).
     * @param extraOutputs Further outputs, in order (may be empty).
     * @param <M> The model type.
     * @return The ONNX model.
     */
    public static <M extends Provenancable<ModelProvenance>> OnnxMl.ModelProto build(
            ONNXContext ctx, ONNXRef<?> score, double threshold, List<String> featureNames, String domain,
            long modelVersion, M model, Map<String, String> extraMetadata, List<ExtraOutput> extraOutputs) {
        Objects.requireNonNull(score, "score");
        ONNXPlaceholder scoreOut = ctx.floatOutput(SCORE, 1);
        score.assignTo(scoreOut);
        ONNXInitializer t = ctx.array("decision_threshold", new float[]{(float) threshold});
        ONNXPlaceholder decisionOut = ctx.floatOutput(DECISION, 1);
        score.apply(ONNXOperators.GREATER, t).assignTo(decisionOut);
        for (ExtraOutput extra : extraOutputs) {
            if (extra.name.equals(INPUT) || extra.name.equals(SCORE) || extra.name.equals(DECISION)) {
                throw new IllegalArgumentException("An extra output may not be called " + extra.name);
            }
            extra.value.assignTo(ctx.floatOutput(extra.name, extra.width));
        }
        OnnxMl.ModelProto built = ONNXExportable.buildModel(ctx, domain, modelVersion, model);
        OnnxMl.ModelProto.Builder b = built.toBuilder();
        // floatOutput declares every output float; the decision is a bool tensor.
        OnnxMl.GraphProto.Builder graph = b.getGraphBuilder();
        for (int i = 0; i < graph.getOutputCount(); i++) {
            if (graph.getOutput(i).getName().equals(DECISION)) {
                OnnxMl.ValueInfoProto.Builder vi = graph.getOutputBuilder(i);
                vi.getTypeBuilder().getTensorTypeBuilder().setElemType(OnnxMl.TensorProto.DataType.BOOL.getNumber());
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(META_FEATURES, String.join(",", featureNames));
        meta.put(META_THRESHOLD, Double.toString(threshold));
        meta.put(META_DECISION, "anomalous = score > threshold (threshold stored as float32 in the graph)");
        meta.put(META_MODEL_CLASS, model.getClass().getName());
        meta.putAll(extraMetadata);
        for (Map.Entry<String, String> e : meta.entrySet()) {
            b.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return b.build();
    }

    /** A further float output {@code [batch, width]} of an exported detector. */
    public static final class ExtraOutput {
        private final String name;
        private final ONNXRef<?> value;
        private final int width;

        /**
         * Describes an extra output.
         * @param name The output's name.
         * @param value The node computing it, {@code [batch, width]} float.
         * @param width Its second dimension.
         */
        public ExtraOutput(String name, ONNXRef<?> value, int width) {
            this.name = Objects.requireNonNull(name, "name");
            this.value = Objects.requireNonNull(value, "value");
            if (width < 1) {
                throw new IllegalArgumentException("width must be positive, found " + width);
            }
            this.width = width;
        }

        /**
         * The output's name.
         * @return The name.
         */
        public String name() {
            return name;
        }

        /**
         * The output's width.
         * @return The second dimension.
         */
        public int width() {
            return width;
        }
    }

    /**
     * The feature names of a domain in id order (for Tribuo's immutable maps, sorted by name): the input columns.
     * @param features The feature domain.
     * @return The names.
     */
    public static List<String> featureNames(ImmutableFeatureMap features) {
        List<String> names = new ArrayList<>(features.size());
        for (int i = 0; i < features.size(); i++) {
            names.add(features.get(i).getName());
        }
        return names;
    }

    /**
     * The {@value #INPUT} placeholder: {@code [batch, width]} float.
     * @param ctx The context.
     * @param width The number of input columns.
     * @return The placeholder.
     */
    public static ONNXPlaceholder input(ONNXContext ctx, int width) {
        return ctx.floatInput(INPUT, width);
    }
}
