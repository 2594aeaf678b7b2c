#!/usr/bin/env bash
# Installs the Debian packages mailcensus needs to build (and with --test, to test), only
# those missing. Safe to run again; needs root (or sudo) only when something is missing.
#
#   bash Scripts/install-deps.sh           build and run
#   bash Scripts/install-deps.sh --test    also what the tests use: Chromium to open the HTML
#                                          report, Noto fonts for its Vietnamese text, and
#                                          PostgreSQL (its server, started by the tests' script)
set -euo pipefail

# Build: zlib, SQLite, libcurl and libpq headers. Tests: openssl (a test certificate) and python3 (the
# HTTP test server), unless a python3 is already on the PATH.
packages=(pkg-config zlib1g-dev libsqlite3-dev libcurl4-openssl-dev libpq-dev openssl ca-certificates)
command -v python3 >/dev/null || packages+=(python3)
if [ "${1:-}" = "--test" ]; then
    packages+=(chromium fonts-noto-core postgresql)
fi
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "Installing: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
