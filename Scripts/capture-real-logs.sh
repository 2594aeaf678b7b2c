#!/usr/bin/env bash
# Captures logs from a real Postfix + Dovecot on 127.0.0.1, with the truth of what was done.
#
#   bash Scripts/capture-real-logs.sh        (as root; `make capture` does the same)
#   CAPTURE_SCENARIOS=census bash Scripts/capture-real-logs.sh     (one of the two only)
#   CAPTURE_SCENARIOS=clients bash Scripts/capture-real-logs.sh    (`make capture-clients`)
#
# On a Debian 12 machine (no terminal needed) it:
#   1. installs what is missing through apt-get (Postfix "No configuration", Dovecot with
#      imapd/pop3d/lmtpd/submissiond, rsyslog, faketime), without letting the packages start
#      services;
#   2. for each scenario, runs rsyslogd (directly, no systemd) writing the mail facility in three
#      formats, two small SMTP peers of Scripts/capture/smtp_peer.py (the outside world's servers
#      on :2525, a content filter on :10024 re-injecting into Postfix on :10025), Dovecot (its
#      configuration in the run folder) and Postfix (its configuration written to /etc/postfix,
#      the previous files kept as *.mailcensus-old, with header_checks logging every From
#      header), everything on 127.0.0.1 only;
#   3. drives the scenario through them and writes its truth from the driver's bookkeeping:
#      - small  (Scripts/capture/drive.py): per-address activity, one session, real time;
#      - census (Scripts/capture/census.py): a province of 55 staff, person by person, over five
#        working days of November 2026, two sessions a day, rsyslog, Postfix and Dovecot
#        restarted for each under faketime (the clock moved to that session, Asia/Ho_Chi_Minh);
#      - clients (Scripts/capture/clients.py, only when asked for): 25 staff reaching their
#        mailbox over three days through a real Roundcube (Debian's package, served by PHP's
#        built-in server on 127.0.0.1:8080, installed here through apt-get), IMAP clients that send
#        the ID command of common mail apps, and POP3; Dovecot with imap_id_log = *; into
#        Logs/captured-clients/ with Roundcube's userlogins.log and the truth per person;
#   4. stops everything it started, cross-checks the logs against the truth
#      (Scripts/capture/check.py: the capture fails if they disagree), and copies logs, truth
#      and a README into Logs/captured/ (small) and Logs/captured-census/ (census, with HR's
#      roster.csv and a policy.yaml).
#
# Running it again stops a previous run's servers, starts afresh and overwrites the captures.
# Meant for a test or development machine: it takes over /dev/log while it runs (and puts back
# a /dev/log symlink it found) and replaces Postfix's main.cf and master.cf.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
run=${CAPTURE_DIR:-/tmp/mailcensus-capture}
scenarios=${CAPTURE_SCENARIOS:-small census}
domain=namdinh.gov.vn
say() { echo "capture: $*" >&2; }

[ "$(id -u)" -eq 0 ] || { say "run it as root (it installs and starts Postfix and Dovecot)"; exit 2; }
exec </dev/null
for scenario in $scenarios; do
    case $scenario in small|census|clients) ;; *) say "unknown scenario $scenario (small, census, clients)"; exit 2 ;; esac
done

# --- 1. packages ---------------------------------------------------------------------------------
packages=(postfix dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd dovecot-submissiond rsyslog python3 faketime tzdata)
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
faketime_lib=$(dpkg -L libfaketime | grep '/libfaketime\.so\.1$' | head -1)
[ -f "$faketime_lib" ] || { say "libfaketime.so.1 not found"; exit 1; }

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
    stop_pidfile "$run/php.pid"
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
rm -rf "$run"
mkdir -p "$run"

# --- configuration -------------------------------------------------------------------------------
# rsyslog: the same mail messages in classic, ISO 8601 and RFC 5424 form. UseSysTimeStamp="off"
# makes rsyslog stamp each message with its own clock (which faketime moves), not with the
# kernel's reception time of the datagram (which faketime cannot move).
write_rsyslog_conf() { # DIR
    cat > "$run/rsyslog.conf" <<CONF
global(localHostname="mail" workDirectory="$run")
module(load="imuxsock" SysSock.Name="/dev/log" SysSock.RateLimit.Interval="0" SysSock.UseSysTimeStamp="off")
mail.* action(type="omfile" file="$1/logs/mail.log" template="RSYSLOG_TraditionalFileFormat")
mail.* action(type="omfile" file="$1/logs/mail-iso.log" template="RSYSLOG_FileFormat")
mail.* action(type="omfile" file="$1/logs/mail-rfc5424.log" template="RSYSLOG_SyslogProtocol23Format")
CONF
    rsyslogd -N1 -f "$run/rsyslog.conf" >/dev/null 2>&1 || { rsyslogd -N1 -f "$run/rsyslog.conf"; exit 1; }
}

