package io.github.tribuokd.nn;

/**
 * Regression losses averaged over every element of a {@code [batch, width]} prediction.
 * <ul>
 *     <li>{@link #MSE}: {@code L = 1/(B·D) Σ (p − t)²}, {@code dL/dp = 2 (p − t) / (B·D)}.</li>
 *     <li>{@link #MAE}: {@code L = 1/(B·D) Σ |p − t|}, {@code dL/dp = sign(p − t) / (B·D)} (0 at p = t);
 *     the students of Pol et al. (seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §2.1) are trained with MAE on the teacher's log score.</li>
 * </ul>
 */
public enum LossFunction {
    /** Mean squared error. */
    MSE,
    /** Mean absolute error. */
    MAE;

    /**
     * Computes the loss and writes its gradient with respect to the predictions.
     * @param prediction {@code [n]} predictions (n = batch · width).
     * @param target {@code [n]} targets.
     * @param gradient {@code [n]} output: dL/dprediction; may be {@code null} when only the value is needed.
     * @param n The number of elements.
     * @return The mean loss.
     */
    public double lossAndGradient(float[] prediction, float[] target, float[] gradient, int n) {
        return lossAndGradient(prediction, target, gradient, n, n) / n;
    }

    /**
     * The summed loss over {@code n} elements, with the gradient of {@code (summed loss) / normaliser}: lets a
     * minibatch be split into shards whose gradients add up to the gradient of the whole batch's mean loss.
     * @param prediction {@code [n]} predictions.
     * @param target {@code [n]} targets.
     * @param gradient {@code [n]} output: d(sum/normaliser)/dprediction; may be {@code null}.
     * @param n The number of elements.
     * @param normaliser The element count of the whole batch.
     * @return The summed (not averaged) loss.
     */
    public double lossAndGradient(float[] prediction, float[] target, float[] gradient, int n, int normaliser) {
        double sum = 0.0;
        float inv = 1f / normaliser;
        if (this == MSE) {
            for (int i = 0; i < n; i++) {
                float d = prediction[i] - target[i];
                sum += (double) d * d;
                if (gradient != null) {
                    gradient[i] = 2f * d * inv;
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                float d = prediction[i] - target[i];
                sum += Math.abs(d);
                if (gradient != null) {
                    gradient[i] = d > 0f ? inv : (d < 0f ? -inv : 0f);
                }
            }
        }
        return sum;
    }
}
