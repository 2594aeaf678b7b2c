#!/usr/bin/env bash
# Benchmark: mailcensus report on the sample province (about 1,900 staff, 60 days of logs).
#
#   bash Scripts/bench-report.sh          (make bench-report)
#
# Builds in release mode, ingests Logs/sample into a fresh store, then writes the report in
# every format, RUNS times each (default 5), under /usr/bin/time: prints the median and worst
# wall time and the peak RSS, and checks the target of under 2 s per report.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
runs=${RUNS:-5}
source Scripts/bench-lib.sh
need_packages time
bash Scripts/install-deps.sh
swift build -c release --product mailcensus >/dev/null
binary="$repo/.build/release/mailcensus"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Classic syslog has no year: date the sample's files to the end of its period.
for file in Logs/sample/mail.log-*.gz; do
    cp "$file" "$work/"
done
touch -d 2026-12-01T12:00:00 "$work"/mail.log-*.gz
store="$work/store.sqlite"
/usr/bin/time -f "%e %M" -o "$work/ingest.time" "$binary" ingest --quiet --store "$store" "$work"/mail.log-*.gz
read -r ingest_s ingest_kb < "$work/ingest.time"
staff=$(($(wc -l < Logs/sample/roster.csv) - 1))
lines=$(zcat "$work"/mail.log-*.gz | wc -l)
printf 'sample province: %d roster rows, %d log lines; ingest %.2f s, peak %.0f MB\n\n' \
    "$staff" "$lines" "$ingest_s" "$(awk -v kb="$ingest_kb" 'BEGIN { print kb / 1024 }')"
printf '%-8s %9s %9s %10s %10s  %s\n' format median worst "peak MB" "size KB" "target < 2 s"
status=0
for format in html csv json md; do
    times=()
    peak=0
    for _ in $(seq 1 "$runs"); do
        /usr/bin/time -f "%e %M" -o "$work/report.time" "$binary" report --store "$store" \
            --roster Logs/sample/roster.csv --format "$format" --out "$work/report.$format" >/dev/null
        read -r seconds kb < "$work/report.time"
        times+=("$seconds")
        [ "$kb" -gt "$peak" ] && peak=$kb
    done
    median=$(printf '%s\n' "${times[@]}" | median)
    worst=$(printf '%s\n' "${times[@]}" | sort -n | tail -1)
    size=$(( $(stat -c %s "$work/report.$format") / 1024 ))
    verdict=$(awk -v w="$worst" 'BEGIN { print (w < 2 ? "PASS" : "FAIL") }')
    [ "$verdict" = PASS ] || status=1
    printf '%-8s %8.2fs %8.2fs %10.1f %10d  %s\n' "$format" "$median" "$worst" \
        "$(awk -v kb="$peak" 'BEGIN { print kb / 1024 }')" "$size" "$verdict"
done
exit $status
