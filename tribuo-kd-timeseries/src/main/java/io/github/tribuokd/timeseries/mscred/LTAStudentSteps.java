package io.github.tribuokd.timeseries.mscred;

import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.EpochLoop;
import io.github.tribuokd.nn.Optimiser;
import io.github.tribuokd.nn.RecurrentLayer;
import io.github.tribuokd.nn.RecurrentState;
import io.github.tribuokd.nn.kernels.Lanes;
import io.github.tribuokd.timeseries.SignatureMatrices;
import io.github.tribuokd.timeseries.SignatureMatrixSequence;

import java.util.Arrays;

/**
 * One training step of the LTA student ({@link LTADistillationTrainer}, eq. 8) on {@code batchSize} consecutive
 * training inputs, for the engine's {@link EpochLoop} in time order (no shuffle):
 * <ol>
 *     <li>the accumulator reads the points up to the step's last input, its state carried from the previous step,
 *     and produces β at every matrix time it passed;</li>
 *     <li>the inputs {@code S = M + β}; the student's forward, loss gradients and backward in two halves of the
 *     batch (the second on a worker thread), whose gradients are added first half first;</li>
 *     <li>back into the accumulator through β of the matrix times read in this step (those read in earlier steps are
 *     constants), and both optimisers' steps.</li>
 * </ol>
 * Every epoch starts the accumulator from a zero state at the series' first point.
 */
final class LTAStudentSteps implements EpochLoop.Batches {

    private final MSCREDNetwork student;
    private final LongTermAccumulator lta;
    private final SignatureMatrixSequence seq;
    private final int[] fit;
    private final float[] m;
    private final float[] values;
    private final float[] teacherMaps;
    private final int mapSize;
    private final double lambda;
    private final Lanes lanes;
    private final int n;
    private final int nn;
    private final int c;
    private final int steps;
    private final int stackSize;
    private final int inputSize;
    private final int half;
    private final Optimiser studentOpt;
    private final Optimiser ltaOpt;
    private final MSCREDNetwork.Workspace[] ws;
    private final float[][] grads;
    private final float[] in;
    private final float[] dRecon;
    private final float[] dAtt;
    private final float[] dIn;
    private final float[] betas;
    private final float[] blocks;
    private final float[] dBeta;
    private final RecurrentLayer.Cache cache;
    private final float[] h;
    private final float[] dH;
    private final float[] ltaGrads;
    private final float[] scratch;
    private final double[] parts = new double[2];
    private RecurrentState state;
    private int nextPoint;
    private int nextStack;

    /**
     * Creates the steps.
     * @param student The student, initialised.
     * @param lta The accumulator, initialised, or null.
     * @param data The training inputs.
     * @param sig The student's signature matrices.
     * @param teacherMaps The teacher's level-2 maps of the training inputs, or null without distillation.
     * @param mapSize The size of one map.
     * @param lambda λ of eq. 8.
     * @param learningRate Adam's learning rate of both networks.
     * @param batchSize Consecutive inputs per step.
     * @param lanes The threads.
     */
    LTAStudentSteps(MSCREDNetwork student, LongTermAccumulator lta, MSCREDData data, SignatureMatrices sig,
                    float[] teacherMaps, int mapSize, double lambda, double learningRate, int batchSize,
                    Lanes lanes) {
        this.student = student;
        this.lta = lta;
        this.seq = data.sequence;
        this.fit = data.fitInputs;
        this.m = seq.valuesView();
        this.values = data.series.valuesView();
        this.teacherMaps = teacherMaps;
        this.mapSize = mapSize;
        this.lambda = lambda;
        this.lanes = lanes;
        n = seq.numVariables();
        nn = n * n;
        c = sig.numScales();
        steps = sig.steps();
        stackSize = seq.stackSize();
        inputSize = steps * stackSize;
        studentOpt = new AdamOptimiser(learningRate);
        studentOpt.initialise(student.numParameters());
        ltaOpt = lta == null ? null : new AdamOptimiser(learningRate);
        if (ltaOpt != null) {
            ltaOpt.initialise(lta.numParameters());
        }
        half = (batchSize + 1) / 2;
        ws = new MSCREDNetwork.Workspace[]{student.newWorkspace(half), student.newWorkspace(half)};
        grads = new float[][]{new float[student.numParameters()], new float[student.numParameters()]};
        in = new float[batchSize * inputSize];
        dRecon = new float[batchSize * stackSize];
        dAtt = teacherMaps == null ? null : new float[batchSize * mapSize];
        dIn = lta == null ? null : new float[batchSize * inputSize];
        betas = lta == null ? null : new float[seq.count() * nn];
        blocks = lta == null ? null : new float[seq.count() * n * lta.summaryLength()];
        dBeta = lta == null ? null : new float[seq.count() * nn];
        // The longest chunk of points one step reads.
        int maxPoints = 1;
        for (int first = 0; first < fit.length; first += batchSize) {
            int last = Math.min(fit.length, first + batchSize) - 1;
            int prevEnd = first == 0 ? -1 : seq.inputTime(fit[first - 1]);
            maxPoints = Math.max(maxPoints, seq.inputTime(fit[last]) - prevEnd);
        }
        cache = lta == null ? null : lta.newCache(maxPoints);
        h = lta == null ? null : new float[maxPoints * lta.hidden()];
        dH = lta == null ? null : new float[maxPoints * lta.hidden()];
        ltaGrads = lta == null ? null : new float[lta.numParameters()];
        scratch = lta == null ? null : new float[n * lta.summaryLength()];
    }

    @Override
    public void startEpoch(int epoch) {
        state = lta == null ? null : lta.newState();
        nextPoint = 0;
        nextStack = 0;
    }

