# The two commands of this project. Both install what is missing first (scripts/setup.sh).
.PHONY: run test setup bench

## make run: start the app at http://127.0.0.1:3000 with the embedded Dodo sandbox and SQLite.
run:
	@bash scripts/setup.sh
	@PATH="$$HOME/.cargo/bin:$$PATH" cargo leptos serve --split

## make test: formatting, lints, unit/integration tests (SQLite and PostgreSQL), SDK
## conformance, and the Playwright suite against the debug and the release build.
test:
	@bash scripts/test.sh

setup:
	@bash scripts/setup.sh test

## make bench: serving speed of the release server (offer and static pages, 80 ms Dodo latency,
## webhook ingest on SQLite and PostgreSQL) as a table; not part of `make test`.
bench:
	@bash scripts/bench.sh
