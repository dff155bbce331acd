# The test command the README gives and CI runs: it fetches the npm test
# fixtures (GitHub's REST description and webhook examples) once, then
# runs every test.
.PHONY: test fixtures

test: fixtures
	go test ./...

fixtures:
	bash scripts/fetch-npm-fixtures.sh
