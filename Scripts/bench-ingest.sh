#!/usr/bin/env bash
# Benchmark: mailcensus ingest against wc -l and Debian's pflogsumm on the same generated logs,
# into SQLite and into PostgreSQL side by side.
#
#   bash Scripts/bench-ingest.sh                 # 100M and 1G, both stores
#   BENCH_SIZES="100M" bash Scripts/bench-ingest.sh
#   BENCH_STORES=sqlite bash Scripts/bench-ingest.sh   # SQLite only (no PostgreSQL server)
#   BENCH_BINARY=/path/to/mailcensus bash Scripts/bench-ingest.sh   # another build, as it is
#
# Logs come from Scripts/generate-logs.py (deterministic; cached in .bench-data/). Each tool runs
# under /usr/bin/time for wall time, CPU time (user + system) and peak RSS. pflogsumm and mailcensus
# on each store run in turns, BENCH_RUNS times each (default 3), and their medians are compared;
# mailcensus ingests into a fresh store each time (a new SQLite file; a new database on the
# PostgreSQL test server, which Scripts/postgres-test-server.sh starts on 127.0.0.1 and this script
# stops again, unless it was running).
# Prints MB/s, CPU seconds per GiB, the ratio to pflogsumm, peak memory and the store's size
# against the log's, and checks the targets (issue 15): >= 20x pflogsumm from 1 GiB of log, 12x
# below (pflogsumm is relatively faster on small files), <= 7 CPU seconds per GiB, < 150 MB peak
# RSS, store < 5% of the log, PostgreSQL at least 80% of SQLite's speed from 1 GiB of log (half of
# it below, where the first commit, which stores every address, weighs most).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
sizes=${BENCH_SIZES:-"100M 1G"}
data="$repo/.bench-data"
mkdir -p "$data"

source Scripts/bench-lib.sh
need_packages time pflogsumm
bash Scripts/install-deps.sh
if [ -n "${BENCH_BINARY:-}" ]; then
    binary=$BENCH_BINARY
else
    swift build -c release --product mailcensus >/dev/null
    binary="$repo/.build/release/mailcensus"
fi
runs=${BENCH_RUNS:-3}
stores=${BENCH_STORES:-"sqlite postgres"}
with_postgres=$([[ " $stores " == *" postgres "* ]] && echo 1 || echo 0)

if [ "$with_postgres" = 1 ]; then
    # The test server is stopped again only if this run started it.
    if ! bash Scripts/postgres-test-server.sh running; then
        trap 'bash Scripts/postgres-test-server.sh down' EXIT
    fi
    bash Scripts/postgres-test-server.sh up
    eval "$(bash Scripts/postgres-test-server.sh env)"
    MAILCENSUS_STORE_PASSWORD=$(cat "$PG_TEST_PASSWORD_FILE")
    export MAILCENSUS_STORE_PASSWORD
fi

