#!/usr/bin/env bash
# Runs one JMH invocation (or the retained-memory harness) on this 2-core machine and records, next to the
# results, how much CPU *other* processes used meanwhile, since any such load skews the numbers.
#
#   ./run.sh record       RecordBenchmark, 18 benchmarks x 3 forks, -prof gc   (about 8 minutes)
#   ./run.sh stats        StatsBenchmark, 6 benchmarks, -prof gc                (about 1.5 minutes)
#   ./run.sh memory       RetainedMemory harness                                (about 5 seconds)
#   ./run.sh forward      ForwardBenchmark: sgemm, forward pass, monitor attached vs detached (about 4 minutes)
#   ./run.sh backends     BackendForwardBenchmark: forward pass on the CPU vs the OpenCL backend (about 1 minute)
#   ./run.sh overhead     MonitorOverhead: CMR forward pass attached vs detached, alternating  (about 1 minute)
#   ./run.sh marksonoff   MarksOnOff: CMR forward pass on the OpenCL backend, device marks on vs off,
#                         alternating in blocks, then per pass (about 5.5 minutes on a quiet machine)
#   ./run.sh marks        OpenCL device mark cost, three ways: C floor (native/markfloor.c), MarkSideBySide,
#                         MarkBenchmark (4 x 3 forks, -prof gc), MarkAllocation, C floor again  (about 3 minutes)
#   ./run.sh marklife     MarkLifeCycle: a mark's whole host-side cost (enqueue to timestamps in hand), C floor vs
#                         libcmrprobe (from Java and from C) vs preset, interleaved in one JVM (about 15 seconds)
#   ./run.sh spans        SpanBenchmark: a profiled layer span beside a plain record, 8 benchmarks x 2 forks,
#                         -prof gc, then SpanBufferFootprint (one thread's span buffer)  (about 2 minutes)
#   ./run.sh profiling-cpu     ProfilingOverhead: CMR forward pass on the CPU backend, profiling on vs off,
#                              alternating in blocks, 60 rounds of 4 x 32 passes (about 2 minutes on a quiet machine)
#   ./run.sh profiling-opencl  the same on the OpenCL backend, with per-kernel marks in the on blocks,
#                              40 rounds of 4 x 8 passes (about 2 minutes on a quiet machine)
#   ./run.sh recordpath   RecordBenchmark.cmrMonitor/cmrHandle and LayerRecordBenchmark from each target/libs/lib-*.jar
#                         (the same benchmarks built against other library versions), alternately, 2 rounds (~9 min)
#   ./run.sh compare      CompareOnReferenceModel: compare on the reference model, the same code twice, then one
#                         layer 20% slower (about 1 minute)
#   ./run.sh metricsload  MetricsUnderLoad: wrk -t2 -c16 --latency on /metrics and /health of `serve --device cpu`
#                         while it generates; serve on CPU 1, this JVM, wrk and the load clients on CPU 0 (~2 min)
#   ./run.sh metricsload-shared  the same with nothing pinned: all share both cores (~2 min)
#   ./run.sh scrapeonoff  ScrapeOnOff: serve's generation tokens/s with Prometheus scraping every second and the
#                         /api/events feed open vs neither, alternating blocks; serve on CPU 1, Prometheus and the
#                         clients on CPU 0 (8 rounds of 4 x 10 s, about 6.5 minutes)
#   ./run.sh soak [MIN [HISTORY|- [WARMUP_S]]]
#                         Soak: `serve --device cpu` (with NMT) for MIN minutes (default 10) under generation load,
#                         /metrics scraped every second plus a 3 s wrk burst a minute, the dashboard open in
#                         headless Chromium; every 10 s heap after a full GC, threads, fds, NMT committed, RSS;
#                         slopes with 95% intervals after a 60 s warm-up -> results/soak.{md,tsv,png} (needs
#                         gnuplot-nox, chromium, chromium-driver; no quiet-machine wait: it measures growth, not speed).
#                         HISTORY: serve's max_history_size, small so the monitor's bounded histories fill early
#                         (results/soak-hHISTORY.*); WARMUP_S: seconds left out of the slopes (default 60)
#   ./run.sh all          record, stats, memory, forward, overhead in turn
#   ./run.sh summary      Markdown tables from results/*.json
#
# Before starting, it waits (at most QUIET_WAIT_MAX seconds, default 600) until other processes have used less
# than 20% of one CPU for 15 seconds in a row. The measured JVMs run at nice -10 (when allowed) so that a build
# started meanwhile by someone else takes less CPU from them; results/NAME.load.txt logs other processes' CPU and
# results/NAME.txt ends with that load per benchmark. Build first (see README.md).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p results
JAR=target/benchmarks.jar
QUIET_WAIT_MAX=${QUIET_WAIT_MAX:-600}

