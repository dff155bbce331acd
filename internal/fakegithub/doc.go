// Package fakegithub is an in-memory GitHub REST API for imagebot's tests, faithful to
// GitHub's published REST description (@octokit/openapi, located by internal/fixtures).
//
// A Server is an httptest.Server. Every request must match an operation of the description;
// its path, query parameters and JSON body are validated against the operation, and every
// violation is reported with t.Errorf (naming the operationId, the JSON pointer and the
// reason) and answered 422 as GitHub does. The fake's own responses are validated against
// the operation's documented response schema too, so its shapes cannot drift from GitHub's.
// Operations that validate but are not implemented answer 501 and report an error, so gaps
// surface instead of passing silently.
//
// State (repositories with real git object ids, branches, pull requests, installations,
// check runs and suites, issue comments and reactions, deployments and their statuses,
// workflow runs, file contents) lives in memory and is safe for concurrent use. Tests seed
// it through Server and Repo methods and read it back with snapshot accessors. Every call is
// recorded, and faults (error statuses, rate limits, delays) can be injected per operation.
//
// The validator (schema.go) and router (router.go) are the fake's own, not kin-openapi's
// openapi3filter, because that was measured (v0.153.0, with TestInvalidRequestsAreReported's
// requests) to be less strict where it matters and wrong where GitHub's description is
// loose: it accepts a body sent to an operation that takes none and a second JSON value
// after the body, both of which the fake rejects; it rejects the JSON null body that
// ghinstallation sends and GitHub accepts, and the error responses that GitHub's
// overlapping oneOf unions document (a 409 basic-error of
// repos/create-or-update-file-contents matches two alternatives); its routers cannot match
// the parameters that GitHub lets span slashes (a contents {path}, a {ref}), so router.go
// would stay anyway; its own Validate rejects GitHub's description (an example of the
// wrong type in actions-hosted-runner) unless example checks are turned off; and it is
// heavy to load, once in every test process that starts a fake: the 13 MB description
// (@octokit/openapi 23.0.2) took 2.6 s of CPU, 1.09 GB allocated and 563 MB of peak RSS
// (openapi3.NewLoader().LoadFromFile, then gorillamux.NewRouter), against the fake's
// 0.58 s, 75 MB allocated and 63 MB peak RSS for its whole test process (parseDescription;
// 24 MB stay live), measured again on 2026-12-05.
//
// It is test infrastructure: it depends on the standard library and internal/fixtures only,
// and must not depend on any other imagebot package nor on go-github (its tests use go-github
// as the client).
package fakegithub
