// Package build reads the files that build a JupyterHub user image (Dockerfiles, repo2docker
// appendix, postBuild and start scripts, and GitHub workflows) and reports facts about them
// with line numbers: the commands that install packages and how, the base images a build
// starts from, and the image tags a workflow publishes.
//
// Nothing is ever executed: shell and Dockerfile syntax is parsed statically, and a value
// that only exists at build time (a build argument without a default, a secret, a GitHub
// expression) is reported as written. The package judges nothing; turning facts into
// findings, messages and fixes is the caller's job.
//
// Dockerfiles are split into instructions by BuildKit's own parser
// (github.com/moby/buildkit/frontend/dockerfile/parser), so directives, continuations,
// JSON forms and here-documents read as docker build reads them, lines over 64 KiB
// included, which docker build refuses and so does ScanDockerfile. Shell text (RUN,
// postBuild, start, workflow run: steps) is parsed by mvdan.cc/sh/v3/syntax as bash,
// through a budget that refuses text nested deeply enough to exhaust the parser's
// stack (shell_budget.go); plain text (words, simple quotes and $NAME between && || ; | &
// and newlines) is split without it, into the commands the parser would find
// (shell_plain.go).
//
// Every scanner accepts at most MaxSize bytes, works in time linear in its input, and
// returns an error rather than panicking on malformed or hostile input.
//
// build is part of the pure checks engine: it must not depend on the network, the file
// system, the clock, the environment, GitHub's API types, or any other imagebot package.
package build
