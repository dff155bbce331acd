// Package joblog gives each durable job a logger that names what the job
// acts on (delivery, installation, repository, pull request and commit),
// carried in the job's context so that every line written during the job,
// the GitHub client's included, says which job it belongs to.
//
// It depends on log/slog only.
package joblog

import (
	"context"
	"encoding/json"
	"log/slog"
)

type key struct{}

// Into returns ctx carrying logger.
func Into(ctx context.Context, logger *slog.Logger) context.Context {
	return context.WithValue(ctx, key{}, logger)
}

// From returns the logger ctx carries, or fallback when it carries none.
func From(ctx context.Context, fallback *slog.Logger) *slog.Logger {
	if l, ok := ctx.Value(key{}).(*slog.Logger); ok {
		return l
	}
	return fallback
}

// Attrs names what a job acts on, read from its JSON args: "delivery",
// "installation", "repo" ("owner/name"), "pr" and "sha". Args spell them
// delivery; installation_id or installation; owner and repo, or repo
// alone as "owner/name"; number; head_sha, sha or merge_sha. Only those
// the args have are returned; a worker adds the rest once it knows them.
func Attrs(args []byte) []any {
	var a struct {
		Delivery       string `json:"delivery"`
		InstallationID int64  `json:"installation_id"`
		Installation   int64  `json:"installation"`
		Owner          string `json:"owner"`
		Repo           string `json:"repo"`
		Number         int    `json:"number"`
		HeadSHA        string `json:"head_sha"`
		SHA            string `json:"sha"`
		MergeSHA       string `json:"merge_sha"`
	}
	if json.Unmarshal(args, &a) != nil {
		return nil
	}
	var out []any
	if a.Delivery != "" {
		out = append(out, "delivery", a.Delivery)
	}
	if id := max(a.InstallationID, a.Installation); id != 0 {
		out = append(out, "installation", id)
	}
	repo := a.Repo
	if a.Owner != "" && repo != "" {
		repo = a.Owner + "/" + repo
	}
	if repo != "" {
		out = append(out, "repo", repo)
	}
	if a.Number != 0 {
		out = append(out, "pr", a.Number)
	}
	for _, sha := range []string{a.HeadSHA, a.SHA, a.MergeSHA} {
		if sha != "" {
			out = append(out, "sha", sha)
			break
		}
	}
	return out
}
