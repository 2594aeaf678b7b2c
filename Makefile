# The two commands: `make run` (install, build, run the main job) and `make test`.
SWIFT ?= swift
STORE ?= out/mailcensus.sqlite
# `make install`: where to (DESTDIR is prepended, for packaging), and which binary (the release
# build by default; BINARY=.build/debug/mailcensus installs what `swift build` built).
PREFIX ?= /usr/local
DESTDIR ?=
BINARY ?= .build/release/mailcensus
INSTALL ?= install
# Classic syslog has no year: the sample's files are dated to the end of its period.
SAMPLE_DATE := 2026-12-01T12:00:00

.PHONY: run run-postgres test test-fast build install deps bench bench-report bench-reads bench-relay capture capture-clients sample lint clean modoboa-up modoboa-down

deps:
	bash Scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product mailcensus

# The main job on the embedded default: `mailcensus nightly` with the SQLite store and
# Policies/default.yaml, which reads the sample province in Logs/sample and writes the reports
# into out/reports/<last day>/. Classic syslog has no year: the sample's files are dated to the
# end of its period so that their lines are read as 2026.
run: build
	mkdir -p out
	rm -f $(STORE) $(STORE)-wal $(STORE)-shm $(STORE).lock
	touch -d $(SAMPLE_DATE) Logs/sample/mail.log-*.gz
	.build/release/mailcensus nightly --store $(STORE) --policy Policies/default.yaml
	.build/release/mailcensus activity --store $(STORE) --format json > out/activity.json
	@echo "Reports: out/reports/2026-11-30/ (open report.html); per-address activity: out/activity.json; store: $(STORE)"
	@echo "Next, on this store:"
	@echo "  .build/release/mailcensus activity --store $(STORE) --format csv"
	@echo "  .build/release/mailcensus report --store $(STORE) --roster Logs/sample/roster.csv --format csv --out out/report.csv"
	@echo "  (or export MAILCENSUS_STORE=$(STORE) once and leave --store out)"

# The same main job with the store in PostgreSQL: a database `mailcensus_sample` on the test
# server of Scripts/postgres-test-server.sh (started if need be; stop it with
# `bash Scripts/postgres-test-server.sh down`), its password read from the server's 0600 file.
PG_TEST_HOME ?= /tmp/mailcensus-postgres
run-postgres: build
	bash Scripts/postgres-test-server.sh up
	touch -d $(SAMPLE_DATE) Logs/sample/mail.log-*.gz
	url=$$(bash Scripts/postgres-test-server.sh database mailcensus_sample) && \
	.build/release/mailcensus nightly --store "$$url" --store-password-file $(PG_TEST_HOME)/password \
		--policy Policies/default.yaml && \
	.build/release/mailcensus sources --store "$$url" --store-password-file $(PG_TEST_HOME)/password
	@echo "Reports: out/reports/2026-11-30/ (open report.html); store: PostgreSQL database mailcensus_sample"

# Installs the tool: $(PREFIX)/bin/mailcensus, and the example policy with its notice templates
# in $(PREFIX)/share/mailcensus/ (policy.example.yaml, templates/), all under $(DESTDIR). It never
# writes /etc/mailcensus/: copy the example there as policy.yaml and edit it (README, "Install").
install:
	@if [ ! -x "$(BINARY)" ]; then \
		if [ "$(BINARY)" = .build/release/mailcensus ]; then $(MAKE) build; \
		else echo "make install: no executable at $(BINARY); build it first" >&2; exit 2; fi; fi
	$(INSTALL) -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/mailcensus/templates"
	$(INSTALL) -m 755 "$(BINARY)" "$(DESTDIR)$(PREFIX)/bin/mailcensus"
	$(INSTALL) -m 644 Policies/default.yaml "$(DESTDIR)$(PREFIX)/share/mailcensus/policy.example.yaml"
	$(INSTALL) -m 644 Policies/templates/*.txt "$(DESTDIR)$(PREFIX)/share/mailcensus/templates/"
	@echo "Installed $(DESTDIR)$(PREFIX)/bin/mailcensus and $(DESTDIR)$(PREFIX)/share/mailcensus/ (policy.example.yaml, templates/)"
	@if [ -e "$(DESTDIR)/etc/mailcensus/policy.yaml" ]; then \
		echo "Your policy $(DESTDIR)/etc/mailcensus/policy.yaml is left as it was."; \
	else \
		echo "Next: copy policy.example.yaml to /etc/mailcensus/policy.yaml (and templates/ beside it), then edit it"; fi

# Regenerate the sample province (roster and logs) of Logs/sample.
sample:
	python3 Scripts/generate-province.py

# Builds once, starts the real servers the tests use (Modoboa on 127.0.0.1), runs every test.
test:
	bash Scripts/test.sh

# The inner loop: builds what changed, runs every test that needs no server and no browser
# (those tagged modoboa, smtp, postgres, browser are skipped); starts nothing.
test-fast:
	bash Scripts/test.sh --fast

# Issue 15's targets: the ingest against pflogsumm (speed, CPU, memory, store), then activity and
# report on the store of the 1 GiB log; both run, and it fails when either misses a target.
bench: deps
	bash Scripts/bench-ingest.sh; ingest=$$?; bash Scripts/bench-reads.sh && exit $$ingest

# The relay: 2,000 notices to the test SMTP server, messages per second, memory, connections.
bench-relay: deps
	bash Scripts/bench-relay.sh

# The adoption report on the sample province: under 2 s for 1,900 staff and 60 days.
bench-report: deps
	bash Scripts/bench-report.sh

# activity and report on the store of a 1 GiB generated log: under 1 s each.
bench-reads: deps
	bash Scripts/bench-reads.sh

# Re-capture Logs/captured/ from a real Postfix + Dovecot on 127.0.0.1 (installs them; root).
capture:
	bash Scripts/capture-real-logs.sh

# Re-capture Logs/captured-clients/: Roundcube, IMAP clients with their ID, POP3 (installs
# Roundcube and PHP through apt-get; root).
capture-clients:
	CAPTURE_SCENARIOS=clients bash Scripts/capture-real-logs.sh

modoboa-up:
	bash Scripts/modoboa.sh up

modoboa-down:
	bash Scripts/modoboa.sh down

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

clean:
	rm -rf .build out
