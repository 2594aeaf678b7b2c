#!/usr/bin/env bash
# Benchmark: mailcensus ingest against wc -l and Debian's pflogsumm on the same generated logs.
#
#   bash Scripts/bench-ingest.sh                 # 100M and 1G
#   BENCH_SIZES="100M" bash Scripts/bench-ingest.sh
#
# Logs come from Scripts/generate-logs.py (deterministic; cached in .bench-data/). Each tool runs
# under /usr/bin/time for wall time and peak RSS; mailcensus ingests into a fresh store each time.
# Prints MB/s, the ratio to pflogsumm, peak memory and the store's size against the log's, and
# checks the targets: >= 10x pflogsumm, < 200 MB peak RSS, store < 5% of the log.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
sizes=${BENCH_SIZES:-"100M 1G"}
data="$repo/.bench-data"
mkdir -p "$data"

need=()
command -v pflogsumm >/dev/null || need+=(pflogsumm)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
    sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
bash Scripts/install-deps.sh
swift build -c release --product mailcensus >/dev/null
binary="$repo/.build/release/mailcensus"

# Runs a command under /usr/bin/time; prints "seconds peak_kb".
measure() {
    local report
    report=$(mktemp)
    /usr/bin/time -f "%e %M" -o "$report" "$@" >/dev/null
    cat "$report"
    rm -f "$report"
}

printf '%-10s %-6s %9s %9s %10s %9s\n' tool size seconds "MB/s" "peak MB" "vs pflog"
for size in $sizes; do
    log="$data/mail-$size.log"
    if [ ! -s "$log" ]; then
        python3 Scripts/generate-logs.py --size "$size" --out "$log"
    fi
    bytes=$(stat -c %s "$log")
    megabytes=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
    cat "$log" > /dev/null  # the same page cache for every tool
    read -r wc_s wc_kb < <(measure wc -l "$log")
    read -r pf_s pf_kb < <(measure pflogsumm "$log")
    store="$data/bench-$size.sqlite"
    rm -f "$store" "$store-wal" "$store-shm"
    read -r mc_s mc_kb < <(measure "$binary" ingest --quiet --store "$store" --policy Policies/default.yaml "$log")
    store_bytes=$(( $(stat -c %s "$store") + $( [ -f "$store-wal" ] && stat -c %s "$store-wal" || echo 0) ))
    for row in "wc-l $wc_s $wc_kb" "pflogsumm $pf_s $pf_kb" "mailcensus $mc_s $mc_kb"; do
        read -r tool seconds kb <<< "$row"
        awk -v t="$tool" -v s="$size" -v sec="$seconds" -v kb="$kb" -v mb="$megabytes" -v pf="$pf_s" 'BEGIN {
            printf "%-10s %-6s %9.2f %9.1f %10.1f %8.1fx\n", t, s, sec, (sec > 0 ? mb / sec : 0), kb / 1024,
                (sec > 0 ? pf / sec : 0) }'
    done
    ratio=$(awk -v a="$pf_s" -v b="$mc_s" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
    share=$(awk -v s="$store_bytes" -v b="$bytes" 'BEGIN { printf "%.2f", 100 * s / b }')
    peak=$(awk -v kb="$mc_kb" 'BEGIN { printf "%.0f", kb / 1024 }')
    check() { if awk "BEGIN { exit !($2) }"; then echo "  PASS $1"; else echo "  FAIL $1"; fi; }
    echo "  $size: $megabytes MiB log; store $(awk -v s="$store_bytes" 'BEGIN { printf "%.1f", s / 1048576 }') MiB ($share% of the log)"
    check "speed: ${ratio}x pflogsumm (target >= 10x)" "$ratio >= 10"
    check "memory: peak RSS ${peak} MB (target < 200 MB)" "$peak < 200"
    check "store: $share% of the log (target < 5%)" "$share < 5"
done