ROOT_PID=$$

# PIDs in this script's process tree: the script, its subshells, the measured JVMs (JMH forks included), harnesses.
own_pids() {
    ps -e -o pid=,ppid= | awk -v root="$ROOT_PID" '
        { parent[$1] = $2 }
        END { for (p in parent) { q = p; while (q > 1) { if (q == root) { print p; break }; q = parent[q] } } }'
}

# CPU% (of one core) used by processes outside this script's tree over one 1 s sample. By process tree, not by name:
# another checkout's run.sh running these same benchmarks is foreign load too.
foreign_cpu() {
    top -b -d 1 -n 2 -c -w 512 | awk -v own="$(own_pids | tr '\n' ' ')" '
        BEGIN { n = split(own, a, " "); for (i = 1; i <= n; i++) mine[a[i]] = 1 }
        /^top -/ { sample++ }
        sample == 2 && $1 ~ /^[0-9]+$/ && !($1 in mine) && $0 !~ /top -b -d 1 -n 2 -c -w 512/ { sum += $9 }
        END { printf "%.0f\n", sum }'
}

wait_quiet() {
    local quiet=0 waited=0
    while (( quiet < 15 && waited < QUIET_WAIT_MAX )); do
        local cpu
        cpu=$(foreign_cpu)
        if (( cpu < 20 )); then quiet=$((quiet + 1)); else quiet=0; fi
        waited=$((waited + 1))
    done
    echo "waited ${waited}s for a quiet machine (quiet for ${quiet}s)"
}

# Logs "HH:MM:SS foreign-cpu%" every ~2 s until killed.
log_load() {
    while true; do
        printf '%s %s\n' "$(date +%T)" "$(foreign_cpu)"
        sleep 1
    done
}

run_logged() {
    local name=$1
    shift
    wait_quiet
    log_load > "results/$name.load.txt" &
    local logger=$!
    {
        echo "library: $(git -C .. log -1 --format='commit %h %cd' --date=iso 2>/dev/null || echo '?')," \
            "uncommitted changes: $(git -C .. status --porcelain -- src native pom.xml 2>/dev/null | wc -l) files"
        echo "installed jar: $(md5sum ~/.m2/repository/dev/cmr/cmr-monitor/0.1.0-SNAPSHOT/cmr-monitor-0.1.0-SNAPSHOT.jar 2>/dev/null | cut -c1-12)"
    } > "results/$name.env.txt"
    local nice=()
    if nice -n -10 true 2>/dev/null; then nice=(nice -n -10); fi
    { "${nice[@]}" "$@" 2>&1 | while IFS= read -r line; do printf '%s %s\n' "$(date +%T)" "$line"; done; } > "results/$name.txt"
    kill "$logger"
    awk '{ n++; s += $2; if ($2 >= 20) busy++ } END {
        printf "other processes during the run: mean %.0f%% of one CPU, >= 20%% in %d of %d samples\n", s / n, busy, n }' \
        "results/$name.load.txt" | tee -a "results/$name.txt"
    per_benchmark_load "results/$name.load.txt" "results/$name.txt" | tee -a "results/$name.txt"
}

