#!/usr/bin/env python3
"""Debian PyTorch (python3-torch) side of the tribuo-kd benchmarks.

Called by the Java runner (benchmarks/src/main/java/.../BenchMain.java) as
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench_torch.py {info|dense|lstm} [options]
on the very same data (raw little-endian float32 files written by the runner). Prints one line
"@@RESULT {json}". Same models, batch sizes, optimiser and step counts as the Java sides.
"""
import argparse
import json
import os
import platform
import resource
import sys
import time


def emit(d):
    print("@@RESULT " + json.dumps(d))
    sys.stdout.flush()


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)  # all threads of this process
    return r.ru_utime + r.ru_stime


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])


def timed(warmup_fn, rep_fn, reps):
    warmup_fn()
    secs, cpus = [], []
    for _ in range(reps):
        c0, t0 = cpu_seconds(), time.perf_counter()
        rep_fn()
        t1, c1 = time.perf_counter(), cpu_seconds()
        secs.append(t1 - t0)
        cpus.append((c1 - c0) / (t1 - t0))
    return median(secs), median(cpus), secs


def debian_package():
    try:
        import subprocess
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-torch"], capture_output=True,
                              text=True, timeout=10).stdout.strip() or "?"
    except Exception:
        return "?"


def base_info(torch):
    import numpy
    return {
        "debian_package": debian_package(),
        "torch_version": torch.__version__,
        "python_version": platform.python_version(),
        "numpy_version": numpy.__version__,
        "torch_threads": torch.get_num_threads(),
        "torch_interop_threads": torch.get_num_interop_threads(),
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
        "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS"),
    }


def dense(args, torch):
    import numpy as np
    from torch import nn
    n, d = args.n, 38
    x = torch.from_numpy(np.fromfile(args.data, dtype="<f4").reshape(n, d).copy())
    torch.manual_seed(7)
    model = nn.Sequential(nn.Linear(38, 64), nn.Tanh(), nn.Linear(64, 16), nn.Tanh(),
                          nn.Linear(16, 64), nn.Tanh(), nn.Linear(64, 38))
    for m in model:
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    gen = torch.Generator().manual_seed(11)
    b = args.batch
    last = [float("nan")]

    def train(epochs):
        for _ in range(epochs):
            perm = torch.randperm(n, generator=gen)
            total = 0.0
            for i in range(0, n, b):
                xb = x[perm[i:i + b]]
                opt.zero_grad(set_to_none=True)
                loss = ((model(xb) - xb) ** 2).mean()
                loss.backward()
                opt.step()
                total += loss.item() * xb.shape[0]
            last[0] = total / n

    med, cpu, secs = timed(lambda: train(2 * args.epochs), lambda: train(args.epochs), args.reps)
    r = base_info(torch)
    r.update({
        "params": sum(p.numel() for p in model.parameters()),
        "samples_per_s": n * args.epochs / med,
        "cpu_per_wall": cpu,
        "final_loss": last[0],
        "seconds": secs,
    })
    emit(r)


def lstm(args, torch):
    import numpy as np
    from torch import nn
    n, t, f, b, h = args.windows, args.window, args.features, args.batch, args.hidden
    x = torch.from_numpy(np.fromfile(args.data, dtype="<f4").reshape(n, t, f).copy())
    target = torch.flip(x, dims=[1]).contiguous()
    dec_in = torch.cat([torch.zeros(n, 1, f), target[:, :-1, :]], dim=1).contiguous()

    class LstmAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = nn.LSTM(f, h, num_layers=1, batch_first=True)
            self.decoder = nn.LSTM(f, h, num_layers=1, batch_first=True)
            self.output = nn.Linear(h, f)

        def forward(self, xb, db):
            _, state = self.encoder(xb)
            y, _ = self.decoder(db, state)
            return self.output(y)

    torch.manual_seed(17)
    model = LstmAE()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    pos = [0]

    def next_batch():
        if pos[0] + b > n:
            pos[0] = 0
        i = pos[0]
        pos[0] += b
        return x[i:i + b], dec_in[i:i + b], target[i:i + b]

    losses = []

    def train(count):
        model.train()
        for _ in range(count):
            xb, db, tb = next_batch()
            opt.zero_grad(set_to_none=True)
            loss = ((model(xb, db) - tb) ** 2).mean()
            loss.backward()
            opt.step()
            losses.append(loss.item())

    def infer(count):
        model.eval()
        with torch.no_grad():
            for _ in range(count):
                xb, db, tb = next_batch()
                losses.append(((model(xb, db) - tb) ** 2).mean().item())

    infer(1)
    loss_before = losses[-1]
    tmed, tcpu, _ = timed(lambda: train(args.train_warmup), lambda: train(args.train_batches), args.train_reps)
    train(1)
    loss_after = losses[-1]
    imed, icpu, _ = timed(lambda: infer(args.infer_warmup), lambda: infer(args.infer_batches), args.infer_reps)
    r = base_info(torch)
    r.update({
        "hidden": h,
        "params": sum(p.numel() for p in model.parameters()),
        "train_windows_per_s": b * args.train_batches / tmed,
        "train_cpu_per_wall": tcpu,
        "infer_windows_per_s": b * args.infer_batches / imed,
        "infer_cpu_per_wall": icpu,
        "loss_before": loss_before,
        "loss_after": loss_after,
        "train_batches_timed": args.train_reps * args.train_batches,
        "infer_batches_timed": args.infer_reps * args.infer_batches,
    })
    emit(r)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("task", choices=["info", "dense", "lstm"])
    p.add_argument("--data")
    p.add_argument("--n", type=int, default=50000)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--windows", type=int)
    p.add_argument("--window", type=int, default=100)
    p.add_argument("--features", type=int, default=38)
    p.add_argument("--hidden", type=int, default=64)
    for k, v in [("train-warmup", 2), ("train-reps", 5), ("train-batches", 2),
                 ("infer-warmup", 2), ("infer-reps", 5), ("infer-batches", 4)]:
        p.add_argument("--" + k, type=int, default=v)
    args = p.parse_args()
    try:
        import torch
    except Exception as e:  # torch missing: the runner skips this side with a note
        emit({"error": "cannot import torch: %s" % e})
        return 1
    if args.task == "info":
        emit(base_info(torch))
    elif args.task == "dense":
        dense(args, torch)
    else:
        lstm(args, torch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
