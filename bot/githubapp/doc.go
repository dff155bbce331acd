// Package githubapp makes the App's GitHub clients: one that authenticates as
// the App (a JWT signed with its private key) and, per installation, one that
// authenticates with an installation access token. ghinstallation signs the
// JWTs and mints, caches and refreshes the tokens; this package composes the
// HTTP transport they run on once, from middleware that each add one
// cross-cutting behaviour (rate-limit errors, metrics, logging), and caches
// one client per installation.
//
// It also tells callers how to treat a failed call: RetryAfter says how long
// a rate limit asks them to wait, and Transient whether retrying may help.
//
// It depends on go-github, ghinstallation and Prometheus' client only; it
// knows nothing of the checks, jobs or storage, and it never logs
// credentials, tokens or response bodies.
package githubapp
