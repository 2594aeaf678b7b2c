#!/usr/bin/env bash
# Captures logs from a real Postfix + Dovecot on 127.0.0.1, with the truth of what was done.
#
#   bash Scripts/capture-real-logs.sh        (root; installs what is missing through apt)
#
# It writes Postfix's configuration to /etc/postfix and runs Postfix, Dovecot (its own
# configuration under the run folder), rsyslog and two small SMTP peers (Scripts/capture/),
# all on 127.0.0.1 only; drives the scenario of Scripts/capture/drive.py; stops everything; and
# copies the log, in three syslog formats, and truth.json into Logs/captured/. Meant for a test
# machine: it replaces /etc/postfix/main.cf and master.cf (keeping the old ones as *.mailcensus-old).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
run=${CAPTURE_DIR:-/tmp/mailcensus-capture}
out="$repo/Logs/captured"
domain=namdinh.gov.vn
password='Pr0vince-Test'

[ "$(id -u)" -eq 0 ] || { echo "capture-real-logs.sh: run it as root (it starts Postfix and Dovecot)" >&2; exit 2; }

packages=(postfix dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd dovecot-submissiond rsyslog python3)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

stop_all() {
    postfix stop >/dev/null 2>&1 || true
    doveadm -c "$run/dovecot.conf" stop >/dev/null 2>&1 || true
    for pidfile in "$run"/*.pid; do
        [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
    rm -f "$run"/*.pid
}
trap stop_all EXIT

stop_all
rm -rf "$run"
mkdir -p "$run/mail" "$run/logs"
chown mail:mail "$run/mail"

# --- rsyslog: the same mail messages in classic, ISO 8601 and RFC 5424 form --------------------
cat > "$run/rsyslog.conf" <<CONF
global(localHostname="mail" workDirectory="$run")
module(load="imuxsock" SysSock.Name="/dev/log")
mail.* action(type="omfile" file="$run/logs/mail.log" template="RSYSLOG_TraditionalFileFormat")
mail.* action(type="omfile" file="$run/logs/mail-iso.log" template="RSYSLOG_FileFormat")
mail.* action(type="omfile" file="$run/logs/mail-rfc5424.log" template="RSYSLOG_SyslogProtocol23Format")
CONF
rsyslogd -f "$run/rsyslog.conf" -i "$run/rsyslog.pid"

# --- the outside world and the content filter -------------------------------------------------
python3 "$repo/Scripts/capture/smtp_peer.py" sink 2525 & echo $! > "$run/sink.pid"
python3 "$repo/Scripts/capture/smtp_peer.py" filter 10024 10025 & echo $! > "$run/filter.pid"

# --- Dovecot -----------------------------------------------------------------------------------
hash=$(doveadm pw -s SHA512-CRYPT -p "$password")
: > "$run/users"
for user in annv binhtt cuongpq dunglt hoanx lanpt minhvq ngocbt; do
    echo "$user@$domain:$hash" >> "$run/users"
done
echo "thuhn@stttt.$domain:$hash" >> "$run/users"
cat > "$run/dovecot.conf" <<CONF
protocols = imap pop3 lmtp submission
listen = 127.0.0.1
base_dir = $run/dovecot-run
state_dir = $run/dovecot-state
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
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
hostname = mail.$domain
CONF

# --- Postfix -----------------------------------------------------------------------------------
for file in main.cf master.cf; do
    if [ -f "/etc/postfix/$file" ] && ! grep -q "mailcensus capture" "/etc/postfix/$file"; then
        cp "/etc/postfix/$file" "/etc/postfix/$file.mailcensus-old"
    fi
done
cat > /etc/postfix/main.cf <<CONF
# mailcensus capture: a test configuration, loopback only.
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
smtputf8_enable = no
virtual_mailbox_domains = $domain stttt.$domain
virtual_transport = lmtp:unix:private/dovecot-lmtp
virtual_alias_maps = texthash:/etc/postfix/mailcensus-virtual
transport_maps = texthash:/etc/postfix/mailcensus-transport
content_filter = smtp:[127.0.0.1]:10024
smtpd_sasl_type = dovecot
smtpd_sasl_path = private/auth
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
minimal_backoff_time = 5s
maximal_backoff_time = 10s
queue_run_delay = 5s
smtp_tls_security_level = none
smtpd_tls_security_level = none
CONF
cat > /etc/postfix/mailcensus-virtual <<CONF
vanphong@$domain annv@$domain, binhtt@$domain
chuyentiep@$domain hoanx.personal@gmail.com
CONF
cat > /etc/postfix/mailcensus-transport <<CONF
gmail.com smtp:[127.0.0.1]:2525
yahoo.com smtp:[127.0.0.1]:2525
yahoo.com.vn smtp:[127.0.0.1]:2525
example.com smtp:[127.0.0.1]:2525
CONF
cat > /etc/postfix/master.cf <<'CONF'
# mailcensus capture: a test configuration, loopback only, no chroot.
smtp       inet  n  -  n  -  -  smtpd
submission inet  n  -  n  -  -  smtpd
  -o syslog_name=postfix/submission
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
127.0.0.1:10025 inet n - n - - smtpd
  -o content_filter=
  -o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters,no_address_mappings
  -o smtpd_sasl_auth_enable=no
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
postfix start
dovecot -c "$run/dovecot.conf"
sleep 2

python3 "$repo/Scripts/capture/drive.py" "$run/truth.json"
sleep 2
stop_all
trap - EXIT
sleep 1

mkdir -p "$out"
cp "$run"/logs/mail.log "$run"/logs/mail-iso.log "$run"/logs/mail-rfc5424.log "$run/truth.json" "$out/"
postfix_version=$(postconf -h mail_version)
dovecot_version=$(dovecot --version | cut -d' ' -f1)
sed -i "s/^Captured with .*/Captured with Postfix $postfix_version and Dovecot $dovecot_version on $(date -u +%Y-%m-%d)./" \
    "$out/README.md" 2>/dev/null || true
echo "Captured $(wc -l < "$out/mail.log") lines into $out (Postfix $postfix_version, Dovecot $dovecot_version)."
