#!/usr/bin/env bash
# One command for every benchmark of the tribuo-kd neural engine against its peers (libtorch 2.7.1 via DJL,
# Debian's python3-torch, OpenBLAS via dev.ludovic.netlib, ONNX Runtime Java).
#
#   benchmarks/run.sh [--only dense,lstm,sgemm,mlp,cost] [--quick]
#
# 1. installs the peers (libopenblas0, python3-torch) with apt-get if they are missing (skips on failure);
# 2. builds the library and this module (profile `bench`; never part of the default build);
# 3. runs the Java runner, which starts one child process per measurement and prints a Markdown report on stdout,
#    also written to benchmarks/target/results.md (child logs in benchmarks/target/bench-logs/).
# Takes about 3-5 minutes on the project's 2-core machine (more once our LSTM side is compiled in).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET="$ROOT/benchmarks/target"
log() { echo "[run.sh] $*" >&2; }

# ---- 1. peers -------------------------------------------------------------------------------------------------
have_openblas() { ls /usr/lib/x86_64-linux-gnu/libopenblas.so.0 >/dev/null 2>&1 || ls /usr/lib/*/libopenblas.so.0 >/dev/null 2>&1; }
have_torch() { /usr/bin/python3 -c 'import torch' >/dev/null 2>&1; }
missing=()
have_openblas || missing+=(libopenblas0)
have_torch || missing+=(python3-torch)
if [ ${#missing[@]} -gt 0 ]; then
    log "installing missing peers: ${missing[*]}"
    if command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
        mkdir -p "$TARGET"
        APTLOG="$TARGET/apt.log"
        if ! $SUDO apt-get install -y -q "${missing[@]}" >"$APTLOG" 2>&1; then
            # The package lists may be stale or absent: update once, then try again.
            $SUDO apt-get update -q >>"$APTLOG" 2>&1 || true
            $SUDO apt-get install -y -q "${missing[@]}" >>"$APTLOG" 2>&1 \
                || log "apt-get install failed (see $APTLOG); the runner will skip what is missing"
        fi
    else
        log "apt-get not available; the runner will skip what is missing"
    fi
fi
have_openblas || log "WARNING: libopenblas0 missing: the OpenBLAS rows will be skipped"
have_torch || log "WARNING: /usr/bin/python3 cannot import torch: the Debian PyTorch rows will be skipped"

# ---- 2. build -------------------------------------------------------------------------------------------------
log "building (mvn -Pbench -pl benchmarks -am package -DskipTests)"
# Maven's output goes to stderr so that stdout carries the report only.
if ! mvn -q -B -Dstyle.color=never -Pbench -pl benchmarks -am package -DskipTests 1>&2; then
    log "online build failed; retrying offline"
    mvn -q -B -o -Dstyle.color=never -Pbench -pl benchmarks -am package -DskipTests 1>&2 \
        || { log "build failed"; exit 1; }
fi

# ---- 3. run ---------------------------------------------------------------------------------------------------
# java.library.path must not contain Debian's libtorch.so (python3-torch puts libtorch 1.13 in
# /usr/lib/x86_64-linux-gnu, which is on the JVM's default path): DJL would load it instead of libtorch 2.7.1
# from the pytorch-native-cpu jar. An empty directory keeps DJL on the jar (DjlSupport checks this).
mkdir -p "$TARGET/no-system-libs"
unset PYTORCH_LIBRARY_PATH
export BENCH_COMMAND="benchmarks/run.sh${*:+ $*}"
exec java --add-modules jdk.incubator.vector \
    -Djava.library.path="$TARGET/no-system-libs" \
    -jar "$TARGET/tribuo-kd-benchmarks.jar" "$@"
