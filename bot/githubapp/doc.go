// Package githubapp makes the App's GitHub clients: one that authenticates as
// the App (a JWT signed with its private key) and, per installation, one that
// authenticates with an installation access token. ghinstallation signs the
// JWTs and mints, caches and refreshes the tokens; this package composes the
// HTTP transport they run on once, from middleware that each add one
// cross-cutting behaviour (retries, an installation's rate limits, rate-limit
// errors, metrics, logging), and caches one client per installation.
//
// It follows GitHub's advice on rate limits: an installation's calls go one
// at a time, across replicas too; its content-creating requests stay within
// GitHub's secondary limits; a rate limit pauses the whole installation, not
// only the call that met it; a failed read (or a write safe to repeat) is
// made again where it failed.
//
// It also tells callers how to treat a failed call: RetryAfter says how long
// a rate limit or a paused installation asks them to wait, and Transient
// whether retrying may help.
//
// It depends on go-github, ghinstallation and Prometheus' client only (the
// installations' limits are kept behind the Limits interface); it knows
// nothing of the checks, jobs or storage, and it never logs credentials,
// tokens or response bodies.
package githubapp