# Other processes' CPU while each benchmark ran (from its "# Benchmark:" line to the next one).
per_benchmark_load() {
    awk '
        function secs(t,  a) { split(t, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
        FNR == NR { lt[++nl] = secs($1); lv[nl] = $2; next }
        $1 !~ /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]$/ { next }
        / # Benchmark: / { if (name != "") report(start, secs($1)); name = $4; start = secs($1) }
        / # Parameters: / { p = $0; sub(/.*# Parameters: /, "", p); name = name " " p }
        { last = secs($1) }
        END { if (name != "") report(start, last) }
        function report(from, to,  i, n, s, m) {
            for (i = 1; i <= nl; i++) if (lt[i] >= from && lt[i] <= to) { n++; s += lv[i]; if (lv[i] > m) m = lv[i] }
            printf "other load during %-60s mean %3.0f%%  max %3.0f%%  (%d samples)\n", name, n ? s / n : 0, m, n
        }' "$1" "$2"
}

# MarksOnOff's on/off ratio again, over the rounds during which other processes stayed below 20% of one CPU in
# every load sample (a round spans from the previous round's line to its own).
quiet_rounds() {
    awk '
        function secs(t,  a) { split(t, a, ":"); return a[1] * 3600 + a[2] * 60 + a[3] }
        FNR == NR { lt[++nl] = secs($1); lv[nl] = $2; next }
        / rounds [0-9]+ x / { prev = secs($1) }
        / round +[0-9]+: on / {
            t = secs($1); line = $0; gsub(/,/, "", line); split(line, f, /[^0-9.]+/)
            # f: hh, mm, ss, round, on1, on2, off1, off2 (the numbers in order of appearance)
            on = f[5] + f[6]; off = f[7] + f[8]; busy = 0
            for (i = 1; i <= nl; i++) if (lt[i] > prev && lt[i] <= t && lv[i] >= 20) busy = 1
            all++; if (!busy) q[++nq] = on / off
            prev = t
        }
        END {
            n = nq
            for (i = 2; i <= n; i++) { v = q[i]; for (j = i - 1; j >= 1 && q[j] > v; j--) q[j + 1] = q[j]; q[j + 1] = v }
            if (n == 0) { printf "quiet rounds: none of %d\n", all; exit }
            m = n % 2 ? q[(n + 1) / 2] : (q[n / 2] + q[n / 2 + 1]) / 2
            printf "quiet rounds (other load < 20%% in every sample): %d of %d; on / off within them: median %.4f (%+.2f%%), quartiles %.4f..%.4f\n", n, all, m, (m - 1) * 100, q[int(n / 4) + 1], q[int(3 * n / 4) + 1]
        }' "$1" "$2"
}

case "${1:-}" in
    record)
        run_logged record java -jar "$JAR" 'RecordBenchmark' -prof gc -f 3 -wi 3 -w 1s -i 4 -r 1s \
            -rf json -rff results/record.json
        ;;
    spans)
        run_logged spans bash -c "java -jar $JAR 'SpanBenchmark' -prof gc -f 2 -wi 3 -w 1s -i 4 -r 1s \
            -rf json -rff results/spans.json; echo '# Benchmark: SpanBufferFootprint'; \
            java -Djdk.attach.allowAttachSelf=true -XX:+EnableDynamicAgentLoading -cp $JAR dev.cmr.bench.SpanBufferFootprint"
        ;;
    stats)
        run_logged stats java -jar "$JAR" 'StatsBenchmark' -prof gc -f 1 -wi 3 -w 1s -i 5 -r 1s \
            -rf json -rff results/stats.json
        ;;
    forward)
        run_logged forward java -jar "$JAR" 'ForwardBenchmark' -prof gc -rf json -rff results/forward.json
        ;;
    backends)
        run_logged backends java -jar "$JAR" 'BackendForwardBenchmark' -rf json -rff results/backends.json
        ;;
    overhead)
        run_logged overhead java -cp "$JAR" dev.cmr.bench.MonitorOverhead
        ;;
    marksonoff)
        run_logged marksonoff bash -c "echo '# Benchmark: MarksOnOff'; exec java -cp $JAR dev.cmr.bench.MarksOnOff 80 1 160"
        quiet_rounds results/marksonoff.load.txt results/marksonoff.txt | tee -a results/marksonoff.txt
        ;;
    profiling-cpu|profiling-opencl)
        run_logged "$1" bash -c "echo '# Benchmark: ProfilingOverhead ${1#profiling-}'; \
            exec java -cp $JAR dev.cmr.bench.ProfilingOverhead ${1#profiling-} $([[ $1 == *cpu ]] && echo 60 4 || echo 40 1)"
        quiet_rounds "results/$1.load.txt" "results/$1.txt" | tee -a "results/$1.txt"
        ;;
    compare)
        run_logged compare java -cp "$JAR" dev.cmr.bench.CompareOnReferenceModel 60 0.20
        ;;
    recordpath)
        # The plain record path built against two library versions: target/libs/lib-BEFORE.jar and lib-AFTER.jar
        # (the benchmarks jar with the library's entries swapped, see README.md), run alternately, two rounds each.
        run_logged recordpath "$0" recordpath-steps
        ;;
    recordpath-steps)
        for round in 1 2; do
            for jar in target/libs/lib-*.jar; do
                echo "# Benchmark: $(basename "$jar" .jar) round $round"
                java -jar "$jar" 'RecordBenchmark.(cmrMonitor|cmrHandle)$|LayerRecordBenchmark' -f 2 -wi 3 -w 1s \
                    -i 4 -r 1s -prof gc -rf json -rff "results/recordpath-$(basename "$jar" .jar)-$round.json"
            done
        done
        ;;
    metricsload)
        # The library's runnable jar (../target/cmr-monitor.jar, from mvn package or install) runs serve.
        run_logged metricsload bash -c "echo '# Benchmark: MetricsUnderLoad'; \
            exec taskset -c 0 java -cp $JAR dev.cmr.bench.MetricsUnderLoad ../target/cmr-monitor.jar 1 20"
        ;;
    metricsload-shared)
        # The same, unpinned: server, model, wrk and clients share both cores, as on a loopback deployment.
        run_logged metricsload-shared bash -c "echo '# Benchmark: MetricsUnderLoad shared'; \
            exec java -cp $JAR dev.cmr.bench.MetricsUnderLoad ../target/cmr-monitor.jar - 20"
        ;;
    scrapeonoff)
        run_logged scrapeonoff bash -c "echo '# Benchmark: ScrapeOnOff'; \
            exec taskset -c 0 java -cp $JAR dev.cmr.bench.ScrapeOnOff ../target/cmr-monitor.jar 1 0 \
            ${SCRAPE_ROUNDS:-8} ${SCRAPE_BLOCK_SECONDS:-10}"
        ;;
    soak)
        # Footprint, not speed: other load does not skew it, so no wait for a quiet machine.
        name=soak${3:+-h$3}${4:+-w$4}
        QUIET_WAIT_MAX=0 run_logged "$name" bash -c "echo '# Benchmark: Soak'; \
            exec java -cp $JAR dev.cmr.bench.Soak ../target/cmr-monitor.jar ${2:-10} results $name ${3:--} ${4:-}"
        ;;
    all)
        "$0" record && "$0" stats && "$0" memory && "$0" forward && "$0" overhead
        ;;
    memory)
        run_logged memory java -Djdk.attach.allowAttachSelf=true -XX:+EnableDynamicAgentLoading \
            -Djol.magicFieldOffset=true -cp "$JAR" dev.cmr.bench.RetainedMemory results/footprints
        ;;
    marks)
        native/build.sh
        run_logged marks "$0" marks-steps
        ;;
    marklife)
        native/build.sh
        run_logged marklife java -cp "$JAR" dev.cmr.bench.MarkLifeCycle 8000 1000
        ;;
    marks-steps)
        # The C floor right before and right after the JVM ways, so that a change in machine load between them
        # shows as a difference between the two C runs. "# Benchmark:" lines let per_benchmark_load split the log.
        echo "# Benchmark: markfloor-before"
        target/native/markfloor 20
        echo "# Benchmark: MarkSideBySide"
        java -cp "$JAR" dev.cmr.bench.MarkSideBySide 20
        java -jar "$JAR" 'MarkBenchmark' -prof gc -f 3 -wi 3 -w 1s -i 5 -r 1s -rf json -rff results/marks.json
        echo "# Benchmark: MarkAllocation"
        java -cp "$JAR" dev.cmr.bench.MarkAllocation
        echo "# Benchmark: markfloor-after"
        target/native/markfloor 20
        ;;
    summary)
        java -cp "$JAR" dev.cmr.bench.Summarize results/record.json results/stats.json
        ;;
    *)
        sed -n '2,42p' "$0"
        exit 2
        ;;
esac
