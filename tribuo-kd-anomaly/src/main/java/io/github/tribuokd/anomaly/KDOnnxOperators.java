package io.github.tribuokd.anomaly;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * ONNX operators (default domain, Tribuo's opset) that Tribuo 4.3.2's {@link ONNXOperators} enum lacks: the
 * element-wise functions of the dense models, the convolution, pooling and shape operators of the
 * convolutional students (seed 001 (Pol et al., "Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md)), the transposed convolution of MSCRED-style decoders, the LSTM, matrix
 * product and shape operators of the LSTM autoencoder of seed 000 (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md) with its Mahalanobis rule, and those of the MSCRED
 * export (seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md): signature matrices, ConvLSTM, attention, Long-Term Accumulator).
 */
public enum KDOnnxOperators implements ONNXOperator {
    /** Rectified linear unit, {@code max(0, x)} element-wise. */
    RELU("Relu", 1, 0),
    /** Hyperbolic tangent element-wise. */
    TANH("Tanh", 1, 0),
    /** Natural exponential element-wise. */
    EXP("Exp", 1, 0),
    /** Natural logarithm element-wise. */
    LOG("Log", 1, 0),
    /**
     * 2-D convolution of an NCHW tensor: inputs X, W {@code [M, C, kH, kW]} and the optional bias B {@code [M]};
     * attributes {@code kernel_shape}, {@code pads} (begin and end of each axis) and {@code strides}.
     */
    CONV("Conv", 2, 1, ints("kernel_shape"), ints("pads"), ints("strides")),
    /**
     * 2-D transposed convolution of an NCHW tensor: inputs X, W {@code [C, M, kH, kW]} and the optional bias B
     * {@code [M]}; attributes {@code kernel_shape}, {@code pads} (cropped at the begin and end of each axis),
     * {@code strides} and {@code output_padding} (added at the end of each axis).
     */
    CONV_TRANSPOSE("ConvTranspose", 2, 1, ints("kernel_shape"), ints("pads"), ints("strides"),
            ints("output_padding")),
    /** Average pooling of an NCHW tensor; attributes {@code kernel_shape} (mandatory) and {@code strides}. */
    AVERAGE_POOL("AveragePool", 1, 0, mandatoryInts("kernel_shape"), ints("strides")),
    /** Flattens to 2-D at {@code axis} (attribute, default 1). */
    FLATTEN("Flatten", 1, 0, new ONNXAttribute("axis", AttributeType.INT, false)),
    /** Reshapes X to the shape given by the second input (an int64 tensor; −1 infers one axis). */
    RESHAPE("Reshape", 2, 0),
    /** Element-wise maximum of two inputs (broadcasting). */
    MAX("Max", 2, 0),
    /** Element-wise minimum of two inputs (broadcasting). */
    MIN("Min", 2, 0),
    /** Square root element-wise. */
    SQRT("Sqrt", 1, 0),
    /**
     * The k largest or smallest entries along an axis: inputs X and K (int64 {@code [1]}); attributes {@code axis},
     * {@code largest} (0 = smallest) and {@code sorted}; <b>two outputs</b>, values and indices.
     */
    TOPK("TopK", 2, 0, 2, new ONNXAttribute("axis", AttributeType.INT, false),
            new ONNXAttribute("largest", AttributeType.INT, false), new ONNXAttribute("sorted", AttributeType.INT, false)),
    /** Element-wise absolute value. */
    ABS("Abs", 1, 0),
    /** Matrix product with NumPy broadcasting of the leading axes ({@code [.., n, k]·[k, p]}). */
    MAT_MUL("MatMul", 2, 0),
    /** Permutes the axes; attribute {@code perm}. */
    TRANSPOSE("Transpose", 1, 0, ints("perm")),
    /** The shape of the input as a 1-D int64 tensor. */
    SHAPE("Shape", 1, 0),
    /** Slices: inputs data, starts, ends and the optional axes and steps (int64 1-D tensors). */
    SLICE("Slice", 3, 2),
    /** Broadcasts the input to the shape given by the second input (an int64 1-D tensor). */
    EXPAND("Expand", 2, 0),
    /** Removes the size-1 axes listed by the optional second input (an int64 1-D tensor). */
    SQUEEZE("Squeeze", 1, 1),
    /**
     * A long short-term memory layer over a time-major sequence (ONNX {@code LSTM}, version 7 in opset 13): inputs
     * X {@code [seq, batch, in]}, W {@code [dirs, 4H, in]}, R {@code [dirs, 4H, H]} (gate blocks in the order
     * i, o, f, c), and the optional B {@code [dirs, 8H]} (input then recurrent biases), sequence_lens
     * {@code [batch]} int32, initial_h and initial_c {@code [dirs, batch, H]} and peepholes P; outputs Y
     * {@code [seq, dirs, batch, H]}, Y_h and Y_c {@code [dirs, batch, H]}; attribute {@code hidden_size}
     * (mandatory). Default activations: σ for the gates, tanh for the cell candidate and the output.
     */
    LSTM("LSTM", 3, 5, 3, new ONNXAttribute("hidden_size", AttributeType.INT, true));

    private final String opName;
    private final int numInputs;
    private final int numOptionalInputs;
    private final int numOutputs;
    private final Map<String, ONNXAttribute> attributes;
    private final Set<String> mandatory;

    KDOnnxOperators(String opName, int numInputs, int numOptionalInputs, ONNXAttribute... attributes) {
        this(opName, numInputs, numOptionalInputs, 1, attributes);
    }

    KDOnnxOperators(String opName, int numInputs, int numOptionalInputs, int numOutputs,
                    ONNXAttribute... attributes) {
        this.opName = opName;
        this.numInputs = numInputs;
        this.numOptionalInputs = numOptionalInputs;
        this.numOutputs = numOutputs;
        Map<String, ONNXAttribute> map = new LinkedHashMap<>();
        java.util.Set<String> must = new java.util.HashSet<>();
        for (ONNXAttribute a : attributes) {
            map.put(a.getName(), a);
            if (a.isMandatory()) {
                must.add(a.getName());
            }
        }
        this.attributes = Collections.unmodifiableMap(map);
        this.mandatory = Collections.unmodifiableSet(must);
    }

    private static ONNXAttribute ints(String name) {
        return new ONNXAttribute(name, AttributeType.INTS, false);
    }

    private static ONNXAttribute mandatoryInts(String name) {
        return new ONNXAttribute(name, AttributeType.INTS, true);
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return numInputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return numOptionalInputs;
    }

    @Override
    public int getNumOutputs() {
        return numOutputs;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return mandatory;
    }

    @Override
    public int getOpVersion() {
        return ONNXOperators.getOpsetVersion();
    }

    @Override
    public String getOpDomain() {
        return null;
    }
}
