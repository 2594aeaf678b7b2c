#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds once, starts the real servers the
# tests use on 127.0.0.1 (Modoboa, an SMTP server, PostgreSQL), runs every test (the store's on
# both SQLite and PostgreSQL, the HTML report in headless Chromium too), stops the servers, and
# runs the ingest tests again under ThreadSanitizer.
#
# `--fast`: the inner loop. Builds what changed and runs every test that needs no server and no
# browser, starting none; the tests tagged modoboa, smtp, postgres or browser are skipped
# (MAILCENSUS_TEST_SKIP, read by their `.needs(…)` trait). Other arguments go to `swift test`
# (`--filter StoreTests`).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = --fast ]; then
    shift
    swift build --build-tests
    MAILCENSUS_TEST_SKIP=modoboa,smtp,postgres,browser exec swift test --skip-build "$@"
fi

# The whole suite: nothing skipped, whatever the shell says.
unset MAILCENSUS_TEST_SKIP
bash Scripts/install-deps.sh --test
swift build --build-tests
stop() {
    bash Scripts/modoboa.sh down || true
    bash Scripts/smtp-test-server.sh down || true
    bash Scripts/postgres-test-server.sh down || true
}
trap stop EXIT
bash Scripts/modoboa.sh up
# Every run starts from an empty server: the mass-disable limit is a share of the accounts.
bash Scripts/modoboa.sh reset
bash Scripts/smtp-test-server.sh up
bash Scripts/smtp-test-server.sh reset
# Each test makes its own database on it.
bash Scripts/postgres-test-server.sh up
bash Scripts/postgres-test-server.sh reset
swift test --skip-build
# The threads under ThreadSanitizer: the ingest tests, the census (attribution and tallies on
# several cores) and the work-sharing helpers again in a build of their own (.build-tsan),
# stopping at the first data race it reports.
swift build --build-tests --sanitize=thread --scratch-path .build-tsan
TSAN_OPTIONS=halt_on_error=1 swift test --skip-build --sanitize=thread --scratch-path .build-tsan \
    --filter MailLogTests --filter CensusTests --filter BasicsTests
