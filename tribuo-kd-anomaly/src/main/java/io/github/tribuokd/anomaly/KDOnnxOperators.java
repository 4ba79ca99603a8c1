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
 * convolutional students (seed 001), the transposed convolution of MSCRED-style decoders, and the matrix and shape
 * operators of the MSCRED export (seed 002: signature matrices, ConvLSTM, attention, Long-Term Accumulator).
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
    /** Matrix product with numpy semantics: batched over the leading axes (broadcasting), of the last two. */
    MATMUL("MatMul", 2, 0),
    /** Permutes the axes; attribute {@code perm} (default: reversed). */
    TRANSPOSE("Transpose", 1, 0, ints("perm")),
    /**
     * Slices X along some axes: inputs X, {@code starts}, {@code ends} (int64, one entry per sliced axis), and the
     * optional {@code axes} and {@code steps} (int64).
     */
    SLICE("Slice", 3, 2),
    /** Absolute value element-wise. */
    ABS("Abs", 1, 0);

    private final String opName;
    private final int numInputs;
    private final int numOptionalInputs;
    private final Map<String, ONNXAttribute> attributes;
    private final Set<String> mandatory;

    KDOnnxOperators(String opName, int numInputs, int numOptionalInputs, ONNXAttribute... attributes) {
        this.opName = opName;
        this.numInputs = numInputs;
        this.numOptionalInputs = numOptionalInputs;
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
        return 1;
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
