package io.github.tribuokd.nn.kernels;

/**
 * A kernel of {@link OneHiddenLayerScorer}: scores samples with the scorer's packed weights in the operation
 * order its class comment fixes.
 */
interface OneHiddenLayerKernel {

    /**
     * Output 0 of one sample.
     * @param x The buffer.
     * @param offset The sample's first feature.
     * @return The prediction.
     */
    float scoreOne(float[] x, int offset);

    /**
     * Output 0 of {@code n} consecutive samples, on the calling thread.
     * @param x The buffer.
     * @param offset The first feature of the first sample.
     * @param n The number of samples.
     * @param out Receives the predictions.
     * @param outOffset Where the first goes.
     */
    void scoreRows(float[] x, int offset, int n, double[] out, int outOffset);

    /**
     * A short name.
     * @return The name.
     */
    String name();
}
