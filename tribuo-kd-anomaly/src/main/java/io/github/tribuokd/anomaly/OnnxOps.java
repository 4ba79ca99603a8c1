package io.github.tribuokd.anomaly;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A thin helper over Tribuo's {@link ONNXContext} for graphs written node by node (the MSCRED export of seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md)):
 * the shape operators ({@code Reshape}, {@code Slice}, {@code Transpose}, {@code Unsqueeze}, {@code Concat}) with
 * their int64 operands made and shared once per graph, scalars and weight tensors cut from an engine's flat
 * parameter buffer, and the element-wise and matrix operators by name. Every method adds nodes (or initializers)
 * to the one context; the returned references are the nodes' outputs. Not thread-safe (neither is the context).
 */
public final class OnnxOps {

    private final ONNXContext ctx;
    private final String prefix;
    private final Map<String, ONNXInitializer> shared = new HashMap<>();

    /**
     * Writes into a context.
     * @param ctx The context.
     * @param prefix The prefix of every initializer name this helper makes.
     */
    public OnnxOps(ONNXContext ctx, String prefix) {
        this.ctx = ctx;
        this.prefix = prefix;
    }

    /**
     * The context written into.
     * @return The context.
     */
    public ONNXContext context() {
        return ctx;
    }

    /**
     * A 1-D int64 constant (shared: the same values give the same initializer).
     * @param values The values.
     * @return The initializer.
     */
    public ONNXInitializer longs(long... values) {
        return shared.computeIfAbsent("i64" + Arrays.toString(values),
                k -> ctx.array(prefix + "_i64", values.clone()));
    }

    /**
     * A float32 constant of shape [1] (shared), which broadcasts against any float tensor.
     * @param value The value.
     * @return The initializer.
     */
    public ONNXInitializer floatScalar(float value) {
        return shared.computeIfAbsent("f32:" + Float.floatToIntBits(value),
                k -> ctx.array(prefix + "_f32", new float[]{value}));
    }

    /**
     * A float64 constant of shape [1] (shared).
     * @param value The value.
     * @return The initializer.
     */
    public ONNXInitializer doubleScalar(double value) {
        return shared.computeIfAbsent("f64:" + Double.doubleToLongBits(value),
                k -> ctx.array(prefix + "_f64", new double[]{value}, false));
    }

    /**
     * A float32 tensor copied from a flat buffer.
     * @param name The initializer's name (made unique by the context).
     * @param shape The dimensions.
     * @param source The buffer.
     * @param offset The first value.
     * @return The initializer.
     */
    public ONNXInitializer floats(String name, int[] shape, float[] source, int offset) {
        int size = 1;
        List<Integer> dims = new ArrayList<>(shape.length);
        for (int d : shape) {
            size = Math.multiplyExact(size, d);
            dims.add(d);
        }
        final int length = size;
        if (offset < 0 || offset + length > source.length) {
            throw new IllegalArgumentException("A tensor " + Arrays.toString(shape) + " at offset " + offset
                    + " does not fit a buffer of " + source.length + " values");
        }
        return ctx.floatTensor(name, dims, fb -> fb.put(source, offset, length));
    }

    /**
     * {@code Reshape} (a −1 entry infers that axis, e.g. the batch).
     * @param x The tensor.
     * @param shape The new shape.
     * @return The reshaped tensor.
     */
    public ONNXRef<?> reshape(ONNXRef<?> x, long... shape) {
        return x.apply(KDOnnxOperators.RESHAPE, longs(shape));
    }

    /**
     * {@code Slice} of one axis: entries {@code [from, to)}.
     * @param x The tensor.
     * @param axis The axis.
     * @param from The first index.
     * @param to One past the last index.
     * @return The slice.
     */
    public ONNXRef<?> slice(ONNXRef<?> x, int axis, long from, long to) {
        return x.apply(KDOnnxOperators.SLICE, Arrays.<ONNXRef<?>>asList(longs(from), longs(to), longs(axis)));
    }

    /**
     * {@code Transpose}.
     * @param x The tensor.
     * @param perm The permutation of the axes.
     * @return The transposed tensor.
     */
    public ONNXRef<?> transpose(ONNXRef<?> x, int... perm) {
        return x.apply(KDOnnxOperators.TRANSPOSE, Collections.singletonMap("perm", perm.clone()));
    }

    /**
     * {@code Unsqueeze}: inserts axes of size 1.
     * @param x The tensor.
     * @param axes The new axes (in the output's numbering).
     * @return The tensor with the extra axes.
     */
    public ONNXRef<?> unsqueeze(ONNXRef<?> x, long... axes) {
        return x.apply(ONNXOperators.UNSQUEEZE, longs(axes));
    }

