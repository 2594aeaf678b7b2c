#!/usr/bin/env bash
# A real SMTP server on 127.0.0.1 for the relay's tests: aiosmtpd (PyPI) in a venv, with a test
# CA and server certificate made by openssl, STARTTLS and AUTH required.
#
#   bash Scripts/smtp-test-server.sh up      install (first time) and start
#   bash Scripts/smtp-test-server.sh down    stop it
#   bash Scripts/smtp-test-server.sh env     print export lines for the tests
#   bash Scripts/smtp-test-server.sh reset   empty its spool of received messages
#
# Settings: SMTP_TEST_HOME (default /tmp/mailcensus-smtp), SMTP_TEST_STARTTLS_PORT (12525),
# SMTP_TEST_SMTPS_PORT (12465). The password is written to $SMTP_TEST_HOME/password, mode 0600.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
home=${SMTP_TEST_HOME:-/tmp/mailcensus-smtp}
starttls_port=${SMTP_TEST_STARTTLS_PORT:-12525}
smtps_port=${SMTP_TEST_SMTPS_PORT:-12465}
user=baocao@namdinh.gov.vn
venv=$home/venv
source "$(dirname "$0")/test-servers/test-ca.sh"
say() { echo "smtp-test-server.sh: $*" >&2; }
die() { say "$*"; exit 1; }

install() {
    mkdir -p "$home"
    if [ ! -x "$venv/bin/python" ]; then
        dpkg-query -W -f='${Status}' python3-venv 2>/dev/null | grep -q "install ok installed" || {
            python3 -m venv --help >/dev/null 2>&1 || {
                say "apt-get install python3-venv"
                sudo_cmd=()
                [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
                DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
                    python3-venv >/dev/null
            }
        }
        python3 -m venv "$venv"
    fi
    if ! "$venv/bin/python" -c "import aiosmtpd" 2>/dev/null; then
        say "pip install aiosmtpd==1.4.6"
        "$venv/bin/pip" install -q aiosmtpd==1.4.6
    fi
    if [ ! -s "$home/server.pem" ]; then
        make_test_certificate "$home" "$home/server.pem"
    fi
    if [ ! -s "$home/password" ]; then
        (umask 077; openssl rand -hex 16 > "$home/password")
    fi
}

running() { [ -f "$home/server.pid" ] && kill -0 "$(cat "$home/server.pid")" 2>/dev/null; }

listening() {
    "$venv/bin/python" - "$1" <<'PY' 2>/dev/null
import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
PY
}

start() {
    running && { say "already running on 127.0.0.1:$starttls_port and :$smtps_port"; return; }
    mkdir -p "$home/spool"
    nohup "$venv/bin/python" "$repo/Scripts/test-servers/smtp_server.py" --spool "$home/spool" \
        --cert "$home/server.pem" --key "$home/server.key" --user "$user" --password-file "$home/password" \
        --starttls-port "$starttls_port" --smtps-port "$smtps_port" > "$home/server.log" 2>&1 < /dev/null &
    echo $! > "$home/server.pid"
    for _ in $(seq 1 50); do
        if listening "$starttls_port" && listening "$smtps_port"; then
            say "running on 127.0.0.1:$starttls_port (STARTTLS) and :$smtps_port (TLS)"
            return
        fi
        running || { cat "$home/server.log" >&2; die "the server exited"; }
        sleep 0.2
    done
    die "the server did not listen within 10 s (see $home/server.log)"
}

stop() {
    if running; then
        kill "$(cat "$home/server.pid")"
        rm -f "$home/server.pid"
        say "stopped"
    fi
}

case "${1:-}" in
    up) install; start ;;
    down) stop ;;
    reset) rm -rf "$home/spool"; mkdir -p "$home/spool" ;;
    env)
        echo "export SMTP_TEST_STARTTLS_URL=smtp://127.0.0.1:$starttls_port"
        echo "export SMTP_TEST_SMTPS_URL=smtps://127.0.0.1:$smtps_port"
        echo "export SMTP_TEST_CA=$home/ca.pem"
        echo "export SMTP_TEST_USER=$user"
        echo "export SMTP_TEST_PASSWORD_FILE=$home/password"
        echo "export SMTP_TEST_SPOOL=$home/spool"
        ;;
    *) echo "usage: $0 up|down|reset|env" >&2; exit 2 ;;
esac
