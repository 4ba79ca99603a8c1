package io.github.tribuokd.nn;

import java.util.Arrays;

/**
 * The state a {@link RecurrentLayer} carries from one time step to the next, for a batch of sequences: the hidden
 * state {@code h [batch, hidden]} and, for an LSTM, the cell state {@code c [batch, hidden]} (row-major, one row per
 * sequence of the batch).
 * <p>
 * The same class holds gradients with respect to a state ({@code dh}, {@code dc}) in
 * {@link RecurrentLayer#backward}.
 * <p>
 * Carrying state across calls, as the Long-Term Accumulator of seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md) does ("the final hidden state after
 * processing one window is used as the initial hidden state for the subsequent window", its equations (5) and (6)):
 * <pre>
 *   RecurrentState state = layer.newState(batch);          // zeros: the start of the stream
 *   for (float[] window : windows) {                        // each [steps, batch, input], time-major
 *       layer.forward(window, batch, steps, state, hOut, cache);
 *       layer.copyFinalState(cache, batch, state);          // h_T (and c_T) become the next call's h_0 (c_0)
 *   }
 * </pre>
 * Running a sequence of length 2T in one call gives bit-for-bit the outputs and final state of two calls of length
 * T with the state carried this way (tested). The shape of a state is fixed at construction; its contents are
 * mutable. Not thread-safe: one state per stream.
 */
public final class RecurrentState {

    private final int batch;
    private final int hiddenSize;
    private final float[] h;
    private final float[] c;

    /**
     * Creates a zero state.
     * @param batch The number of sequences.
     * @param hiddenSize The hidden width H.
     * @param withCell Whether to hold a cell state {@code c} too (LSTM).
     */
    public RecurrentState(int batch, int hiddenSize, boolean withCell) {
        if (batch < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("A recurrent state needs a positive batch and hidden size, found batch "
                    + batch + ", hidden " + hiddenSize);
        }
        this.batch = batch;
        this.hiddenSize = hiddenSize;
        this.h = new float[batch * hiddenSize];
        this.c = withCell ? new float[batch * hiddenSize] : null;
    }

    /**
     * Creates a state holding copies of the given arrays.
     * @param batch The number of sequences.
     * @param hiddenSize The hidden width H.
     * @param h The hidden state {@code [batch, hiddenSize]}; copied.
     * @param c The cell state {@code [batch, hiddenSize]}, or {@code null} for a state without one; copied.
     * @return The new state.
     */
    public static RecurrentState of(int batch, int hiddenSize, float[] h, float[] c) {
        RecurrentState s = new RecurrentState(batch, hiddenSize, c != null);
        int n = batch * hiddenSize;
        if (h.length != n || (c != null && c.length != n)) {
            throw new IllegalArgumentException("Expected state arrays of length batch·hidden = " + n + ", found h "
                    + h.length + (c == null ? "" : ", c " + c.length));
        }
        System.arraycopy(h, 0, s.h, 0, n);
        if (c != null) {
            System.arraycopy(c, 0, s.c, 0, n);
        }
        return s;
    }

    /**
     * The number of sequences.
     * @return The batch size.
     */
    public int batch() {
        return batch;
    }

    /**
     * The hidden width H.
     * @return The hidden size.
     */
    public int hiddenSize() {
        return hiddenSize;
    }

    /**
     * Whether this state has a cell state (LSTM).
     * @return True when {@link #c()} is not null.
     */
    public boolean hasCell() {
        return c != null;
    }

    /**
     * The live hidden state {@code h [batch, hidden]} (not a copy).
     * @return The hidden state.
     */
    public float[] h() {
        return h;
    }

    /**
     * The live cell state {@code c [batch, hidden]} (not a copy), or {@code null} when this state has none.
     * @return The cell state or null.
     */
    public float[] c() {
        return c;
    }

    /**
     * A deep copy.
     * @return A new state with the same shape and contents.
     */
    public RecurrentState copy() {
        RecurrentState s = new RecurrentState(batch, hiddenSize, c != null);
        s.copyFrom(this);
        return s;
    }

    /**
     * Overwrites this state with another of the same shape.
     * @param other The source.
     */
    public void copyFrom(RecurrentState other) {
        checkSameShape(other);
        System.arraycopy(other.h, 0, h, 0, h.length);
        if (c != null) {
            System.arraycopy(other.c, 0, c, 0, c.length);
        }
    }

    /**
     * Sets every element to zero (the start of a new stream).
     */
    public void zero() {
        Arrays.fill(h, 0f);
        if (c != null) {
            Arrays.fill(c, 0f);
        }
    }

    /**
     * Throws unless this state fits a layer and a batch.
     * @param batch The batch the layer is called with.
     * @param hidden The layer's hidden size.
     * @param withCell Whether the layer has a cell state.
     * @param what The role of this state, for the message.
     */
    void checkShape(int batch, int hidden, boolean withCell, String what) {
        if (this.batch != batch || this.hiddenSize != hidden || hasCell() != withCell) {
            throw new IllegalArgumentException(what + " has batch " + this.batch + ", hidden " + this.hiddenSize
                    + (hasCell() ? " with" : " without") + " a cell state; the call needs batch " + batch
                    + ", hidden " + hidden + (withCell ? " with" : " without") + " a cell state");
        }
    }

    private void checkSameShape(RecurrentState other) {
        other.checkShape(batch, hiddenSize, c != null, "The source state");
    }

    @Override
    public String toString() {
        return "RecurrentState(batch=" + batch + ",hidden=" + hiddenSize + (c != null ? ",with cell" : "") + ")";
    }
}
