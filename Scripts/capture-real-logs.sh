#!/usr/bin/env bash
# Captures logs from a real Postfix + Dovecot on 127.0.0.1, with the truth of what was done.
#
#   bash Scripts/capture-real-logs.sh        (as root; `make capture` does the same)
#
# On a Debian 12 machine (no terminal needed) it:
#   1. installs what is missing through apt-get (Postfix "No configuration", Dovecot with
#      imapd/pop3d/lmtpd/submissiond, rsyslog), without letting the packages start services;
#   2. runs rsyslogd (directly, no systemd) writing the mail facility in three formats, two small
#      SMTP peers of Scripts/capture/smtp_peer.py (the outside world's servers on :2525, a content
#      filter on :10024 re-injecting into Postfix on :10025), Dovecot (its configuration in the
#      run folder) and Postfix (its configuration written to /etc/postfix, the previous files
#      kept as *.mailcensus-old), everything on 127.0.0.1 only;
#   3. drives the province of Scripts/capture/drive.py through them, and writes its truth;
#   4. stops everything it started, cross-checks the logs against the truth
#      (Scripts/capture/check.py), and copies logs, truth and a README into Logs/captured/.
#
# Running it again stops a previous run's servers, starts afresh and overwrites the capture.
# Meant for a test or development machine: it takes over /dev/log while it runs (and puts back
# a /dev/log symlink it found) and replaces Postfix's main.cf and master.cf.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
run=${CAPTURE_DIR:-/tmp/mailcensus-capture}
out="$repo/Logs/captured"
domain=namdinh.gov.vn
say() { echo "capture: $*" >&2; }

[ "$(id -u)" -eq 0 ] || { say "run it as root (it installs and starts Postfix and Dovecot)"; exit 2; }
exec </dev/null

# --- 1. packages ---------------------------------------------------------------------------------
packages=(postfix dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd dovecot-submissiond rsyslog python3)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    echo "postfix postfix/mailname string mail.$domain" | debconf-set-selections
    # Packages must not start their daemons (Debian's Dovecot would listen on every address).
    own_policy=no
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        own_policy=yes
    fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    [ "$own_policy" = yes ] && rm -f /usr/sbin/policy-rc.d
fi

# --- stopping (a previous run's servers too) ----------------------------------------------------
devlog_link=""
[ -L /dev/log ] && devlog_link=$(readlink /dev/log)

