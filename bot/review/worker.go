// Package review is the App's pull request workflow: it turns pull
// request, check suite and check run deliveries into durable jobs, and a
// job into Check Runs (one per check id, on the head commit) and one
// sticky dependency-diff comment. It reads the repository configuration
// from the pull request's base, fetches only the files the engine reads,
// and writes to GitHub only what changed.
//
// It depends on the engine (checks), the GitHub client (go-github), the
// store and the queue; it owns no HTTP server.
package review

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/failure"
	"github.com/imagebot/imagebot/bot/githubapp"
	"github.com/imagebot/imagebot/bot/joblog"
	"github.com/imagebot/imagebot/bot/repofiles"
	"github.com/imagebot/imagebot/bot/sticky"
	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/checks/config"
)

// An analysis that must fetch more than slowFiles files or slowBytes bytes
// may take more than a few seconds: its Check Runs are created in_progress
// first, and completed when it ends. Otherwise they are created completed.
const (
	slowFiles = 20
	slowBytes = 16 << 20
)

// ConfigCheckName is the Check Run that validates `.github/imagebot.yml`
// when a pull request edits it.
const ConfigCheckName = "imagebot-config"

// State is everything the workflow keeps between jobs.
type State interface {
	CheckRunState
	CommentState
	Pulls
	InstallationActive(ctx context.Context, id int64) (active, known bool, err error)
	ObjectStore
}

// Worker checks one pull request head.
type Worker struct {
	river.WorkerDefaults[CheckArgs]
	Clients githubapp.ClientCreator
	State   State
	Logger  *slog.Logger
	Metrics *Metrics
	// Hubs gives the JupyterHub versions of the hubs a repository feeds,
	// for hub-compatible; nil, or no hubs, leaves that check out.
	Hubs HubVersions
}

// HubVersions gives the JupyterHub versions of the hubs a repository
// feeds, narrowed to those its configuration requests.
type HubVersions interface {
	HubVersions(ctx context.Context, fullName string, requested []string) []checks.Hub
}

// Work runs the checks on a head and publishes the results.
func (w *Worker) Work(ctx context.Context, job *river.Job[CheckArgs]) error {
	a := job.Args
	log := joblog.From(ctx, w.Logger.With("delivery", a.Delivery, "installation", a.InstallationID,
		"repo", a.fullName(), "pr", a.Number, "sha", a.HeadSHA, "job", job.ID, "attempt", job.Attempt))
	active, known, err := w.State.InstallationActive(ctx, a.InstallationID)
	if err != nil {
		return err
	}
	if known && !active {
		log.Info("installation removed or suspended; dropping the job")
		return nil
	}
	if pr, ok, err := w.State.Pull(ctx, a.fullName(), a.Number); err != nil {
		return err
	} else if ok && pr.HeadSHA != a.HeadSHA {
		log.Info("a newer push superseded this head; dropping the job", "head", pr.HeadSHA)
		return nil
	}
	gh, err := w.Clients.NewInstallationClient(a.InstallationID)
	if err != nil {
		return err
	}
	start := time.Now()
	outcome, err := w.run(ctx, gh, a)
	if err != nil {
		log.Warn("check failed", "err", err)
		return failure.Decide(err)
	}
	w.Metrics.observe(outcome, time.Since(start))
	log.Info("checked", "conclusion", outcome.conclusion, "reads", outcome.reads, "writes", outcome.writes)
	return nil
}

// outcome summarises one run for logs and metrics.
type outcome struct {
	conclusion    checks.Conclusion
	reads, writes int
}

