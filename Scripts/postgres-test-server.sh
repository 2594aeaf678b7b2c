#!/usr/bin/env bash
# A real PostgreSQL server on 127.0.0.1 for the store's tests and benchmark: Debian's
# `postgresql`, its own cluster in a folder of its own (never the system's cluster), password
# (SCRAM) login, and TLS with a test CA so that verified connections can be tested.
#
#   bash Scripts/postgres-test-server.sh up      install (first time), initdb (first time), start
#   bash Scripts/postgres-test-server.sh down    stop it
#   bash Scripts/postgres-test-server.sh env     print export lines for the tests
#   bash Scripts/postgres-test-server.sh running exit 0 if it runs
#   bash Scripts/postgres-test-server.sh reset   drop the databases earlier tests made (test_…)
#   bash Scripts/postgres-test-server.sh database NAME   a new, empty database NAME; prints its URL
#
# Settings: PG_TEST_HOME (default /tmp/mailcensus-postgres), PG_TEST_PORT (15432). The superuser
# is `mailcensus`; its password is written to $PG_TEST_HOME/password, mode 0600.
set -euo pipefail

home=${PG_TEST_HOME:-/tmp/mailcensus-postgres}
port=${PG_TEST_PORT:-15432}
user=mailcensus
data=$home/data
source "$(dirname "$0")/test-servers/test-ca.sh"
say() { echo "postgres-test-server.sh: $*" >&2; }
die() { say "$*"; exit 1; }

bindir() {
    local initdb
    initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
    [ -n "$initdb" ] && dirname "$initdb"
}

# Runs a server program as the cluster's owner: PostgreSQL refuses to run as root.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install() {
    if [ -z "$(bindir)" ]; then
        say "apt-get install postgresql"
        local sudo_cmd=()
        [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
        DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
            postgresql >/dev/null
    fi
    [ -n "$(bindir)" ] || die "no initdb under /usr/lib/postgresql after installing postgresql"
    mkdir -p "$home"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$home"; fi
    if [ ! -s "$home/password" ]; then
        (umask 077; openssl rand -hex 16 > "$home/password")
    fi
    if [ ! -s "$home/server.crt" ]; then
        make_test_certificate "$home" "$home/server.crt"
        chmod 600 "$home/server.key"
        if [ "$(id -u)" -eq 0 ]; then chown postgres "$home/server.key" "$home/server.crt"; fi
    fi
    if [ ! -s "$data/PG_VERSION" ]; then
        say "initdb $data"
        # The password file is read by initdb as the owner: hand it a copy it can read.
        local pwfile=$home/initdb-password
        cp "$home/password" "$pwfile"
        if [ "$(id -u)" -eq 0 ]; then chown postgres "$pwfile"; fi
        as_owner "$(bindir)/initdb" -D "$data" -U "$user" --pwfile="$pwfile" --auth-local=trust \
            --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
        rm -f "$pwfile"
    fi
}

running() { as_owner "$(bindir)/pg_ctl" -D "$data" status >/dev/null 2>&1; }

start() {
    running && { say "already running on 127.0.0.1:$port"; return; }
    # Loopback only; the socket in its own folder; TLS offered (and tested verified).
    as_owner "$(bindir)/pg_ctl" -D "$data" -l "$home/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$home \
            -c ssl=on -c ssl_cert_file=$home/server.crt -c ssl_key_file=$home/server.key \
            -c max_connections=50 -c shared_buffers=256MB" start >/dev/null \
        || { cat "$home/server.log" >&2; die "the server did not start"; }
    say "running on 127.0.0.1:$port"
}

stop() {
    if [ -n "$(bindir)" ] && [ -s "$data/PG_VERSION" ] && running; then
        as_owner "$(bindir)/pg_ctl" -D "$data" -m fast -w stop >/dev/null
        say "stopped"
    fi
}

owner_psql() { as_owner "$(bindir)/psql" -X -q -t -A -h "$home" -p "$port" -U "$user" -d postgres "$@"; }

reset() {
    for database in $(owner_psql -c "SELECT datname FROM pg_database WHERE datname LIKE 'test\_%'"); do
        owner_psql -c "DROP DATABASE \"$database\"" >/dev/null
    done
}

database() {
    [[ "${1:-}" =~ ^[a-z_][a-z0-9_]*$ ]] || die "usage: $0 database NAME (a-z, 0-9, _)"
    owner_psql -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" \
        -c "CHECKPOINT" >/dev/null
    echo "postgres://$user@127.0.0.1:$port/$1?sslmode=disable"
}

case "${1:-}" in
    up) install; start ;;
    down) stop ;;
    reset) reset ;;
    running) [ -n "$(bindir)" ] && [ -s "$data/PG_VERSION" ] && running ;;
    database) database "${2:-}" ;;
    env)
        echo "export PG_TEST_URL=postgres://$user@127.0.0.1:$port/postgres?sslmode=disable"
        echo "export PG_TEST_TLS_URL=postgres://$user@localhost:$port/postgres?sslmode=verify-full"
        echo "export PG_TEST_CA=$home/ca.pem"
        echo "export PG_TEST_PASSWORD_FILE=$home/password"
        echo "export PG_TEST_BIN=$(bindir)"
        ;;
    *) echo "usage: $0 up|down|reset|database NAME|running|env" >&2; exit 2 ;;
esac
