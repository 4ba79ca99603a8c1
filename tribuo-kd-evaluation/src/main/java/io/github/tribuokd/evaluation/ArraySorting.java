package io.github.tribuokd.evaluation;

/**
 * Package-private sorting helpers on primitive arrays (no boxing).
 */
final class ArraySorting {

    /**
     * Length of the runs sorted by insertion sort before merging.
     */
    private static final int RUN = 32;

    /**
     * Private constructor for a static utility class.
     */
    private ArraySorting() {}

    /**
     * Returns the permutation that sorts the values in ascending order, using a stable bottom-up merge sort
     * in {@code O(n log n)} time. Values are compared with {@code <}, so {@code -0.0} and {@code 0.0} compare
     * equal; the values must not be NaN.
     * @param values The values to sort (not modified).
     * @return Indices {@code idx} such that {@code values[idx[0]] <= values[idx[1]] <= ...}.
     */
    static int[] argsort(double[] values) {
        int n = values.length;
        // Keys are sorted alongside the indices so that comparisons read contiguous memory.
        double[] keys = values.clone();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int lo = 0; lo < n; lo += RUN) {
            insertionSort(keys, idx, lo, Math.min(lo + RUN, n));
        }
        double[] keyBuffer = new double[n];
        int[] idxBuffer = new int[n];
        for (int width = RUN; width < n; width *= 2) {
            for (int lo = 0; lo < n - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = (int) Math.min((long) lo + 2L * width, n);
                merge(keys, idx, keyBuffer, idxBuffer, lo, mid, hi);
            }
        }
        return idx;
    }

    /**
     * Stable insertion sort of {@code [lo, hi)}.
     */
    private static void insertionSort(double[] keys, int[] idx, int lo, int hi) {
        for (int i = lo + 1; i < hi; i++) {
            double key = keys[i];
            int index = idx[i];
            int j = i - 1;
            while (j >= lo && key < keys[j]) {
                keys[j + 1] = keys[j];
                idx[j + 1] = idx[j];
                j--;
            }
            keys[j + 1] = key;
            idx[j + 1] = index;
        }
    }

    /**
     * Stably merges the sorted runs {@code [lo, mid)} and {@code [mid, hi)}.
     */
    private static void merge(double[] keys, int[] idx, double[] keyBuffer, int[] idxBuffer, int lo, int mid, int hi) {
        if (keys[mid - 1] <= keys[mid]) {
            return; // already in order
        }
        System.arraycopy(keys, lo, keyBuffer, lo, hi - lo);
        System.arraycopy(idx, lo, idxBuffer, lo, hi - lo);
        int a = lo;
        int b = mid;
        for (int k = lo; k < hi; k++) {
            if (a >= mid || (b < hi && keyBuffer[b] < keyBuffer[a])) {
                keys[k] = keyBuffer[b];
                idx[k] = idxBuffer[b++];
            } else {
                keys[k] = keyBuffer[a];
                idx[k] = idxBuffer[a++];
            }
        }
    }
}
