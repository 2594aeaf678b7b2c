#!/usr/bin/env bash
# Benchmark: the relay sending 2,000 notices to a real SMTP server on 127.0.0.1.
#
#   bash Scripts/bench-relay.sh          (make bench-relay; NOTICES=2000 by default)
#
# Starts the test SMTP server (Scripts/smtp-test-server.sh: aiosmtpd, STARTTLS and AUTH
# required), builds in release mode, makes a roster of NOTICES staff with official addresses
# who never used them, and runs `mailcensus relay send` with nudges on: it queues one nudge
# each (rendered, in the store's outbox) and sends them all. Prints the wall time, messages per
# second, peak RSS and the connections used, once with NOTICES and once with a tenth as many,
# and checks that peak memory hardly grows with the number of notices (under 1.5x for ten
# times as many: messages are streamed one at a time; the census of the roster grows).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
notices=${NOTICES:-2000}
source Scripts/bench-lib.sh
need_packages time
bash Scripts/install-deps.sh
bash Scripts/smtp-test-server.sh up
eval "$(bash Scripts/smtp-test-server.sh env)"
swift build -c release --product mailcensus >/dev/null
binary="$repo/.build/release/mailcensus"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run() { # COUNT: prints "seconds peak_kb connections sent"
    local count=$1 dir="$work/$1"
    mkdir -p "$dir"
    python3 - "$count" "$dir/roster.csv" <<'PY'
import sys
count, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w", encoding="utf-8") as out:
    out.write("employee_id,full_name,department_code,department_name,level,position,official_address,"
              "personal_addresses,status,start_date,end_date\n")
    for n in range(count):
        out.write("B%05d,Nguyễn Văn Bền %d,STTTT,,province,Chuyên viên,ben%d@namdinh.gov.vn,,active,,\n" % (n, n, n))
PY
    cat > "$dir/policy.yaml" <<YAML
province: Nam Định
official_domains: [namdinh.gov.vn]
departments: [{code: STTTT, name: Sở Thông tin và Truyền thông}]
nightly: {logs: [], roster: roster.csv}
relay:
  server: $SMTP_TEST_STARTTLS_URL
  username: $SMTP_TEST_USER
  password_file: $SMTP_TEST_PASSWORD_FILE
  ca_file: $SMTP_TEST_CA
  from: "Trung tâm CNTT <baocao@namdinh.gov.vn>"
  templates: $repo/Policies/templates
  notices: [nudge]
  nudges: {enabled: true, per_day: $count, categories: [dormant]}
YAML
    "$binary" ingest --quiet --store "$dir/store.sqlite" --policy "$dir/policy.yaml" Logs/captured/mail.log
    /usr/bin/time -f "%e %M" -o "$dir/time" "$binary" relay send --store "$dir/store.sqlite" \
        --policy "$dir/policy.yaml" > "$dir/out" 2> "$dir/err" || { cat "$dir/err" >&2; exit 1; }
    read -r seconds kb < "$dir/time"
    sent=$(sed -n 's/.*: \([0-9]*\) sent over \([0-9]*\) connection.*/\1 \2/p' "$dir/out")
    echo "$seconds $kb $sent"
}

printf '%-8s %9s %12s %10s %12s\n' notices seconds "messages/s" "peak MB" connections
peaks=()
for count in $((notices / 10)) "$notices"; do
    read -r seconds kb sent connections < <(run "$count")
    peaks+=("$kb")
    [ "$sent" = "$count" ] || { echo "bench-relay.sh: sent $sent of $count" >&2; exit 1; }
    awk -v n="$count" -v s="$seconds" -v kb="$kb" -v c="$connections" 'BEGIN {
        printf "%-8d %9.2f %12.0f %10.1f %12d\n", n, s, (s > 0 ? n / s : 0), kb / 1024, c }'
done
growth=$(awk -v a="${peaks[0]}" -v b="${peaks[1]}" 'BEGIN { printf "%.2f", b / a }')
check "memory: ${growth}x the peak for ten times the notices (target < 1.5x)" "$growth < 1.5"
