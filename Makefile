# The test command the README gives and CI runs: it fetches the npm test
# fixtures (GitHub's REST description and webhook examples) once, then
# runs every test and ends with one line of counts:
#   tests: N passed, N failed, N skipped
# (internal/testsummary reads `go test -json`; a failing test's output is
# printed in full, and the exit status is go test's.) `make test NO_SKIPS=1`
# also fails when a test skipped: CI runs it so.
.PHONY: test fixtures

SHELL := bash
.SHELLFLAGS := -o pipefail -c

test: fixtures
	go build -o .cache/testsummary ./internal/testsummary
	go test -json ./... | .cache/testsummary $(if $(NO_SKIPS),-no-skips)

fixtures:
	bash scripts/fetch-npm-fixtures.sh
