#!/usr/bin/env bash
# Benchmark: one message to many recipients. The correlator keeps each message's recipients to
# count every one once; the time per recipient must not grow with their number.
#
#   bash Scripts/bench-recipients.sh                          # 10,000, 30,000 and 100,000 recipients
#   BENCH_RECIPIENTS="30000" BENCH_BUILD=debug bash Scripts/bench-recipients.sh
#
# Each log holds one authenticated submission to N recipients, each delivered through an alias
# into a mailbox (a receipt, an exchange and a forward per recipient), then its removal; it is
# ingested into a fresh SQLite store, timed with bash's `time` (wall seconds), and the counts
# read back are checked.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
counts=${BENCH_RECIPIENTS:-"10000 30000 100000"}
configuration=${BENCH_BUILD:-release}
swift build -c "$configuration" --product mailcensus >/dev/null
binary="$repo/.build/$configuration/mailcensus"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '%-10s %9s %14s %s\n' recipients seconds "µs/recipient" "counted"
for count in $counts; do
    log="$work/mail-$count.log"
    python3 - "$count" >"$log" <<'PYTHON'
import sys

count = int(sys.argv[1])
qid = "4B2C1D0E9F"
print(f"Nov 25 08:00:00 mail postfix/submission/smtpd[10]: {qid}: client=pc[10.0.0.5], "
      "sasl_method=PLAIN, sasl_username=annv@namdinh.gov.vn")
print(f"Nov 25 08:00:01 mail postfix/qmgr[12]: {qid}: from=<annv@namdinh.gov.vn>, size=900, "
      f"nrcpt={count} (queue active)")
for index in range(count):
    second = 2 + index * 3000 // count
    print(f"Nov 25 08:{second // 60:02d}:{second % 60:02d} mail postfix/lmtp[13]: {qid}: "
          f"to=<u{index}@namdinh.gov.vn>, orig_to=<all@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], "
          "delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)")
print(f"Nov 25 09:00:00 mail postfix/qmgr[12]: {qid}: removed")
PYTHON
    touch -d "2026-11-26" "$log"
    store="$work/store-$count.sqlite"
    TIMEFORMAT=%R
    seconds=$({ time "$binary" ingest --quiet --store "$store" --policy Policies/default.yaml "$log" >/dev/null; } 2>&1)
    counted=$("$binary" activity --store "$store" --policy Policies/default.yaml --format csv | tail -n +2 | wc -l)
    per=$(awk -v s="$seconds" -v n="$count" 'BEGIN { printf "%.1f", s * 1e6 / n }')
    printf '%-10s %9s %14s %s addresses\n' "$count" "$seconds" "$per" "$counted"
done
