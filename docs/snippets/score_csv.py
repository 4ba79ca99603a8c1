"""Score a CSV with a model exported by `tribuo-kd export`, with ONNX Runtime only (no Java).

Usage: python3 score_csv.py model.onnx data.csv > scores.csv
Needs: pip install onnxruntime numpy. Plain CSV with a header row holding (at least) the model's columns.
"""
import csv
import sys

import numpy as np
import onnxruntime as ort


def score_csv(model_path, csv_path):
    session = ort.InferenceSession(model_path)
    meta = session.get_modelmeta().custom_metadata_map
    window = int(meta["tribuo-kd.window-length"])
    variables = meta["tribuo-kd.variables"].split(",")

    with open(csv_path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        columns = [header.index(v) for v in variables]
        values = np.array([[float(row[c]) for c in columns] for row in reader], dtype=np.float32)

    # The window ending at row t holds rows t-L+1 .. t, flattened time-major (step 0's variables first).
    n = values.shape[0]
    windows = np.stack([values[t - window + 1:t + 1].reshape(-1) for t in range(window - 1, n)])
    score, anomalous = session.run(["score", "anomalous"], {"input": windows})
    # Row t takes the window ending at it; the first L - 1 rows take the first window's result.
    first = np.maximum(np.arange(n) - window + 1, 0)
    return score[first, 0], anomalous[first, 0]


if __name__ == "__main__":
    scores, decisions = score_csv(sys.argv[1], sys.argv[2])
    print("row,score,anomalous")
    for t, (s, a) in enumerate(zip(scores, decisions)):
        print(f"{t},{float(s)!r},{int(a)}")
