# The two commands of this project. Both install what is missing first (scripts/setup.sh).
.PHONY: run test setup

## make run: start the app at http://127.0.0.1:3000 with the embedded Dodo sandbox and SQLite.
run:
	@bash scripts/setup.sh
	@PATH="$$HOME/.cargo/bin:$$PATH" cargo leptos serve

## make test: formatting, lints, unit/integration tests (SQLite and PostgreSQL), SDK
## conformance, and the Playwright suite against the debug and the release build.
test:
	@bash scripts/test.sh

setup:
	@bash scripts/setup.sh test
