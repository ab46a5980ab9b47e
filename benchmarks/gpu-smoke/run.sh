#!/usr/bin/env bash
# gpu-smoke: runs cmr-monitor's CUDA timeline and NVML sampler end to end on an NVIDIA GPU and prints what they read
# (see README.md). Needs the GPU's driver (libcuda.so.1, libnvidia-ml.so.1), gcc, a CUDA toolkit (headers and
# libcudart; CUDA_HOME, default /usr/local/cuda), a JDK 17 and the benchmarks jar (built as in ../README.md).
#
#   gpu-smoke/run.sh [device]      device: CUDA ordinal = NVML index (default 0)
#   gpu-smoke/run.sh --build-only  only build the JNI work library (target/gpu-smoke/libcudawork.so) and stop
#
# Exit status: 0 all checks passed, 1 a check failed, 2 this machine cannot run it (the message says why).
set -euo pipefail
cd "$(dirname "$0")"
CUDA_HOME=${CUDA_HOME:-/usr/local/cuda}
JAR=../target/benchmarks.jar
OUT=../target/gpu-smoke
LIB=$OUT/libcudawork.so

# Where the dynamic loader would find a library: its cache, then LD_LIBRARY_PATH.
findable() {
    ldconfig -p 2>/dev/null | grep -q "[[:space:]]$1 " && return 0
    local dir
    IFS=: read -r -a dirs <<< "${LD_LIBRARY_PATH:-}"
    for dir in "${dirs[@]}"; do
        [[ -n "$dir" && -e "$dir/$1" ]] && return 0
    done
    return 1
}

build() {
    local java_home
    java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    [[ -f "$java_home/include/jni.h" ]] || { echo "gpu-smoke: no jni.h under $java_home/include (need a JDK)" >&2; exit 2; }
    [[ -f "$CUDA_HOME/include/cuda_runtime_api.h" ]] || {
        echo "gpu-smoke: no CUDA toolkit headers at $CUDA_HOME/include (set CUDA_HOME)" >&2; exit 2; }
    mkdir -p "$OUT"
    gcc -std=c11 -O2 -Wall -Wextra -Werror -shared -fPIC -o "$LIB" cudawork.c \
        -I"$CUDA_HOME/include" -I"$java_home/include" -I"$java_home/include/linux" \
        -L"$CUDA_HOME/lib64" -Wl,-rpath,"$CUDA_HOME/lib64" -lcudart -ldl
    echo "built $LIB (CUDA runtime: $(ldd "$LIB" | awk '/libcudart/ { print $3 }'))"
}

if [[ "${1:-}" == "--build-only" ]]; then
    build
    exit 0
fi
device=${1:-0}

# Fail fast, before building anything, when the NVIDIA driver is not installed. (The Java side checks again with
# dlopen, which is what counts: this is only the quick answer.)
missing=()
for lib in libcuda.so.1 libnvidia-ml.so.1; do
    findable "$lib" || missing+=("$lib")
done
if (( ${#missing[@]} > 0 )); then
    echo "gpu-smoke cannot run here: no NVIDIA driver library ${missing[*]} (not in the loader cache, not on" \
         "LD_LIBRARY_PATH). It needs a machine with an NVIDIA GPU and its driver: libcuda.so.1 for the CUDA" \
         "timeline, libnvidia-ml.so.1 for NVML." >&2
    exit 2
fi
[[ -f "$JAR" ]] || { echo "gpu-smoke: $JAR missing; build it first (see ../README.md)" >&2; exit 2; }
build
# NVML numbers GPUs by PCI bus id; this makes the CUDA ordinal the same number.
export CUDA_DEVICE_ORDER=PCI_BUS_ID
exec java -cp "$JAR" dev.cmr.bench.gpusmoke.GpuSmoke "$LIB" "$device"
