#!/usr/bin/env bash
# Called by Maven (exec-maven-plugin, see pom.xml) to build and test libcmrprobe with CMake:
#   maven-native.sh build <source-dir> <build-dir> <library-output-dir>   configure + build (generate-resources)
#   maven-native.sh test <build-dir>                                     ctest (test phase)
# Fails with a message naming the Debian package when cmake or a C compiler is missing.
set -euo pipefail

need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "ERROR: '$1' not found on PATH: libcmrprobe is built from source by CMake during the Maven build." >&2
    echo "       Install it, e.g. on Debian/Ubuntu: apt-get install -y $2" >&2
    exit 1
  fi
}

case "${1:-}" in
  build)
    need cmake cmake
    need gcc gcc
    need g++ g++   # JavaCPP compiles the JNI glue with it right after this step
    src="$2"; build="$3"; out="$4"
    cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMRP_LIBRARY_OUTPUT_DIRECTORY="$out"
    cmake --build "$build" --parallel 2
    ;;
  test)
    need ctest cmake
    cd "$2"
    ctest --output-on-failure
    ;;
  *)
    echo "usage: $0 build <source-dir> <build-dir> <library-output-dir> | test <build-dir>" >&2
    exit 2
    ;;
esac