    /**
     * {@code Concat} along an axis.
     * @param axis The axis.
     * @param parts The tensors, in order (at least one).
     * @return The concatenation.
     */
    public ONNXRef<?> concat(int axis, List<? extends ONNXRef<?>> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return ctx.operation(ONNXOperators.CONCAT, new ArrayList<>(parts), prefix + "_concat",
                Collections.singletonMap("axis", axis));
    }

    /**
     * {@code Cast}.
     * @param x The tensor.
     * @param to The element type.
     * @return The cast tensor.
     */
    public ONNXRef<?> cast(ONNXRef<?> x, DataType to) {
        return x.apply(ONNXOperators.CAST, Collections.singletonMap("to", to.getNumber()));
    }

    /**
     * {@code MatMul} (numpy semantics).
     * @param a The left operand.
     * @param b The right operand.
     * @return {@code a·b}.
     */
    public ONNXRef<?> matMul(ONNXRef<?> a, ONNXRef<?> b) {
        return a.apply(KDOnnxOperators.MAT_MUL, b);
    }

    /**
     * {@code Gemm} of a 2-D input with a weight and a bias: {@code x·W + b}.
     * @param x {@code [batch, in]}.
     * @param w {@code [in, out]}.
     * @param b {@code [out]}.
     * @return {@code [batch, out]}.
     */
    public ONNXRef<?> gemm(ONNXRef<?> x, ONNXRef<?> w, ONNXRef<?> b) {
        return x.apply(ONNXOperators.GEMM, Arrays.<ONNXRef<?>>asList(w, b));
    }

    /**
     * {@code Add} (broadcasting).
     * @param a The left operand.
     * @param b The right operand.
     * @return {@code a + b}.
     */
    public ONNXRef<?> add(ONNXRef<?> a, ONNXRef<?> b) {
        return a.apply(ONNXOperators.ADD, b);
    }

    /**
     * {@code Sub} (broadcasting).
     * @param a The left operand.
     * @param b The right operand.
     * @return {@code a − b}.
     */
    public ONNXRef<?> sub(ONNXRef<?> a, ONNXRef<?> b) {
        return a.apply(ONNXOperators.SUB, b);
    }

    /**
     * {@code Mul} (broadcasting).
     * @param a The left operand.
     * @param b The right operand.
     * @return {@code a ⊙ b}.
     */
    public ONNXRef<?> mul(ONNXRef<?> a, ONNXRef<?> b) {
        return a.apply(ONNXOperators.MUL, b);
    }

    /**
     * {@code Div} (broadcasting).
     * @param a The left operand.
     * @param b The right operand.
     * @return {@code a / b}.
     */
    public ONNXRef<?> div(ONNXRef<?> a, ONNXRef<?> b) {
        return a.apply(ONNXOperators.DIV, b);
    }

    /**
     * {@code Sigmoid}.
     * @param x The tensor.
     * @return σ(x).
     */
    public ONNXRef<?> sigmoid(ONNXRef<?> x) {
        return x.apply(ONNXOperators.SIGMOID);
    }

    /**
     * {@code Tanh}.
     * @param x The tensor.
     * @return tanh(x).
     */
    public ONNXRef<?> tanh(ONNXRef<?> x) {
        return x.apply(KDOnnxOperators.TANH);
    }

    /**
     * {@code Relu}.
     * @param x The tensor.
     * @return max(x, 0).
     */
    public ONNXRef<?> relu(ONNXRef<?> x) {
        return x.apply(KDOnnxOperators.RELU);
    }

    /**
     * {@code Where}: {@code a} where the condition holds, else {@code b} (broadcasting).
     * @param condition A bool tensor.
     * @param a Taken where true.
     * @param b Taken where false.
     * @return The selection.
     */
    public ONNXRef<?> where(ONNXRef<?> condition, ONNXRef<?> a, ONNXRef<?> b) {
        return condition.apply(ONNXOperators.WHERE, Arrays.<ONNXRef<?>>asList(a, b));
    }

    /**
     * {@code Softmax} along one axis.
     * @param x The tensor.
     * @param axis The axis.
     * @return The softmax.
     */
    public ONNXRef<?> softmax(ONNXRef<?> x, int axis) {
        return x.apply(ONNXOperators.SOFTMAX, Collections.singletonMap("axis", axis));
    }

    /**
     * {@code ReduceSum} over one axis, kept with size 1.
     * @param x The tensor.
     * @param axis The axis.
     * @return The sums.
     */
    public ONNXRef<?> reduceSum(ONNXRef<?> x, int axis) {
        return x.apply(ONNXOperators.REDUCE_SUM, longs(axis), Collections.singletonMap("keepdims", 1));
    }
}