listening() { # PORT: is something listening on it (read from /proc, so no connection is logged)?
    local hex
    hex=$(printf '%04X' "$1")
    awk -v port=":$hex" '$4 == "0A" && substr($2, length($2) - 4) == port { found = 1 } END { exit !found }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
wait_until() { # SECONDS COMMAND...: poll until the command succeeds
    local deadline=$((SECONDS + $1)); shift
    until "$@"; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.2
    done
}
gone() { ! kill -0 "$1" 2>/dev/null; }
stop_pidfile() { # PIDFILE: end the process it names, and wait for it
    local pid
    [ -f "$1" ] || return 0
    pid=$(cat "$1")
    if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
        wait_until 10 gone "$pid" || kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$1"
}
postfix_stopped() { ! postfix status >/dev/null 2>&1; }
stop_servers() {
    if command -v postfix >/dev/null && ! postfix_stopped; then
        postfix stop >/dev/null 2>&1 || true
        wait_until 20 postfix_stopped || say "Postfix did not stop"
    fi
    if [ -f "$run/dovecot.conf" ] && [ -f "$run/dovecot-run/master.pid" ]; then
        local pid
        pid=$(cat "$run/dovecot-run/master.pid")
        doveadm -c "$run/dovecot.conf" stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
        wait_until 20 gone "$pid" || say "Dovecot did not stop"
    fi
    # A Dovecot started with Debian's own configuration would hold the same ports.
    if [ -f /run/dovecot/master.pid ] && ! gone "$(cat /run/dovecot/master.pid)"; then
        doveadm stop >/dev/null 2>&1 || true
    fi
    stop_pidfile "$run/sink.pid"
    stop_pidfile "$run/filter.pid"
}
stop_logging() {
    stop_pidfile "$run/rsyslogd.pid"
    if [ -n "$devlog_link" ] && [ ! -L /dev/log ]; then
        rm -f /dev/log
        ln -s "$devlog_link" /dev/log
    fi
}
cleanup() { stop_servers; stop_logging; }
trap cleanup EXIT

stop_servers
stop_logging
# Start from an empty queue: nothing of an earlier run may leak into this capture.
command -v postsuper >/dev/null && { postsuper -d ALL >/dev/null 2>&1 || true; }
rm -rf "$run"
mkdir -p "$run/mail" "$run/logs"
chown mail:mail "$run/mail"

# --- 2. rsyslog: the same mail messages in classic, ISO 8601 and RFC 5424 form ------------------
cat > "$run/rsyslog.conf" <<CONF
global(localHostname="mail" workDirectory="$run")
module(load="imuxsock" SysSock.Name="/dev/log" SysSock.RateLimit.Interval="0")
mail.* action(type="omfile" file="$run/logs/mail.log" template="RSYSLOG_TraditionalFileFormat")
mail.* action(type="omfile" file="$run/logs/mail-iso.log" template="RSYSLOG_FileFormat")
mail.* action(type="omfile" file="$run/logs/mail-rfc5424.log" template="RSYSLOG_SyslogProtocol23Format")
CONF
rsyslogd -N1 -f "$run/rsyslog.conf" >/dev/null 2>&1 || { rsyslogd -N1 -f "$run/rsyslog.conf"; exit 1; }
rm -f /dev/log
rsyslogd -f "$run/rsyslog.conf" -i "$run/rsyslogd.pid"
wait_until 10 test -S /dev/log || { say "rsyslogd did not open /dev/log"; exit 1; }
wait_until 10 test -s "$run/rsyslogd.pid"

# --- the province's maps, users and the outside world -------------------------------------------
python3 "$repo/Scripts/capture/drive.py" setup "$run" /etc/postfix
mapfile -t sink_args < "$run/sink-args"
python3 "$repo/Scripts/capture/smtp_peer.py" sink 2525 "${sink_args[@]}" &
echo $! > "$run/sink.pid"
python3 "$repo/Scripts/capture/smtp_peer.py" filter 10024 10025 &
echo $! > "$run/filter.pid"
wait_until 10 listening 2525 && wait_until 10 listening 10024 || { say "the SMTP peers did not start"; exit 1; }

# --- Dovecot -------------------------------------------------------------------------------------
cat > "$run/dovecot.conf" <<CONF
# mailcensus capture: a test configuration, loopback only.
protocols = imap pop3 lmtp submission
listen = 127.0.0.1
base_dir = $run/dovecot-run
state_dir = $run/dovecot-state
hostname = mail.$domain
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
syslog_facility = mail
first_valid_uid = 8
mail_location = maildir:$run/mail/%d/%n
passdb {
  driver = passwd-file
  args = scheme=SHA512-CRYPT $run/users
}
userdb {
  driver = static
  args = uid=mail gid=mail home=$run/mail/%d/%n
}
service lmtp {
  unix_listener /var/spool/postfix/private/dovecot-lmtp {
    mode = 0600
    user = postfix
    group = postfix
  }
}
service auth {
  unix_listener /var/spool/postfix/private/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}
service submission-login {
  inet_listener submission {
    port = 1587
  }
}
submission_relay_host = 127.0.0.1
submission_relay_port = 25
CONF

# --- Postfix -------------------------------------------------------------------------------------
for file in main.cf master.cf; do
    if [ -f "/etc/postfix/$file" ] && ! grep -q "mailcensus capture" "/etc/postfix/$file"; then
        cp "/etc/postfix/$file" "/etc/postfix/$file.mailcensus-old"
    fi
done
cat > /etc/postfix/main.cf <<CONF
# mailcensus capture (Scripts/capture-real-logs.sh): a test configuration, loopback only.
compatibility_level = 3.6
myhostname = mail.$domain
mydomain = $domain
myorigin = $domain
mydestination = localhost
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
biff = no
append_dot_mydomain = no
smtputf8_enable = no
notify_classes =
delay_warning_time = 0
virtual_mailbox_domains = $domain stttt.$domain
virtual_mailbox_maps = texthash:/etc/postfix/mailcensus-mailboxes
virtual_alias_maps = texthash:/etc/postfix/mailcensus-virtual
virtual_transport = lmtp:unix:private/dovecot-lmtp
transport_maps = texthash:/etc/postfix/mailcensus-transport
default_transport = error:outside mail is routed to the capture's sink only
relay_transport = error:outside mail is routed to the capture's sink only
content_filter = smtp:[127.0.0.1]:10024
smtpd_sasl_type = dovecot
smtpd_sasl_path = private/auth
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
minimal_backoff_time = 5s
maximal_backoff_time = 10s
queue_run_delay = 5s
smtp_tls_security_level = none
smtpd_tls_security_level = none
smtp_dns_support_level = disabled
CONF
cat > /etc/postfix/master.cf <<'CONF'
# mailcensus capture (Scripts/capture-real-logs.sh): a test configuration, loopback only, no chroot.
smtp       inet  n  -  n  -  -  smtpd
submission inet  n  -  n  -  -  smtpd
  -o syslog_name=postfix/submission
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
127.0.0.1:10025 inet n - n - - smtpd
  -o content_filter=
  -o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters,no_address_mappings
  -o smtpd_sasl_auth_enable=no
  -o mynetworks=127.0.0.0/8
pickup     unix  n  -  n  60 1  pickup
cleanup    unix  n  -  n  -  0  cleanup
qmgr       unix  n  -  n  300 1 qmgr
tlsmgr     unix  -  -  n  1000? 1 tlsmgr
rewrite    unix  -  -  n  -  -  trivial-rewrite
bounce     unix  -  -  n  -  0  bounce
defer      unix  -  -  n  -  0  bounce
trace      unix  -  -  n  -  0  bounce
verify     unix  -  -  n  -  1  verify
flush      unix  n  -  n  1000? 0 flush
proxymap   unix  -  -  n  -  -  proxymap
smtp       unix  -  -  n  -  -  smtp
relay      unix  -  -  n  -  -  smtp
showq      unix  n  -  n  -  -  showq
error      unix  -  -  n  -  -  error
retry      unix  -  -  n  -  -  error
discard    unix  -  -  n  -  -  discard
lmtp       unix  -  -  n  -  -  lmtp
anvil      unix  -  -  n  -  1  anvil
scache     unix  -  -  n  -  1  scache
postlog    unix-dgram n - n - 1 postlogd
CONF
postfix check
dovecot -c "$run/dovecot.conf"
postfix start >/dev/null 2>&1
for port in 25 587 10025 143 110 1587; do
    wait_until 20 listening "$port" || { say "nothing listens on 127.0.0.1:$port"; exit 1; }
done
wait_until 10 test -S /var/spool/postfix/private/auth
wait_until 10 test -S /var/spool/postfix/private/dovecot-lmtp
sleep 1

# --- 3. the province -----------------------------------------------------------------------------
say "driving the scenario"
python3 "$repo/Scripts/capture/drive.py" run "$run/truth.json" "$run/scenario.md"

# --- 4. stop, check, copy ------------------------------------------------------------------------
sleep 1
stop_servers
sleep 1
stop_logging
trap - EXIT
cp "$run/truth.json" "$run/logs/truth.json"
python3 "$repo/Scripts/capture/check.py" "$run/logs"

postfix_version=$(postconf -h mail_version)
dovecot_version=$(dovecot --version | cut -d' ' -f1)
rsyslog_version=$(rsyslogd -v | head -1 | awk '{print $2}')
mkdir -p "$out"
cp "$run"/logs/mail.log "$run"/logs/mail-iso.log "$run"/logs/mail-rfc5424.log "$run/truth.json" "$out/"
{
cat <<EOF
# Logs captured from a real Postfix and Dovecot

Written by \`Scripts/capture-real-logs.sh\` on $(date -u +%Y-%m-%d) with Postfix $postfix_version,
Dovecot $dovecot_version and rsyslog $rsyslog_version (Debian $(cut -d. -f1 /etc/debian_version 2>/dev/null || echo 12)'s packages).
Times and queue ids change with each capture; the truth does not.

| file | what |
|---|---|
| \`mail.log\` | the mail facility in rsyslog's traditional format (\`Nov 25 08:09:01 mail postfix/smtpd[123]: …\`, \`RSYSLOG_TraditionalFileFormat\`) |
| \`mail-iso.log\` | the same messages with high-precision ISO 8601 stamps (\`RSYSLOG_FileFormat\`) |
| \`mail-rfc5424.log\` | the same messages as RFC 5424 (\`RSYSLOG_SyslogProtocol23Format\`). rsyslog makes APP-NAME of the tag cut at its first \`/\`, so every Postfix line says only \`postfix\` there: \`postfix/submission/smtpd\`, \`postfix/qmgr\` and \`postfix/lmtp\` can be told apart only by what the line says |
| \`truth.json\` | per address, what the scenario did, in the shape of \`mailcensus activity --format json\` (less \`first_seen\`/\`last_seen\`), with \`messages\` and \`bounce_notifications\` |

## How it was made

As root, on a Debian 12 test machine (the script installs what is missing through apt-get,
replaces \`/etc/postfix/main.cf\` and \`master.cf\`, keeping the old ones as \`*.mailcensus-old\`,
and runs everything on 127.0.0.1 only, leaving Postfix and Dovecot stopped):

\`\`\`sh
bash Scripts/capture-real-logs.sh      # or: make capture
\`\`\`

It runs rsyslogd writing the mail facility three ways; Postfix with a \`submission\` service on
587 (SASL through Dovecot's auth socket, so its lines say \`postfix/submission/smtpd\`), virtual
mailboxes for \`$domain\` and \`stttt.$domain\` delivered by Dovecot LMTP, a virtual alias map and
\`content_filter = smtp:[127.0.0.1]:10024\`; a small content filter in the manner of amavis
(\`Scripts/capture/smtp_peer.py filter\`) that hands every message back to a second smtpd on
127.0.0.1:10025 (\`content_filter =\` empty there), so each message has two queue ids, joined by
the first hop's reply \`250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as …\`;
Dovecot with IMAP, POP3, LMTP and submission (its \`submission-login\` on 1587); and, for the
outside world, \`smtp_peer.py sink\` on 127.0.0.1:2525, to which \`transport_maps\` send
gmail.com, yahoo.com, yahoo.com.vn and example.com. The sink answers 451 once for one recipient
(Postfix defers, the driver flushes the queue with \`postqueue -f\` until it is delivered) and
550 for another (Postfix bounces and sends a notification, \`from=<>\`, to the official sender,
delivered by LMTP). \`Scripts/capture/drive.py\` drives the province below with Python's
smtplib, imaplib and poplib, waits for an empty queue, and writes the truth from its own
bookkeeping; \`Scripts/capture/check.py\` then reads \`mail.log\` with a few regular expressions
and the capture fails unless it agrees with the truth exactly.

## The province

Nine mailboxes in Dovecot's passwd-file: \`annv\`, \`binhtt\`, \`cuongpq\`, \`dunglt\`, \`hoanx\`,
\`lanpt\`, \`minhvq\`, \`ngocbt\` at \`$domain\`, and \`thuhn@stttt.$domain\`. Virtual aliases:
\`vanphong@$domain\` → annv and binhtt; \`chuyentiep@$domain\` → \`hoanx.personal@gmail.com\`
(forwarding only); \`minhvq@$domain\` → itself and \`minhvq.nd@gmail.com\` (keeps a copy and
forwards). \`thanhvt@$domain\` has no mailbox: Postfix refuses it at RCPT (\`NOQUEUE: reject\` when
it is the only recipient, \`<queue id>: reject\` when another was accepted first): neither is a
message for it. \`tuyenld@$domain\` has no account either; a POP3 login tries it.

Messages, in order (port 587 = authenticated submission; 25 = mail from outside, no auth):

EOF
cat "$run/scenario.md"
cat <<'EOF'

Logins above are made after the queue is empty. `smtp-auth` is a wrong password given to
Postfix's own SASL on 587: Postfix logs `warning: …: SASL PLAIN authentication failed:` with no
user name, so it counts for nobody. `probe` logs out without trying to log in (`Aborted login by
logging out (no auth attempts …)`, no user).

## What the truth means (DESIGN.md's definitions, exactly)

- `submitted`: messages accepted whose smtpd line has `sasl_username=U`, once per message
  whatever its number of recipients; the content filter's re-injection is the same message.
- `received`: deliveries into mailbox U with `status=sent` by lmtp/virtual/local/pipe; a message
  to an alias counts once for each final mailbox; deliveries to the sink (smtp) are no one's
  "received"; bounce notifications (`from=<>`) are excluded from every count.
- `logins`: Dovecot `imap-login`/`pop3-login`/`submission-login` `Login: user=<U>` lines per
  protocol; `failed`: the failed attempts of Dovecot's `(auth failed, N attempts in …): user=<U>`
  lines, N each.
- `correspondents`: for each message that is not a bounce notification, its envelope sender and
  each of its final recipients (the `to=` of its delivery lines, after alias expansion, whatever
  the status: sent, deferred or bounced; once per message and recipient) correspond with each
  other; the number of distinct addresses each address corresponded with, by the other's class:
  `official` (namdinh.gov.vn and subdomains), `webmail` (DESIGN.md's list: gmail.com, yahoo.com,
  yahoo.com.vn, …), `other`. No one writes to himself here.
- `messages`: distinct messages accepted, bounce notifications not counted and re-injection not
  counted twice; `bounce_notifications`: the notifications Postfix sent (`from=<>`).
- Every address that takes part in a message or a login is listed, in lower case, sorted, with
  zeros where nothing applies; addresses refused at RCPT take part in no message.
EOF
} > "$out/README.md"
say "captured $(wc -l < "$out/mail.log") lines into $out (Postfix $postfix_version, Dovecot $dovecot_version); Postfix and Dovecot are stopped"
