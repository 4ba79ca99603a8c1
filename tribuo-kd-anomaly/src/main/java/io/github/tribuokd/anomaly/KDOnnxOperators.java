package io.github.tribuokd.anomaly;

import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * ONNX operators (default domain, Tribuo's opset) that Tribuo 4.3.2's {@link ONNXOperators} enum lacks.
 */
public enum KDOnnxOperators implements ONNXOperator {
    /** Rectified linear unit, {@code max(0, x)} element-wise. */
    RELU("Relu"),
    /** Hyperbolic tangent element-wise. */
    TANH("Tanh"),
    /** Natural exponential element-wise. */
    EXP("Exp"),
    /** Natural logarithm element-wise. */
    LOG("Log");

    private final String opName;

    KDOnnxOperators(String opName) {
        this.opName = opName;
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return 1;
    }

    @Override
    public int getNumOptionalInputs() {
        return 0;
    }

    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return Collections.emptyMap();
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return Collections.emptySet();
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
