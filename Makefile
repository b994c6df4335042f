# zkit: make demo | make test | make bench
GO ?= go
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
export CGO_ENABLED := 1

.PHONY: demo test bench deps deps-test vet fuzz build

demo: deps
	$(GO) run ./cmd/zkit demo

test: deps-test
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 15m ./...

# Each zkit benchmark runs beside its raw-engine baseline in the same
# process; benchtab prints the medians of BENCH_COUNT rounds and the ratios.
# Rounds are whole passes (-count 1 each), so the two sides of a pair run
# next to each other in every round and a slow spell of the machine hits
# both rather than one side's five runs in a row.
BENCH_COUNT ?= 5
bench: deps
	for i in $$(seq $(BENCH_COUNT)); do \
	  $(GO) test -run '^$$' -bench . -count 1 ./... || exit 1; \
	done | $(GO) run ./internal/benchtab -echo -target 0.95

build: deps
	$(GO) build ./...

# Short runs of every fuzz target (the seeds already run under `make test`).
fuzz: deps
	@for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime 30s $$pkg || exit 1; \
	  done; \
	done

deps:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test
