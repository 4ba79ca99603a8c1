package io.github.tribuokd.nn.kernels;

/**
 * The engine's exp, tanh and sigmoid in float32, written with exactly rounded operations only (+, ×, ÷, fused
 * multiply-add, integer shifts), so that the SIMD version in {@code VectorMatrixKernels} and this scalar version
 * give the same bits, in every JIT tier and on every lane. (The JDK's own {@code Math.tanh} is slow, and the
 * Vector API's lanewise TANH/EXP differ in the last bit between interpreted and compiled code.)
 * <p>
 * {@code exp(x)}: x clamped to [−87, 88]; {@code n = round(x·log2 e)} by the 1.5·2²³ trick; Cody–Waite
 * reduction {@code r = x − n·ln2} in two parts; {@code e^r} by the degree-6 Taylor polynomial in Horner form
 * (relative error below 2e-7 on |r| ≤ ln2/2); times {@code 2^n} built from its exponent bits.
 * {@code tanh(x) = 1 − 2/(e^{2x} + 1)}, {@code sigmoid(x) = 1/(1 + e^{−x})}.
 */
public final class FastMath {

    static final float MIN_X = -87f;
    static final float MAX_X = 88f;
    static final float LOG2E = 1.44269504088896341f;
    static final float MAGIC = 12582912f; // 1.5·2^23: adding it rounds to an integer
    static final float LN2_HI = 0.693145751953125f;
    static final float LN2_LO = 1.42860682030941723212e-6f;
    static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720;

    private FastMath() { }

    /**
     * e^x (see the class comment).
     * @param x The argument.
     * @return e^x in float32, within about 2e-7 relative.
     */
    public static float exp(float x) {
        x = Math.min(Math.max(x, MIN_X), MAX_X);
        float n = (x * LOG2E + MAGIC) - MAGIC;
        float r = Math.fma(-n, LN2_HI, x);
        r = Math.fma(-n, LN2_LO, r);
        float p = Math.fma(C6, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        return p * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    /**
     * tanh(x) = 1 − 2/(e^{2x} + 1).
     * @param x The argument.
     * @return tanh(x).
     */
    public static float tanh(float x) {
        return 1f - 2f / (exp(2f * x) + 1f);
    }

    /**
     * The logistic sigmoid 1/(1 + e^{−x}).
     * @param x The argument.
     * @return σ(x).
     */
    public static float sigmoid(float x) {
        return 1f / (1f + exp(-x));
    }
}