    @Override
    public void step(int[] order, int first, int b, EpochLoop.Loss loss) {
        int lastTime = seq.inputTime(fit[order[first + b - 1]]);
        int chunkStart = nextPoint;
        int liveFrom = nextStack;
        // 1. The accumulator reads the points up to this step's last input; β at the matrix times passed.
        if (lta != null) {
            int count = lastTime + 1 - chunkStart;
            lta.forward(Arrays.copyOfRange(values, chunkStart * n, (lastTime + 1) * n), count, state, h, cache);
            while (nextStack < seq.count() && seq.time(nextStack) <= lastTime) {
                int k = nextStack++;
                lta.summary(h, (seq.time(k) - chunkStart) * lta.hidden(), blocks, k * n * lta.summaryLength(),
                        betas, k * nn);
            }
            nextPoint = lastTime + 1;
        }
        // 2. Inputs S = M + β and the loss gradients, in two halves.
        for (int r = 0; r < b; r++) {
            int i = fit[order[first + r]];
            System.arraycopy(m, i * stackSize, in, r * inputSize, inputSize);
            if (lta != null) {
                for (int j = 0; j < steps; j++) {
                    int k = i + j;
                    for (int s = 0; s < c; s++) {
                        int o = r * inputSize + (j * c + s) * nn;
                        for (int e = 0; e < nn; e++) {
                            in[o + e] += betas[k * nn + e];
                        }
                    }
                }
            }
        }
        int b0 = Math.min(half, b);
        parts[1] = 0;
        lanes.run(b > b0 ? 2 : 1, p -> p == 0 ? studentPart(ws[0], grads[0], 0, b0, first, b)
                : studentPart(ws[1], grads[1], b0, b - b0, first, b), parts);
        if (b > b0) {
            for (int p = 0; p < grads[0].length; p++) {
                grads[0][p] += grads[1][p];
            }
        }
        loss.add(parts[0] + parts[1]);
        studentOpt.step(student.parameters(), grads[0]);
        // 3. Back into the accumulator through β of the matrix times read in this step.
        if (lta != null) {
            accumulatorStep(order, first, b, lastTime, chunkStart, liveFrom);
        }
    }

    private void accumulatorStep(int[] order, int first, int b, int lastTime, int chunkStart, int liveFrom) {
        Arrays.fill(dBeta, liveFrom * nn, nextStack * nn, 0f);
        for (int r = 0; r < b; r++) {
            int i = fit[order[first + r]];
            for (int j = 0; j < steps; j++) {
                int k = i + j;
                if (k < liveFrom || k >= nextStack) {
                    continue; // read in an earlier step: a constant here
                }
                for (int s = 0; s < c; s++) {
                    int o = r * inputSize + (j * c + s) * nn;
                    for (int e = 0; e < nn; e++) {
                        dBeta[k * nn + e] += dIn[o + e];
                    }
                }
            }
        }
        int points = lastTime + 1 - chunkStart;
        Arrays.fill(dH, 0, points * lta.hidden(), 0f);
        Arrays.fill(ltaGrads, 0f);
        for (int k = liveFrom; k < nextStack; k++) {
            lta.summaryBackward(h, (seq.time(k) - chunkStart) * lta.hidden(), blocks, k * n * lta.summaryLength(),
                    dBeta, k * nn, dH, (seq.time(k) - chunkStart) * lta.hidden(), ltaGrads, scratch);
        }
        lta.backward(dH, points, cache, ltaGrads);
        ltaOpt.step(lta.parameters(), ltaGrads);
    }

    /**
     * Rows {@code [r0, r0 + rows)} of the step: forward, eq. 8's gradients, backward into {@code g}
     * (overwritten) and, with an accumulator, the input gradient into {@code dIn}.
     * @return The summed loss of these rows.
     */
    private double studentPart(MSCREDNetwork.Workspace w, float[] g, int r0, int rows, int first, int batch) {
        Arrays.fill(g, 0f);
        float[] recon = student.forward(in, r0 * inputSize, rows, w);
        int last = (student.steps() - 1) * stackSize;
        double loss = 0;
        float scale = (float) (2 * (1 - lambda) / ((double) batch * stackSize));
        for (int r = 0; r < rows; r++) {
            int row = r0 + r;
            double l = 0;
            for (int j = 0; j < stackSize; j++) {
                float d = recon[r * stackSize + j] - in[row * inputSize + last + j];
                l += (double) d * d;
                dRecon[row * stackSize + j] = scale * d;
            }
            loss += (1 - lambda) * l / stackSize;
        }
        float[] dA = null;
        if (teacherMaps != null) {
            float[] att = student.attentionOutput(w, MSCREDNetwork.DISTILLED_LEVEL);
            Arrays.fill(dAtt, r0 * mapSize, (r0 + rows) * mapSize, 0f);
            for (int r = 0; r < rows; r++) {
                loss += lambda * NormalisedMSE.lossAndGradient(att, r * mapSize, teacherMaps,
                        (first + r0 + r) * mapSize, mapSize, dAtt, (r0 + r) * mapSize, lambda / batch);
            }
            dA = Arrays.copyOfRange(dAtt, r0 * mapSize, (r0 + rows) * mapSize);
        }
        float[] dReconRows = Arrays.copyOfRange(dRecon, r0 * stackSize, (r0 + rows) * stackSize);
        float[] dInRows = dIn == null ? null : new float[rows * inputSize];
        student.backward(dReconRows, dA, rows, w, g, dInRows);
        if (dIn != null) {
            System.arraycopy(dInRows, 0, dIn, r0 * inputSize, rows * inputSize);
        }
        return loss;
    }
}