func (w *Worker) run(ctx context.Context, gh *github.Client, a CheckArgs) (outcome, error) {
	snap, err := repofiles.Load(ctx, gh, objectCache{w.State}, a.Owner, a.Repo, a.BaseSHA, a.HeadSHA)
	if err != nil {
		return outcome{}, fmt.Errorf("load files: %w", err)
	}
	// Every read from GitHub happens here, before the engine runs, so that
	// a fault (a rate limit, a 5xx) takes the job's retry or snooze path
	// instead of becoming a finding: the configuration first, then the
	// files the checks read under it.
	if err := snap.Fetch([]string{config.Path}, []string{config.Path}); err != nil {
		return outcome{}, fmt.Errorf("read the configuration: %w", err)
	}
	cfg, baseErr := checks.LoadConfig(snap.Base)
	if baseErr != nil {
		// The base's configuration is broken: check with the defaults
		// rather than not at all. The edit that broke it was reported.
		cfg = config.Default()
	}
	opts := []checks.Option{checks.WithBase(snap.Base), checks.WithConfig(cfg)}
	if w.Hubs != nil {
		if hubs := w.Hubs.HubVersions(ctx, a.fullName(), cfg.Hubs); len(hubs) > 0 {
			opts = append(opts, checks.WithHubs(hubs...))
		}
	}
	pub := &publisher{gh: gh, state: w.State, owner: a.Owner, repo: a.Repo, sha: a.HeadSHA}
	files, size, err := snap.Uncached()
	if err != nil {
		return outcome{}, err
	}
	if files > slowFiles || size > slowBytes {
		for _, id := range checks.ReportedIDs(opts...) {
			if err := pub.start(ctx, id, files); err != nil {
				return outcome{}, err
			}
		}
	}
	headPaths, basePaths := checks.Reads(snap.Head, opts...)
	if err := snap.Fetch(basePaths, headPaths); err != nil {
		return outcome{}, fmt.Errorf("read files: %w", err)
	}
	snap.Seal()
	report := checks.Check(snap.Head, opts...)
	headFiles := map[string]bool{}
	for _, p := range snap.Head.Paths() {
		headFiles[p] = true
	}
	for _, res := range report.Checks {
		if err := pub.publish(ctx, newCheckRun(res.ID, res, report.Diffs, headFiles)); err != nil {
			return outcome{}, err
		}
	}
	if touches(snap.Changed, config.Path) {
		if err := pub.publish(ctx, configCheckRun(snap.Head, headFiles)); err != nil {
			return outcome{}, err
		}
	}
	writes := pub.writes
	if !a.Draft || cfg.CommentOnDrafts {
		c := &sticky.Comment{GH: gh, State: w.State, Owner: a.Owner, Repo: a.Repo, Number: a.Number, Kind: commentKind, Marker: Marker}
		help, err := w.State.HelpRequested(ctx, a.fullName(), a.Number)
		if err != nil {
			return outcome{}, err
		}
		if err := updateComment(ctx, c, help, report.Diffs, head{SHA: a.HeadSHA, CompareURL: snap.CompareURL}); err != nil {
			return outcome{}, err
		}
		writes += c.Writes
	}
	return outcome{conclusion: report.Conclusion, reads: snap.Reads, writes: writes}, nil
}

func touches(changed []string, path string) bool {
	for _, c := range changed {
		if c == path {
			return true
		}
	}
	return false
}

// configCheckRun validates the configuration a pull request proposes.
func configCheckRun(head checks.Tree, headFiles map[string]bool) *checkRun {
	res := checks.Result{ID: ConfigCheckName, Conclusion: checks.Success, Summary: "`.github/imagebot.yml` is valid."}
	if !headFiles[config.Path] {
		res.Summary = "`.github/imagebot.yml` is removed; the defaults apply once this merges."
		return newCheckRun(ConfigCheckName, res, nil, headFiles)
	}
	_, err := checks.LoadConfig(head)
	var problems config.Problems
	switch {
	case errors.As(err, &problems):
		res.Conclusion = checks.Failure
		res.Summary = fmt.Sprintf("`.github/imagebot.yml` has %d problems; until they are fixed imagebot uses its defaults for this repository.", len(problems))
		for _, p := range problems {
			res.Findings = append(res.Findings, checks.Finding{Severity: checks.Error, Path: config.Path, Line: p.Line,
				Message: p.Message, Fix: "Correct the line; the schema is checks/config/imagebot.schema.json in imagebot's repository."})
		}
	case err != nil:
		res.Conclusion = checks.Failure
		res.Summary = "`.github/imagebot.yml` could not be read: " + err.Error()
	}
	return newCheckRun(ConfigCheckName, res, nil, headFiles)
}
