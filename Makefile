# zkit: make demo | make test | make bench
GO ?= go
export CGO_ENABLED := 1

.PHONY: demo test bench deps deps-test vet fuzz build

demo: deps
	$(GO) run ./cmd/zkit demo

test: deps-test
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 15m ./...

bench: deps
	$(GO) run ./internal/bench

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
