#!/usr/bin/env bash
# Benchmark: the reads of a big store, `activity` and `report`, on the store of a 1 GiB log.
#
#   bash Scripts/bench-reads.sh                  (make bench-reads)
#   BENCH_SIZES="1G 3G" RUNS=5 bash Scripts/bench-reads.sh
#
# The log comes from Scripts/generate-logs.py (cached in .bench-data/, as Scripts/bench-ingest.sh
# makes it); it is ingested once into .bench-data/reads-SIZE.sqlite with Policies/default.yaml
# (again only when the binary is newer than the store). The report's roster is the generator's
# 20,000 users (its first draws, seed 1), spread over the policy's departments; the report runs
# with that roster and with the sample province's (Logs/sample/roster.csv, 1,863 staff).
# Each command runs RUNS times (default 3) under /usr/bin/time: prints the median wall time,
# the median CPU seconds (user + system) and the peak RSS, and checks the target of < 1 s.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
sizes=${BENCH_SIZES:-1G}
runs=${RUNS:-3}
data="$repo/.bench-data"
mkdir -p "$data"
source Scripts/bench-lib.sh
need_packages time
bash Scripts/install-deps.sh
swift build -c release --product mailcensus >/dev/null
binary="$repo/.build/release/mailcensus"
policy="$repo/Policies/default.yaml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The generator's users as a roster: the same draws as its make_users (draw_user), with their names.
roster="$data/roster-generated.csv"
python3 - "$repo" "$roster" <<'PYTHON'
import importlib.util, random, re, sys
repo, out = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location("generate_logs", repo + "/Scripts/generate-logs.py")
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)
policy = open(repo + "/Policies/default.yaml", encoding="utf-8").read()
departments = re.findall(r"\{code: ([^,]+), name: ([^,]+), level: ([a-z]+)", policy)
rng, seen = random.Random(1), {}
with open(out, "w", encoding="utf-8") as roster:
    roster.write("employee_id,full_name,department_code,department_name,level,position,official_address,"
                 "personal_addresses,status,start_date,end_date\n")
    for n in range(20000):
        family, middle, given, local = gen.draw_user(rng, seen)
        code, name, level = departments[n % len(departments)]
        roster.write("B%05d,%s %s %s,%s,%s,%s,Chuyên viên,%s@%s,,active,,\n" % (
            n + 1, family.title(), middle.title(), given.title(), code, name, level, local, gen.DOMAIN))
PYTHON

# run NAME COMMAND…: RUNS times; prints the medians and PASS or FAIL against 1 s of wall time.
status=0
run() {
    local name=$1 times=() cpus=() peak=0 seconds user system kb
    shift
    for _ in $(seq 1 "$runs"); do
        /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null
        read -r seconds user system kb < "$work/time"
        times+=("$seconds")
        cpus+=("$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')")
        [ "$kb" -gt "$peak" ] && peak=$kb
    done
    local wall cpu verdict
    wall=$(printf '%s\n' "${times[@]}" | median)
    cpu=$(printf '%s\n' "${cpus[@]}" | median)
    verdict=$(awk -v w="$wall" 'BEGIN { print (w < 1 ? "PASS" : "FAIL") }')
    [ "$verdict" = PASS ] || status=1
    printf '%-30s %8.2fs %8.2fs %9.1f  %s\n' "$name" "$wall" "$cpu" \
        "$(awk -v kb="$peak" 'BEGIN { print kb / 1024 }')" "$verdict"
}

for size in $sizes; do
    log="$data/mail-$size.log"
    [ -s "$log" ] || python3 Scripts/generate-logs.py --size "$size" --out "$log"
    store="$data/reads-$size.sqlite"
    if [ ! -s "$store" ] || [ "$binary" -nt "$store" ]; then
        rm -f "$store" "$store-wal" "$store-shm"
        "$binary" ingest --quiet --store "$store" --policy "$policy" "$log"
    fi
    printf '\n%s log (%s store): median of %d, target < 1 s\n' "$size" \
        "$(du -h "$store" | cut -f1)" "$runs"
    printf '%-30s %9s %9s %9s  %s\n' command wall CPU "peak MB" verdict
    run "activity --format json" "$binary" activity --store "$store" --format json
    run "activity --format csv" "$binary" activity --store "$store" --format csv
    run "report json, sample roster" "$binary" report --store "$store" --policy "$policy" \
        --roster Logs/sample/roster.csv --format json
    run "report html, sample roster" "$binary" report --store "$store" --policy "$policy" \
        --roster Logs/sample/roster.csv --format html
    run "report json, 20,000 staff" "$binary" report --store "$store" --policy "$policy" \
        --roster "$roster" --format json
done
exit $status
