# The two commands: `make run` (install, build, run the main job) and `make test`.
SWIFT ?= swift
STORE ?= out/mailcensus.sqlite
SAMPLE_LOGS ?= $(wildcard Logs/captured/mail.log)

.PHONY: run test build deps bench capture lint clean modoboa-up modoboa-down

deps:
	bash Scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product mailcensus

# The main job on the embedded default: the SQLite store, Policies/default.yaml, the sample logs in Logs/.
run: build
	mkdir -p out
	rm -f $(STORE) $(STORE)-wal $(STORE)-shm $(STORE).lock
	.build/release/mailcensus ingest --store $(STORE) --policy Policies/default.yaml $(SAMPLE_LOGS)
	.build/release/mailcensus activity --store $(STORE) --format json > out/activity.json
	.build/release/mailcensus activity --store $(STORE) --format csv > out/activity.csv
	@echo "Output: out/activity.json and out/activity.csv (store: $(STORE))"

# Builds once, starts the real servers the tests use (Modoboa on 127.0.0.1), runs every test.
test:
	bash Scripts/test.sh

bench: deps
	bash Scripts/bench-ingest.sh

# Re-capture Logs/captured/ from a real Postfix + Dovecot on 127.0.0.1 (installs them; root).
capture:
	bash Scripts/capture-real-logs.sh

modoboa-up:
	bash Scripts/modoboa.sh up

modoboa-down:
	bash Scripts/modoboa.sh down

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

clean:
	rm -rf .build out