write_dovecot_conf() { # DIR
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
# faketime's variables reach Dovecot's processes (they are unset outside the census).
import_environment = TZ CORE_OUTOFMEM CORE_ERROR LISTEN_PID LISTEN_FDS NOTIFY_SOCKET LD_PRELOAD FAKETIME FAKETIME_DONT_FAKE_MONOTONIC
mail_location = maildir:$1/mail/%d/%n
passdb {
  driver = passwd-file
  args = scheme=SHA512-CRYPT $1/users
}
userdb {
  driver = static
  args = uid=mail gid=mail home=$1/mail/%d/%n
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
}

for file in main.cf master.cf; do
    if [ -f "/etc/postfix/$file" ] && ! grep -q "mailcensus capture" "/etc/postfix/$file"; then
        cp "/etc/postfix/$file" "/etc/postfix/$file.mailcensus-old"
    fi
done
# Log every message's From header, once: by the cleanup behind the smtpd that accepted it. The
# re-injection smtpd on 10025 has no_header_body_checks (as Postfix's FILTER_README and amavis
# set it up), and Postfix's own bounce notifications get no header checks.
echo '/^From:/ INFO' > /etc/postfix/mailcensus-header_checks

write_postfix_conf() { # SMTPUTF8 (yes or no)
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
smtputf8_enable = $1
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
header_checks = regexp:/etc/postfix/mailcensus-header_checks
smtpd_sasl_type = dovecot
smtpd_sasl_path = private/auth
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
minimal_backoff_time = 5s
maximal_backoff_time = 10s
queue_run_delay = 5s
smtp_tls_security_level = none
smtpd_tls_security_level = none
smtp_dns_support_level = disabled
# faketime's variables reach Postfix's daemons (they are unset outside the census).
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ XAUTHORITY DISPLAY LANG=C POSTLOG_SERVICE POSTLOG_HOSTNAME LD_PRELOAD FAKETIME FAKETIME_DONT_FAKE_MONOTONIC
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
}

# --- one session: start everything, and stop it ------------------------------------------------
start_all() { # ENV...: rsyslogd, the peers, Dovecot and Postfix; the daemons with ENV (faketime's)
    rm -f /dev/log
    env "$@" rsyslogd -f "$run/rsyslog.conf" -i "$run/rsyslogd.pid"
    wait_until 10 test -S /dev/log || { say "rsyslogd did not open /dev/log"; exit 1; }
    wait_until 10 test -s "$run/rsyslogd.pid"
    local sink_args
    mapfile -t sink_args < "$dir/sink-args"
    python3 "$repo/Scripts/capture/smtp_peer.py" sink 2525 "${sink_args[@]}" &
    echo $! > "$run/sink.pid"
    python3 "$repo/Scripts/capture/smtp_peer.py" filter 10024 10025 &
    echo $! > "$run/filter.pid"
    wait_until 10 listening 2525 && wait_until 10 listening 10024 || { say "the SMTP peers did not start"; exit 1; }
    env "$@" dovecot -c "$run/dovecot.conf"
    env "$@" postfix start >/dev/null 2>&1
    local port
    for port in 25 587 10025 143 110 1587; do
        wait_until 20 listening "$port" || { say "nothing listens on 127.0.0.1:$port"; exit 1; }
    done
    wait_until 10 test -S /var/spool/postfix/private/auth
    wait_until 10 test -S /var/spool/postfix/private/dovecot-lmtp
    sleep 1
}
stop_all() {
    sleep 1
    stop_servers
    sleep 1
    stop_logging
}
new_scenario() { # NAME: its folder ($dir), an empty queue, rsyslog's and Dovecot's configuration
    dir="$run/$1"
    mkdir -p "$dir/mail" "$dir/logs"
    chown mail:mail "$dir/mail"
    # Start from an empty queue: nothing of an earlier run may leak into this capture.
    postsuper -d ALL >/dev/null 2>&1 || true
    rm -rf "$run/dovecot-run" "$run/dovecot-state"
    write_rsyslog_conf "$dir"
    write_dovecot_conf "$dir"
}

postfix_version=$(postconf -h mail_version)
dovecot_version=$(dovecot --version | cut -d' ' -f1)
rsyslog_version=$(rsyslogd -v | head -1 | awk '{print $2}')
faketime_version=$(dpkg-query -W -f='${Version}' faketime)
debian_version=$(cut -d. -f1 /etc/debian_version 2>/dev/null || echo 12)

# === the small scenario: Logs/captured ===========================================================
capture_small() {
    local out="$repo/Logs/captured"
    new_scenario small
    python3 "$repo/Scripts/capture/drive.py" setup "$dir" /etc/postfix
    # smtputf8_enable = no, as on many servers: Postfix logs raw UTF-8 in headers as "?".
    write_postfix_conf no
    start_all
    say "small: driving the scenario"
    python3 "$repo/Scripts/capture/drive.py" run "$dir/truth.json" "$dir/scenario.md"
    stop_all
    cp "$dir/truth.json" "$dir/logs/truth.json"
    python3 "$repo/Scripts/capture/check.py" "$dir/logs" --mangled-utf8
    mkdir -p "$out"
    cp "$dir"/logs/mail.log "$dir"/logs/mail-iso.log "$dir"/logs/mail-rfc5424.log "$dir/truth.json" "$out/"
    local run="$dir"
{
cat <<EOF
# Logs captured from a real Postfix and Dovecot

Written by \`Scripts/capture-real-logs.sh\` on $(date -u +%Y-%m-%d) with Postfix $postfix_version,
Dovecot $dovecot_version and rsyslog $rsyslog_version (Debian $debian_version's packages).
Times and queue ids change with each capture; the truth does not.

| file | what |
|---|---|
| \`mail.log\` | the mail facility in rsyslog's traditional format (\`Nov 25 08:09:01 mail postfix/smtpd[123]: …\`, \`RSYSLOG_TraditionalFileFormat\`) |
| \`mail-iso.log\` | the same messages with high-precision ISO 8601 stamps (\`RSYSLOG_FileFormat\`) |
| \`mail-rfc5424.log\` | the same messages as RFC 5424 (\`RSYSLOG_SyslogProtocol23Format\`). rsyslog makes APP-NAME of the tag cut at its first \`/\`, so every Postfix line says only \`postfix\` there: \`postfix/submission/smtpd\`, \`postfix/qmgr\` and \`postfix/lmtp\` can be told apart only by what the line says |
| \`truth.json\` | per address, what the scenario did, in the shape of \`mailcensus activity --format json\` (less \`first_seen\`/\`last_seen\`), with \`messages\`, \`bounce_notifications\`, \`forwards\` and \`from_headers\` (each sender's From header as sent, and how many messages) |

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
\`header_checks = regexp:/etc/postfix/mailcensus-header_checks\` with the one line \`/^From:/ INFO\`, so
the cleanup behind the first smtpd logs each message's From header once (\`postfix/cleanup[…]: QID:
info: header From: … from localhost[127.0.0.1]; from=<…> to=<…> proto=ESMTP helo=<…>\`, \`to=\` the
first envelope recipient only): the re-injection smtpd has
\`receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters,no_address_mappings\`
(no second header line, and aliases are expanded before the filter only), and Postfix's own
bounce notification gets no header checks. This server has \`smtputf8_enable = no\`: Postfix logs
each byte of raw UTF-8 in a header as \`?\` (\`From: "Nguyễn Văn An" <annv@…>\` is logged
\`"Nguy???n V??n An" <annv@…>\`); RFC 2047 encoded words (\`=?UTF-8?B?…?=\`, \`=?UTF-8?Q?…?=\`) are
logged as sent (\`Logs/captured-census\` has \`smtputf8_enable = yes\`);
Dovecot with IMAP, POP3, LMTP and submission (its \`submission-login\` on 1587); and, for the
outside world, \`smtp_peer.py sink\` on 127.0.0.1:2525, to which \`transport_maps\` send
gmail.com, yahoo.com, yahoo.com.vn and example.com. The sink answers 451 once for one recipient
(Postfix defers, the driver flushes the queue with \`postqueue -f\` until it is delivered) and
550 for another (Postfix bounces and sends a notification, \`from=<>\`, to the official sender,
delivered by LMTP). \`Scripts/capture/drive.py\` drives the province below with Python's
smtplib, imaplib and poplib, waits for an empty queue, and writes the truth from its own
bookkeeping; \`Scripts/capture/check.py\` then reads \`mail.log\` with a few regular expressions
and the capture fails unless it agrees with the truth exactly, From header lines included.

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
  "received". A bounce notification (`from=<>`) delivered into a mailbox counts as received
  (a delivery, though nobody's correspondence): lanpt's is 1 of her `received`; notifications
  count nowhere else (not in `submitted`, `correspondents` or `messages`).
- `logins`: Dovecot `imap-login`/`pop3-login`/`submission-login` `Login: user=<U>` lines per
  protocol; `failed`: the failed attempts of Dovecot's `(auth failed, N attempts in …): user=<U>`
  lines, N each.
- `correspondents`: for each message that is not a bounce notification, its envelope sender and
  each of its final recipients (the `to=` of its delivery lines, after alias expansion, whatever
  the status: sent, deferred or bounced; once per message and recipient) correspond with each
  other; the number of distinct addresses each address corresponded with, by the other's class:
  `official` (namdinh.gov.vn and subdomains), `webmail` (DESIGN.md's list: gmail.com, yahoo.com,
  yahoo.com.vn, …), `other`. No one writes to himself here.
- `from_headers`: per envelope sender, its From header as sent and its number of messages;
  Postfix logs one `info: header From:` line for each message (raw UTF-8 as `?`).
- `messages`: distinct messages accepted, bounce notifications not counted and re-injection not
  counted twice; `bounce_notifications`: the notifications Postfix sent (`from=<>`).
- Every address that takes part in a message or a login is listed, in lower case, sorted, with
  zeros where nothing applies; addresses refused at RCPT take part in no message.
EOF
} > "$out/README.md"

    say "small: captured $(wc -l < "$out/mail.log") lines into $out"
}

# === the census scenario: Logs/captured-census ===================================================
capture_census() {
    local out="$repo/Logs/captured-census"
    new_scenario census
    python3 "$repo/Scripts/capture/census.py" setup "$dir" /etc/postfix "$dir/out"
    # smtputf8_enable = yes, Postfix's default at this compatibility level: UTF-8 logged as is.
    write_postfix_conf yes
    : > "$dir/done.jsonl"
    local number epoch iso offset
    while read -r number epoch iso; do
        offset=$((epoch - $(date +%s)))
        start_all LD_PRELOAD="$faketime_lib" FAKETIME="${offset}s" FAKETIME_DONT_FAKE_MONOTONIC=1 TZ=Asia/Ho_Chi_Minh
        python3 "$repo/Scripts/capture/census.py" session "$number" "$offset" "$dir"
        stop_all
    done < <(python3 "$repo/Scripts/capture/census.py" sessions)
    python3 "$repo/Scripts/capture/census.py" truth "$dir" "$dir/logs/truth.json" "$dir/scenario.md"
    python3 "$repo/Scripts/capture/check.py" "$dir/logs"
    mkdir -p "$out"
    cp "$dir"/logs/mail.log "$dir"/logs/mail-iso.log "$dir"/logs/mail-rfc5424.log "$dir/logs/truth.json" \
       "$dir/out/roster.csv" "$dir/out/policy.yaml" "$out/"
    {
    cat <<EOF
# A census captured from a real Postfix and Dovecot, with person-by-person truth

Written by \`Scripts/capture-real-logs.sh\` on $(date -u +%Y-%m-%d) with Postfix $postfix_version,
Dovecot $dovecot_version, rsyslog $rsyslog_version and faketime $faketime_version (Debian $debian_version's packages).
Queue ids, pids and the seconds of the stamps change with each capture; the days, the messages,
the logins and the truth do not.

| file | what |
|---|---|
| \`roster.csv\` | HR's roster: 55 staff in 6 departments (province, district, commune), Vietnamese names family name first, \`personal_addresses\` \`;\`-separated, one leaver |
| \`policy.yaml\` | the province's policy as a new user writes it from README.md ("Policy"): official domain, \`utc_offset: "+07:00"\`, \`login_domain\`, the departments with their lists (\`alias\`), heads and the clerks' shared mailbox, \`activity_window: 30d\`; no \`attributions\` |
| \`mail.log\` | the mail facility in rsyslog's traditional format (\`Nov 23 08:02:01 mail postfix/smtpd[123]: …\`), stamps in Vietnam's time (no zone, no year) |
| \`mail-iso.log\` | the same messages with ISO 8601 stamps at +07:00 (\`2026-11-23T08:02:01.123456+07:00\`) |
| \`mail-rfc5424.log\` | the same messages as RFC 5424 (APP-NAME \`postfix\` for every Postfix line: see \`Logs/captured/README.md\`) |
| \`truth.json\` | what the driver did, from its own bookkeeping (below) |

## How it was made

The same servers as \`Logs/captured/\` (read its README): Postfix with a submission service on
587, virtual mailboxes for \`namdinh.gov.vn\` and \`stttt.namdinh.gov.vn\` delivered by Dovecot LMTP,
a virtual alias map, an amavis-like content filter on 10024 re-injecting on 10025, and the
outside world's servers on a sink (127.0.0.1:2525), to which \`transport_maps\` send gmail.com,
yahoo.com, yahoo.com.vn, thaibinh.gov.vn and the example.com domains. What differs:

- **Five working days**, Monday 23 to Friday 27 November 2026, two sessions a day (about 08:0x
  and 14:1x, Vietnam's time). For each session rsyslogd, Dovecot and Postfix are started under
  faketime (\`LD_PRELOAD=libfaketime.so.1 FAKETIME=<offset>s FAKETIME_DONT_FAKE_MONOTONIC=1
  TZ=Asia/Ho_Chi_Minh\`, passed on to their processes by Postfix's and Dovecot's
  \`import_environment\`) and stopped once the session's queue is empty. rsyslog stamps each
  message with its own (faked) clock (\`SysSock.UseSysTimeStamp="off"\`: by default it takes the
  kernel's reception time of the datagram, which faketime cannot move). So the logs hold ten
  starts and stops (\`postfix/postfix-script[…]: starting the Postfix mail system\`,
  \`postfix/master[…]: terminating on signal 15\`, \`dovecot: master: Dovecot v… starting up …\`),
  with long silences between sessions and overnight.
- **Every From header is logged** through \`header_checks\` (\`/^From:/ INFO\`): one line per
  message accepted, by the cleanup behind the smtpd on 25 or 587 (the re-injection smtpd has
  \`receive_override_options=…,no_header_body_checks,…\`, so no second line under the second queue
  id; Postfix's bounce notification gets none):
  \`postfix/cleanup[…]: QID: info: header From: "Lê Xuân Việt" <leviet.nd@gmail.com> from localhost[127.0.0.1]; from=<leviet.nd@gmail.com> to=<vietlx@namdinh.gov.vn> proto=ESMTP helo=<mail-sor-f41.google.com>\`.
  \`to=\` is the first envelope recipient only, before alias expansion. This server has
  \`smtputf8_enable = yes\` (Postfix's default at compatibility level 3.6), so raw UTF-8 is logged
  as sent; \`Logs/captured\` has \`no\`, where each of its bytes is logged as \`?\`. Encoded words
  (\`=?UTF-8?B?…?=\`, \`=?UTF-8?Q?…?=\`) are logged undecoded, and a folded header's line break is
  logged as \`?\` (\`=?UTF-8?B?…?=? <phuongthao.snv@gmail.com>\`).
- Official senders' mail clients give their From headers display names in several forms (raw
  UTF-8, B and Q encoded words, none); webmail comes in on port 25 without authentication, with
  a Google- or Yahoo-like HELO; official mail goes out to the sink.
- \`Scripts/capture/census.py\` drives it (the plan is fixed; the routine traffic between
  colleagues comes from a seeded generator), appends what it did to a journal each session, and
  writes the truth from the plan once the journal matches it. \`check.py\` then requires the logs
  to agree with the truth exactly: per-address activity, forwards, messages and bounce
  notifications, every From header line (envelope sender and header text; one per message,
  none for a re-injection or a bounce) and the number of messages of each day in
  \`mail-iso.log\`.

## The province

EOF
    cat "$dir/scenario.md"
    cat <<'EOF'

Besides the scripted messages above, each official user with a sending habit writes that many
messages a working day from the official address to a colleague of the department (now and
then to another department's head or list), and official users read their mailbox by IMAP,
POP3 or Dovecot's submission service (1587) on their days: all of it is in `truth.json`'s
per-address counts. Failed logins: the leaver once, a dormant user (ngoclt, twice in one
connection: still dormant), yenvt once. The clerks' mailbox `vanthu.vpubnd@` (the policy's
`shared`) logs in, receives the VPUBND list's mail and answers once.

The department lists (`vanphong@`, `snv@`, `stttt@`, `stc@`, `myloc@`, `mythanh@`) expand to the
department's active staff with an official address (and, for VPUBND, the clerks' mailbox). A
list reaching `duyenbt@stttt.namdinh.gov.vn` (forwarding only) or `khoadv@` (keeps a copy and
forwards) goes on to their Gmail with `orig_to=<the list>`, not `orig_to=<their address>`:
Postfix logs the original recipient as received, so `forwards` has those pairs under the list.

## What the truth means

- `addresses`, `messages`, `bounce_notifications`, `forwards`: per address and in total, exactly
  as in `Logs/captured/truth.json` (see its README), by DESIGN.md's definitions; `received`
  counts the bounce notification delivered into hanhtt's mailbox.
- `from_headers`: per envelope sender, each From header as sent (`\r\n ` where it is folded),
  the display name a reader decodes from it (`null`: none), and the number of messages.
- `messages_per_day`: messages accepted on each day (Vietnam's calendar).
- `period`: the capture's first and last day; the census period is the whole capture.
- `categories`: the number of active staff in each category; `left` is the leaver, not counted.
- `staff`: one entry per roster line: `employee_id`, `full_name`, `department_code`, `status`,
  `official_address`, `account` (a mailbox exists), `forwards` (the official address is relayed
  to Gmail), `official_active` (a submission with `sasl_username` or a successful Dovecot login in
  the period), `webmail_signal`, `category` (`official`, `mixed`, `webmail`, `dormant`,
  `no-account`; `null` for the leaver), `declared_unused` (personal addresses of the roster that
  never showed up) and `webmail_used`: each public webmail address the person really used to
  exchange mail with an official address in the period (or that the official address forwards
  to), with `declared` (in the roster's `personal_addresses`), `display_name_logged` (at least
  one message from it had a display name in its From header, so Postfix logged one),
  `display_names` (decoded), `attributable` (false for the address two people share),
  `messages_to_official` (messages from it with an official final recipient),
  `messages_from_official` (messages from an official sender to it, attempted),
  `forwarded_messages` (copies that reached it through a list or a forwarding address) and
  `self_mail` (mail between it and the person's own official address, either way; through the
  department's list too).
- Categories follow DESIGN.md with the attributable addresses of `webmail_used` (forwarding
  included) as the person's webmail signal. No category depends on the shared address: both who
  use it have an address of their own as well.
- `not_attributable`: webmail addresses that must not be tied to any staff member, with
  `used_by` (staff ids, for the shared one), the display names logged, and why.
EOF
    } > "$out/README.md"
    say "census: captured $(wc -l < "$out/mail.log") lines into $out"
}

# === the clients scenario: Logs/captured-clients ==================================================
# Roundcube (Debian's package) and PHP, installed only for this scenario: Debian's `php` package
# would pull Apache in; php8.2-cgi satisfies it instead, and PHP's built-in server (php-cli) serves
# Roundcube on 127.0.0.1:8080. dbconfig-common is told not to set up a database (the capture makes
# its own SQLite file).
install_roundcube() {
    local wanted=(roundcube-core roundcube-sqlite3 php8.2-cgi) missing=() package
    for package in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    echo "roundcube-core roundcube/dbconfig-install boolean false" | debconf-set-selections
    local own_policy=no
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        own_policy=yes
    fi
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    [ "$own_policy" = yes ] && rm -f /usr/sbin/policy-rc.d
    return 0
}

# Dovecot's lines for client evidence (documented in README.md, "Client evidence"): the fields of
# every ID command, and where each login comes from (rip=; Dovecot's default format, written out).
dovecot_client_lines() {
    cat <<'CONF'
# mailcensus clients capture: log every field of the IMAP ID command, and each login's rip=.
imap_id_log = *
login_log_format_elements = user=<%u> method=%m rip=%r lip=%l mpid=%e %c session=<%{session}>
CONF
}

write_roundcube_conf() { # DIR: Roundcube's configuration folder, its database, logs and temp
    local rc="$1/roundcube"
    rm -rf "$rc"
    mkdir -p "$rc/config" "$rc/logs" "$rc/temp"
    cp /etc/roundcube/defaults.inc.php /etc/roundcube/mimetypes.php "$rc/config/"
    cat > "$rc/config/config.inc.php" <<CONF
<?php
// mailcensus clients capture: Roundcube in front of the capture's Dovecot, loopback only.
\$config = [];
\$config['db_dsnw'] = 'sqlite:///$rc/roundcube.sqlite?mode=0640';
\$config['imap_host'] = '127.0.0.1:143';
\$config['smtp_host'] = '127.0.0.1:587';
\$config['smtp_user'] = '%u';
\$config['smtp_pass'] = '%p';
\$config['des_key'] = 'mailcensus-capture-0123456';
\$config['plugins'] = [];
\$config['skin'] = 'elastic';
\$config['log_driver'] = 'file';
\$config['log_dir'] = '$rc/logs/';
\$config['temp_dir'] = '$rc/temp/';
// The login log: logs/userlogins.log, one line per successful or failed login.
\$config['log_logins'] = true;
// Roundcube's default stamp, written out: [30-Nov-2026 08:10:13 +0700].
\$config['log_date_format'] = 'd-M-Y H:i:s O';
// The province's reverse proxy: its X-Forwarded-For header is logged after the address.
\$config['proxy_whitelist'] = ['127.0.0.1'];
// Several staff fail in the same minute from the same office: no lockout in the capture.
\$config['login_rate_limit'] = 0;
CONF
    php -r '$db = new PDO("sqlite:" . $argv[1]); $db->exec(file_get_contents("/usr/share/roundcube/SQL/sqlite.initial.sql")) !== false or exit(1);' \
        "$rc/roundcube.sqlite"
}

start_roundcube() { # ENV...: PHP's built-in server with Roundcube, on 127.0.0.1:8080
    env "$@" ROUNDCUBE_CONFIG_DIR="$dir/roundcube/config" \
        php -d date.timezone=Asia/Ho_Chi_Minh -d display_errors=stderr \
        -S 127.0.0.1:8080 -t /var/lib/roundcube/public_html >> "$dir/roundcube/php-server.log" 2>&1 &
    echo $! > "$run/php.pid"
    wait_until 20 listening 8080 || { say "Roundcube (PHP) does not listen on 127.0.0.1:8080"; exit 1; }
}

capture_clients() {
    local out="$repo/Logs/captured-clients"
    install_roundcube
    local roundcube_version php_version
    roundcube_version=$(dpkg-query -W -f='${Version}' roundcube-core)
    php_version=$(php -r 'echo PHP_VERSION;')
    new_scenario clients
    dovecot_client_lines >> "$run/dovecot.conf"
    python3 "$repo/Scripts/capture/clients.py" setup "$dir" /etc/postfix "$dir/out"
    write_postfix_conf yes
    write_roundcube_conf "$dir"
    : > "$dir/done.jsonl"
    local number epoch iso offset
    while read -r number epoch iso; do
        offset=$((epoch - $(date +%s)))
        local faked=(LD_PRELOAD="$faketime_lib" FAKETIME="${offset}s" FAKETIME_DONT_FAKE_MONOTONIC=1 TZ=Asia/Ho_Chi_Minh)
        start_all "${faked[@]}"
        start_roundcube "${faked[@]}"
        python3 "$repo/Scripts/capture/clients.py" session "$number" "$offset" "$dir"
        stop_pidfile "$run/php.pid"
        stop_all
    done < <(python3 "$repo/Scripts/capture/clients.py" sessions)
    python3 "$repo/Scripts/capture/clients.py" truth "$dir" "$dir/logs/truth.json" "$dir/scenario.md"
    # Roundcube's errors.log holds one "IMAP Error: Login failed for …" per wrong password, and
    # nothing else.
    touch "$dir/roundcube/logs/errors.log"
    if grep -v 'IMAP Error: Login failed for ' "$dir/roundcube/logs/errors.log" | grep -q .; then
        say "Roundcube logged errors:"; cat "$dir/roundcube/logs/errors.log" >&2; exit 1
    fi
    mkdir -p "$out"
    cp "$dir"/logs/mail.log "$dir"/logs/mail-iso.log "$dir/roundcube/logs/userlogins.log" \
       "$dir/logs/truth.json" "$dir/logs/truth.csv" "$dir/out/roster.csv" "$out/"
    cp "$dir/roundcube/logs/errors.log" "$out/roundcube-errors.log"
    {
    cat <<EOF
# How staff reach their mailbox: a capture from a real Postfix, Dovecot and Roundcube

Written by \`Scripts/capture-real-logs.sh\` (\`CAPTURE_SCENARIOS=clients\`, or \`make capture-clients\`)
on $(date -u +%Y-%m-%d) with Postfix $postfix_version, Dovecot $dovecot_version, Roundcube $roundcube_version,
PHP $php_version, rsyslog $rsyslog_version and faketime $faketime_version (Debian $debian_version's packages).
Pids, sessions and the seconds of the stamps change with each capture; the days, the logins, the
clients and the truth do not.

| file | what |
|---|---|
| \`roster.csv\` | HR's roster (the shape of \`Logs/captured-census/roster.csv\`): 25 staff in 3 departments, one without an account |
| \`mail.log\` | the mail facility in rsyslog's traditional format, stamps in Vietnam's time: Dovecot's \`Login:\`, \`ID sent:\`, \`auth failed\` lines, Postfix's delivery of one message per mailbox on the first day |
| \`mail-iso.log\` | the same messages with ISO 8601 stamps at +07:00 |
| \`userlogins.log\` | Roundcube's own login log (\`\$config['log_logins'] = true\`): \`[30-Nov-2026 08:10:13 +0700]: <sessid8> Successful login for … (ID: n) from … in session …\`, \`Failed login for … from … in session … (error: n)\` |
| \`roundcube-errors.log\` | Roundcube's errors.log: one \`IMAP Error: Login failed for … against 127.0.0.1 from … AUTHENTICATE PLAIN: Authentication failed.\` per wrong password, nothing else |
| \`truth.json\` | what the driver did, from its own bookkeeping (below) |
| \`truth.csv\` | per person: classes used, client names, failed-only, last login of each class |

## How it was made

The servers of \`Logs/captured-census/\` (read its README), on three working days, Monday 30
November to Wednesday 2 December 2026, one session a day, each under faketime (Asia/Ho_Chi_Minh),
with what follows added.

**Dovecot** (\`dovecot.conf\`, on top of the other captures' configuration):

\`\`\`
$(dovecot_client_lines | grep -v '^#')
\`\`\`

\`imap_id_log = *\` makes Dovecot log every field of each client's \`ID\` command: before the login
by \`imap-login\` (\`dovecot: imap-login: ID sent: name=Mac OS X Mail, version=…: user=<>, rip=…\`),
after it by the user's \`imap\` process (\`dovecot: imap(user@…)<pid><session>: ID sent: name=…\`).
\`login_log_format_elements\` is Dovecot's default, written out: its \`rip=%r\` says where each login
came from (127.0.0.1: Roundcube).

**Roundcube** ($roundcube_version, Debian's \`roundcube-core\` and \`roundcube-sqlite3\`), served by PHP's
built-in server (\`php -S 127.0.0.1:8080 -t /var/lib/roundcube/public_html\`, \`ROUNDCUBE_CONFIG_DIR\`
pointing at the capture's own configuration), \`imap_host = 127.0.0.1:143\`, with:

\`\`\`php
\$config['log_driver'] = 'file';
\$config['log_logins'] = true;                  // logs/userlogins.log
\$config['log_date_format'] = 'd-M-Y H:i:s O';  // Roundcube's default stamp
\$config['proxy_whitelist'] = ['127.0.0.1'];    // a reverse proxy's X-Forwarded-For is logged too
\`\`\`

The driver logs in as a browser would: \`GET /?_task=login\` (session cookie, request token), \`POST\`
of the token, user and password, then for a success the inbox page, its message list
(\`_action=list\`, with the token in \`X-Roundcube-Request\`) and \`_task=logout\`. Roundcube opens one
IMAP connection to Dovecot per request that needs the mailbox, so **one webmail login is several
Dovecot \`Login:\` lines with \`rip=127.0.0.1\`** (it sends no \`ID\` unless \`imap_debug\` is on): the
webmail login is Roundcube's \`Successful login\` line, and the Dovecot logins from the webmail host
are the same login, not others. A wrong password gives one \`Failed login\` line and one
\`auth failed\` from 127.0.0.1 in Dovecot. Browsers connect from 127.0.30.N (N: the person's
number in the roster), two through the "reverse proxy" (\`X-Forwarded-For: 10.20.x.y\`).

**IMAP clients**: Python's imaplib, from 127.0.10.N (desktops) or 127.0.20.N (phones), sending
the \`ID\` command each client really sends (below), before the login as Apple Mail on macOS does,
after it as the others do; then \`SELECT INBOX\` and \`LOGOUT\`. One person's client sends no \`ID\`.
The IT engineer (sondv) also tries broken clients: an ID whose name has 10,000 characters,
one with invalid UTF-8 bytes (a literal), one with escaped double quotes inside the name.
**POP3**: poplib, \`USER\`/\`PASS\`, \`STAT\`, \`QUIT\`.

## What the clients send (the ID command)

| client | class | ID as sent by the driver |
|---|---|---|
EOF
    python3 - "$repo/Scripts/capture" <<'PY'
import sys; sys.path.insert(0, sys.argv[1]); import clients
for key, (klass, when, fields) in clients.CLIENTS.items():
    if fields is None:
        shown = "(no ID command)"
    else:
        shown = " ".join('"%s" %s' % (k, "NIL" if v is None else '"%s"' % (
            (v.decode("latin-1").encode("unicode_escape").decode() if isinstance(v, bytes) else v.replace('"', '\\"'))
            if len(v) < 60 else v[:12] + "…(%d characters)" % len(v))) for k, v in fields)
    print("| %s | %s | `%s`%s |" % (key, klass, shown.replace("|", "\\|"), " (before the login)" if when == "before" else ""))
PY
    cat <<'EOF'

Sources: Apple Mail on macOS, `"name" "Mac OS X Mail" "version" "16.0 (…)" "os" "Mac OS X"
"os-version" "… (…)" "vendor" "Apple Inc."` (client traces quoted in public test code; Proton
Mail Bridge names `Mac OS X Mail`, `Thunderbird`, `Microsoft Outlook` and `Microsoft Outlook for
Mac` as the ID names it recognises); iOS Mail, `"iPhone Mail"` with the build as version (Yahoo's
IMAP developer guide gives `"iPhone Mail"` and `"com.android.email"` as examples) and, since iOS
18, `"com.apple.email.maild"` with `"os" "iOS" "os-version" "18.2.1 (22C161)" "vendor" "Apple
Inc" "event" NIL` (traces in public IMAP server tests); Android's AOSP Email and its descendants
(Gmail's IMAP accounts, Samsung Email) send the package name as `name` with `os`, `os-version`
(`"version; build-id"`), `vendor`, `x-android-device-model` and `AGUID` (AOSP's `ImapStore.getImapId`);
K-9 Mail sends `"name" "K-9 Mail"` and its version (thunderbird-android PR 7320), Thunderbird for
Android `"Thunderbird for Android"` since October 2024 (PR 8454); Thunderbird on the desktop
`"name" "Thunderbird" "version" "…"`. Outlook for iOS and Android read IMAP mailboxes from
Microsoft's servers, not from the phone: no ID of theirs is modelled here.

## The scenario

EOF
    cat "$dir/scenario.md"
    cat <<'EOF'

## In numbers

EOF
    python3 - "$out" <<'PY'
import json, re, sys
out = sys.argv[1]
t = json.load(open(out + "/truth.json", encoding="utf-8"))
print("From the truth: %d successful logins (%s), %d failed; Roundcube: %d successful, %d failed."
      % (t["logins"]["successful"], ", ".join("%s %d" % kv for kv in t["logins"]["by_class"].items()),
         t["logins"]["failed"], t["roundcube"]["successful"], t["roundcube"]["failed"]))
print("Staff per class (a person may be in several): %s; failed only: %s."
      % (", ".join("%s %d" % kv for kv in t["staff_by_class"].items()), ", ".join(t["failed_only"])))
print()
print("| department | staff | active | " + " | ".join(t["classes"]) + " | failed only |")
print("|---" * (len(t["classes"]) + 4) + "|")
for d in t["departments"]:
    print("| %s | %d | %d | %s | %d |" % (d["code"], d["staff"], d["active"],
          " | ".join(str(d["by_class"][k]) for k in t["classes"]), d["failed_only"]))
print()
mail = open(out + "/mail.log", encoding="utf-8", errors="replace").read().splitlines()
rc = open(out + "/userlogins.log", encoding="utf-8").read().splitlines()
families = [
    ("Dovecot `imap-login: Login:` from 127.0.0.1 (Roundcube)", lambda l: "imap-login: Login:" in l and "rip=127.0.0.1," in l),
    ("Dovecot `imap-login: Login:` from elsewhere", lambda l: "imap-login: Login:" in l and "rip=127.0.0.1," not in l),
    ("Dovecot `pop3-login: Login:`", lambda l: "pop3-login: Login:" in l),
    ("Dovecot `imap(…): ID sent:` (after the login)", lambda l: re.search(r"dovecot: imap\(.*: ID sent: ", l)),
    ("Dovecot `imap-login: ID sent:` (before the login)", lambda l: "imap-login: ID sent: " in l),
    ("Dovecot `auth failed` (IMAP)", lambda l: "imap-login:" in l and "(auth failed," in l),
    ("Dovecot `auth failed` (POP3)", lambda l: "pop3-login:" in l and "(auth failed," in l),
    ("Postfix", lambda l: " postfix/" in l),
]
print("| lines in `mail.log` | count |")
print("|---|---|")
for label, test in families:
    print("| %s | %d |" % (label, sum(1 for l in mail if test(l))))
print("| all | %d |" % len(mail))
print()
print("| lines in `userlogins.log` | count |")
print("|---|---|")
print("| `Successful login` | %d |" % sum(1 for l in rc if "Successful login for" in l))
print("| `Failed login` | %d |" % sum(1 for l in rc if "Failed login for" in l))
PY
    cat <<'EOF'

## What the truth means

- `staff`: one entry per roster line: `classes` (the classes of the person's successful logins:
  `webmail` for a Roundcube login, `desktop`, `phone` or `other` from the ID name, `unknown` for
  an IMAP login without ID, `pop3`), `per_class` (per class: successful logins; `last` and
  `last_until`, when the driver began and finished the last one, by the servers' moved clock, to
  the second: the servers' stamps of that login lie between; the ID names as the client sent
  them, cut to 200 characters), `failed_logins` per class, `failed_only` (tried, never got in),
  `last_login`.
- `departments`: per department, staff, staff with a successful login, per class the number of
  staff who used it (a person may be in several), failed-only staff.
- `logins`: successful and failed logins, per class; a Roundcube login counts once (however many
  Dovecot `Login:` lines from 127.0.0.1 it made). `roundcube`: its successful and failed logins.
- `webmail_hosts`: where Roundcube connects to Dovecot from.
- `logins_done`: every login as the driver made it, in order, with its time and, for IMAP, whether
  Dovecot answered the ID command with OK (`id_accepted`).
EOF
    } > "$out/README.md"
    say "clients: captured $(wc -l < "$out/mail.log") mail lines and $(wc -l < "$out/userlogins.log") Roundcube lines into $out"
}

for scenario in $scenarios; do
    "capture_$scenario"
done
trap - EXIT
say "done; Postfix and Dovecot are stopped"
