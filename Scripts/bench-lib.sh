# Sourced by the benchmarks: what they measure with, installed when missing, and the helpers
# they share.

# need_packages PACKAGE…: installs, through apt, those of the Debian packages not installed.
need_packages() {
    local missing=() package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo_cmd=()
    [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# measure COMMAND…: runs it under /usr/bin/time, its output discarded; prints "seconds peak_kb".
measure() {
    local report
    report=$(mktemp)
    /usr/bin/time -f "%e %M" -o "$report" "$@" >/dev/null
    cat "$report"
    rm -f "$report"
}

# measure_cpu COMMAND…: as measure, and the CPU seconds it took (user + system): prints
# "seconds peak_kb cpu_seconds".
measure_cpu() {
    local report
    report=$(mktemp)
    /usr/bin/time -f "%e %M %U %S" -o "$report" "$@" >/dev/null
    awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$report"
    rm -f "$report"
}

# median: the median of the numbers on standard input, one a line.
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# check DESCRIPTION CONDITION: prints PASS or FAIL with the description; CONDITION is awk.
check() { if awk "BEGIN { exit !($2) }"; then echo "  PASS $1"; else echo "  FAIL $1"; fi; }
