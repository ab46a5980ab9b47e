#!/usr/bin/env bash
# Builds the C side of the `marks` suite, target/native/markfloor (a process of its own) and
# target/native/libmarkfloorjni.so (MarkLifeCycle's floor, loaded into the JVM), against the system OpenCL ICD loader and the
# libcmrprobe that the library's Maven build produced (../../target/classes/...; run `mvn install` at the root
# first). Not part of the library's build; nothing built here is committed.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
probe_dir=$root/target/classes/dev/cmr/monitor/probe/linux-x86_64
if [[ ! -f $probe_dir/libcmrprobe.so ]]; then
    echo "build.sh: $probe_dir/libcmrprobe.so not found: run 'mvn -B -o -q install -DskipTests' at the root" >&2
    exit 1
fi
mkdir -p ../target/native
gcc -std=c11 -O2 -Wall -Wextra -Werror -I"$root/native/include" markfloor.c -o ../target/native/markfloor \
    -L"$probe_dir" -Wl,-rpath,"$probe_dir" -lcmrprobe -lOpenCL
# The C floor of MarkLifeCycle, loaded into the JVM: same calls, same queue and thread as the Java ways.
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
gcc -std=c11 -O2 -Wall -Wextra -Werror -fPIC -shared -I"$java_home/include" -I"$java_home/include/linux" \
    -I"$root/native/include" markfloor_jni.c -o ../target/native/libmarkfloorjni.so \
    -L"$probe_dir" -Wl,-rpath,"$probe_dir" -lcmrprobe -lOpenCL
echo "built $(cd ../target/native && pwd)/markfloor and libmarkfloorjni.so"
