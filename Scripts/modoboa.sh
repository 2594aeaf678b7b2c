#!/usr/bin/env bash
# A real Modoboa mail-admin server (Django, REST API /api/v2) on 127.0.0.1, for integration tests.
#
#   bash Scripts/modoboa.sh up      install if needed (apt + a Python venv + PyPI modoboa), set up
#                                   (SQLite, no Redis, the admin API token, the province domain),
#                                   start; later runs only start it
#   bash Scripts/modoboa.sh reset   back to just after set-up (the domain, no accounts)
#   bash Scripts/modoboa.sh down    stop it
#   bash Scripts/modoboa.sh env     print export lines: MODOBOA_URL, MODOBOA_TOKEN_FILE
#
# Several servers can run on one installation and database, one per MODOBOA_PORT; a test can
# also run one itself (MODOBOA_PYTHON manage.py runserver in MODOBOA_INSTANCE) to stop it mid-run.
#
# Settings: MODOBOA_HOME (default /tmp/mailcensus-modoboa), MODOBOA_PORT (18000),
# MODOBOA_VERSION (2.12.0), MODOBOA_DOMAIN (namdinh.gov.vn). The API token is written to
# $MODOBOA_HOME/token, mode 0600, and never printed.
set -euo pipefail

home=${MODOBOA_HOME:-/tmp/mailcensus-modoboa}
port=${MODOBOA_PORT:-18000}
version=${MODOBOA_VERSION:-2.12.0}
domain=${MODOBOA_DOMAIN:-namdinh.gov.vn}
python=${PYTHON:-python3}
venv=$home/venv
instance=$home/instance
database=$instance/modoboa.db
url=http://127.0.0.1:$port

say() { printf 'modoboa.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
manage() { (cd "$instance" && "$venv/bin/python" manage.py "$@"); }

install() {
    local need=()
    command -v gcc >/dev/null || need+=(gcc)
    command -v curl >/dev/null || need+=(curl)
    dpkg -s librrd-dev >/dev/null 2>&1 || need+=(librrd-dev)
    dpkg -s libmagic1 >/dev/null 2>&1 || need+=(libmagic1)
    "$python" -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)
    "$python" -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' || need+=(python3-dev)
    if [ ${#need[@]} -gt 0 ]; then
        say "apt-get install ${need[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    fi
    mkdir -p "$home"
    if [ ! -x "$venv/bin/modoboa-admin.py" ]; then
        say "pip install modoboa==$version"
        "$python" -m venv "$venv"
        "$venv/bin/pip" install -q "modoboa==$version"
    fi
    say "deploy (SQLite)"
    rm -rf "$instance"
    # deploy's last steps need Redis and fail quietly without it; they are run again below.
    (cd "$home" && "$venv/bin/modoboa-admin.py" deploy instance --dburl "default:sqlite:///$database" \
        --domain 127.0.0.1 --admin-username admin) > "$home/deploy.log" 2>&1 || die "deploy failed: see $home/deploy.log"
    [ -f "$instance/manage.py" ] || die "deploy made no instance: see $home/deploy.log"
    cat >> "$instance/instance/settings.py" <<'SETTINGS'

# mailcensus tests: loopback only, no Redis, SQLite that waits for its lock, relaxed throttles.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DISABLE_DASHBOARD_EXTERNAL_QUERIES = True
DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 30}
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].update(
    {"user": "100000/minute", "ddos": "10000/second", "ddos_lesser": "100000/minute"})
SETTINGS
    manage migrate --noinput > /dev/null
    manage load_initial_data --admin-username admin > /dev/null
    manage set_default_site 127.0.0.1 > /dev/null
    umask 077
    TOKEN_FILE=$home/token DOMAIN=$domain manage shell -c '
import os
from rest_framework.authtoken.models import Token
from modoboa.admin.models import Domain
from modoboa.core.models import LocalConfig, User
admin = User.objects.get(username="admin")
Token.objects.filter(user=admin).delete()
token = Token.objects.create(user=admin, key=Token.generate_key())
config = LocalConfig.objects.first()
config.parameters.set_value("enabled_pdfcredentials", False, app="pdfcredentials")
config.save()
with open(os.environ["TOKEN_FILE"], "w") as out:
    out.write(token.key)
' > /dev/null
    chmod 600 "$home/token"
    cp "$database" "$database.pristine"
}

pidfile=$home/server-$port.pid
running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

answers() {
    curl -fsS -o /dev/null --max-time 5 -H "@$home/auth-header" "$url/api/v2/account/me/" 2>/dev/null
}

start() {
    running && { say "already running on $url"; return; }
    (umask 077; printf 'Authorization: Token %s\n' "$(cat "$home/token")" > "$home/auth-header")
    (cd "$instance" && exec nohup "$venv/bin/python" manage.py runserver --noreload "127.0.0.1:$port" \
        > "$home/server-$port.log" 2>&1 < /dev/null) &
    echo $! > "$pidfile"
    for _ in $(seq 1 120); do
        if answers; then
            ensure_domain
            say "running on $url"
            return
        fi
        running || { tail -n 20 "$home/server-$port.log" >&2; die "the server exited"; }
        sleep 0.5
    done
    die "the server did not answer within 60 s (see $home/server-$port.log)"
}

ensure_domain() {
    curl -fsS -o /dev/null -H "@$home/auth-header" -H "Content-Type: application/json" \
        -d "{\"name\": \"$domain\", \"quota\": \"0\", \"default_mailbox_quota\": \"0\", \"enabled\": true, \"type\": \"domain\"}" \
        "$url/api/v2/domains/" 2>/dev/null || true
}

stop() {
    if running; then
        local pid
        pid=$(cat "$pidfile")
        kill "$pid"
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        rm -f "$pidfile"
        say "stopped $url"
    fi
}

case "${1:-}" in
    up)
        [ -f "$database.pristine" ] || install
        start
        ;;
    reset)
        stop
        cp "$database.pristine" "$database"
        start
        ;;
    down) stop ;;
    env)
        echo "export MODOBOA_URL=$url"
        echo "export MODOBOA_TOKEN_FILE=$home/token"
        echo "export MODOBOA_DOMAIN=$domain"
        echo "export MODOBOA_INSTANCE=$instance"
        echo "export MODOBOA_PYTHON=$venv/bin/python"
        ;;
    *) echo "usage: $0 up|reset|down|env" >&2; exit 2 ;;
esac