printf '%-11s %-6s %9s %9s %9s %10s %9s\n' tool size seconds "MB/s" "CPU s/GiB" "peak MB" "vs pflog"
for size in $sizes; do
    log="$data/mail-$size.log"
    if [ ! -s "$log" ]; then
        python3 Scripts/generate-logs.py --size "$size" --out "$log"
    fi
    bytes=$(stat -L -c %s "$log")
    megabytes=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
    cat "$log" > /dev/null  # the same page cache for every tool
    read -r wc_s wc_kb wc_cpu < <(measure_cpu wc -l "$log")
    store="$data/bench-$size.sqlite"
    pf_runs=()
    sqlite_runs=()
    pg_runs=()
    # pflogsumm and the two stores in turns, each timed BENCH_RUNS times, so that a machine whose
    # speed drifts during the series (on this shared one, by a third within minutes) weighs on
    # all alike, and the ratio compares medians taken over the same minutes.
    for _ in $(seq 1 "$runs"); do
        pf_runs+=("$(measure_cpu pflogsumm "$log")")
        rm -f "$store" "$store-wal" "$store-shm"
        sqlite_runs+=("$(measure_cpu "$binary" ingest --quiet --store "$store" --policy Policies/default.yaml "$log")")
        if [ "$with_postgres" = 1 ]; then
            # The server's writes of the run before are flushed first, so that they weigh on neither.
            url=$(bash Scripts/postgres-test-server.sh database "bench_$(echo "$size" | tr 'A-Z' 'a-z')")
            pg_runs+=("$(measure_cpu "$binary" ingest --quiet --store "$url" --policy Policies/default.yaml "$log")")
        fi
    done
    pf_s=$(printf '%s\n' "${pf_runs[@]}" | awk '{ print $1 }' | median)
    pf_kb=$(printf '%s\n' "${pf_runs[@]}" | awk '{ print $2 }' | sort -n | tail -n 1)
    pf_cpu=$(printf '%s\n' "${pf_runs[@]}" | awk '{ print $3 }' | median)
    mc_s=$(printf '%s\n' "${sqlite_runs[@]}" | awk '{ print $1 }' | median)
    mc_kb=$(printf '%s\n' "${sqlite_runs[@]}" | awk '{ print $2 }' | sort -n | tail -n 1)
    mc_cpu=$(printf '%s\n' "${sqlite_runs[@]}" | awk '{ print $3 }' | median)
    store_bytes=$(( $(stat -c %s "$store") + $( [ -f "$store-wal" ] && stat -c %s "$store-wal" || echo 0) ))
    rows=("wc-l $wc_s $wc_kb $wc_cpu" "pflogsumm $pf_s $pf_kb $pf_cpu" "mc-sqlite $mc_s $mc_kb $mc_cpu")
    if [ "$with_postgres" = 1 ]; then
        pg_s=$(printf '%s\n' "${pg_runs[@]}" | awk '{ print $1 }' | median)
        pg_kb=$(printf '%s\n' "${pg_runs[@]}" | awk '{ print $2 }' | sort -n | tail -n 1)
        pg_cpu=$(printf '%s\n' "${pg_runs[@]}" | awk '{ print $3 }' | median)
        pg_bytes=$(PGPASSWORD=$MAILCENSUS_STORE_PASSWORD "$PG_TEST_BIN/psql" -X -q -t -A "$url" \
            -c "SELECT pg_database_size(current_database())")
        rows+=("mc-postgres $pg_s $pg_kb $pg_cpu")
    fi
    for row in "${rows[@]}"; do
        read -r tool seconds kb cpu <<< "$row"
        awk -v t="$tool" -v s="$size" -v sec="$seconds" -v kb="$kb" -v cpu="$cpu" -v mb="$megabytes" -v pf="$pf_s" 'BEGIN {
            printf "%-11s %-6s %9.2f %9.1f %9.2f %10.1f %8.1fx\n", t, s, sec, (sec > 0 ? mb / sec : 0),
                cpu * 1024 / mb, kb / 1024, (sec > 0 ? pf / sec : 0) }'
    done
    echo "  runs (seconds, peak KB, CPU seconds): pflogsumm ${pf_runs[*]}; sqlite ${sqlite_runs[*]}${pg_runs:+; postgres ${pg_runs[*]}}"
    ratio=$(awk -v a="$pf_s" -v b="$mc_s" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
    share=$(awk -v s="$store_bytes" -v b="$bytes" 'BEGIN { printf "%.2f", 100 * s / b }')
    peak=$(awk -v kb="$mc_kb" 'BEGIN { printf "%.0f", kb / 1024 }')
    per_gib=$(awk -v c="$mc_cpu" -v mb="$megabytes" 'BEGIN { printf "%.2f", c * 1024 / mb }')
    speed_target=$([ "$bytes" -ge 1073741824 ] && echo 20 || echo 12)
    echo "  $size: $megabytes MiB log; store $(awk -v s="$store_bytes" 'BEGIN { printf "%.1f", s / 1048576 }') MiB ($share% of the log)"
    check "speed: ${ratio}x pflogsumm (target >= ${speed_target}x)" "$ratio >= $speed_target"
    check "CPU: ${per_gib} s per GiB (target <= 7)" "$per_gib <= 7"
    check "memory: peak RSS ${peak} MB (target < 150 MB)" "$peak < 150"
    check "store: $share% of the log (target < 5%)" "$share < 5"
    if [ "$with_postgres" = 1 ]; then
        pg_share=$(awk -v a="$mc_s" -v b="$pg_s" 'BEGIN { printf "%.0f", (b > 0 ? 100 * a / b : 0) }')
        pg_target=$([ "$bytes" -ge 1073741824 ] && echo 80 || echo 50)
        echo "  PostgreSQL: $(awk -v s="$pg_bytes" 'BEGIN { printf "%.1f", s / 1048576 }') MiB database"
        check "postgres: ${pg_s} s against SQLite's ${mc_s} s, ${pg_share}% of its speed (target >= ${pg_target}%)" \
            "$pg_share >= $pg_target"
    fi
done
