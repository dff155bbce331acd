// Package rollout follows a merged pull request until its image runs on
// the hubs the repository feeds: built (the build workflow's run for the
// merge commit), published (the registry resolves the new tag to a
// digest), configured (each hub points at the new tag or digest), live (a
// user server runs the new digest) and healthy (for a window after live,
// servers start on the new image: the hub's spawn counters and the user
// server pods show no failures). It keeps one comment on the merged pull
// request up to date, mirrors each hub's stage as a GitHub Deployment
// status, explains stalls in words a community maintainer can act on, and
// stops when the image is live and judged, when a newer merge supersedes
// it, or at the timeout. When the new image fails to start on a hub, the
// comment says so first, names the image to roll back to, and, where the
// operator allows it, links the pull request that rolls the hub back.
//
// Hubs, clusters and registries come only from the operator's
// configuration; a repository may only narrow the hubs to those the
// operator allowed it. The package owns no HTTP server; it runs as River
// jobs woken by webhooks and by its own polling.
package rollout

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/failure"
	"github.com/imagebot/imagebot/bot/githubapp"
	"github.com/imagebot/imagebot/bot/joblog"
	"github.com/imagebot/imagebot/bot/queue"
	"github.com/imagebot/imagebot/bot/rollout/operator"
	"github.com/imagebot/imagebot/bot/sticky"
	"github.com/imagebot/imagebot/checks/config"
)

// Tracker follows rollouts.
type Tracker struct {
	Config   *operator.Config
	Clients  githubapp.ClientCreator
	Rollouts Rollouts
	Comments sticky.State
	// Installations finds the installation of a config repository that is
	// not the image repository's own installation.
	Installations InstallationFinder
	Registry      Registry
	Clusters      Clusters
	// Spawns reads hubs' spawn outcomes for the healthy stage; without it
	// only their pods are watched.
	Spawns Spawns
	Now    func() time.Time
	Logger *slog.Logger
	// Interval is the wait before round n+1 (n counts from 1); Poll by
	// default.
	Interval func(round int) time.Duration
	// Metrics times the stages; nil measures nothing.
	Metrics *Metrics
}

// InstallationFinder finds which installation covers a repository.
type InstallationFinder interface {
	InstallationFor(ctx context.Context, fullName string) (id int64, ok bool, err error)
}

// Poll is the default polling schedule: every 20 seconds for the first 10
// minutes (builds and pushes), every minute for the first hour, then
// every 5 minutes until the timeout.
func Poll(round int) time.Duration {
	switch {
	case round < 30:
		return 20 * time.Second
	case round < 80:
		return time.Minute
	}
	return 5 * time.Minute
}

// PollWorker runs one round of a rollout.
type PollWorker struct {
	river.WorkerDefaults[PollArgs]
	Tracker *Tracker
}

// Work looks at every stage once, publishes what changed, and snoozes the
// job until the next round while the rollout is followed.
func (w *PollWorker) Work(ctx context.Context, job *river.Job[PollArgs]) error {
	t := w.Tracker
	a := job.Args
	log := joblog.From(ctx, t.Logger.With("repo", a.Repo, "pr", a.Number, "installation", a.Installation, "job", job.ID))
	rec, ok, err := t.Rollouts.Rollout(ctx, a.Repo, a.Number)
	if err != nil {
		return err
	}
	if ok {
		log = log.With("sha", rec.MergeSHA)
		ctx = joblog.Into(ctx, log)
	}
	if !ok {
		log.Info("no rollout for this pull request")
		return nil
	}
	r, err := unmarshal(rec.Document)
	if err != nil {
		return river.JobCancel(fmt.Errorf("rollout document: %w", err))
	}
	asked := r.Requests > r.Served
	if r.State != Tracking && !a.Recheck && !asked {
		return nil
	}
	r.Served = r.Requests
	gh, err := t.Clients.NewInstallationClient(r.Installation)
	if err != nil {
		return err
	}
	doc := &document{rollouts: t.Rollouts, rec: rec}
	checkpoint := func(ctx context.Context) error {
		_, err := doc.save(ctx, r, t.Now())
		return err
	}
	reached := r.Reached()
	if err := t.round(ctx, gh, r, checkpoint); err != nil {
		log.Warn("rollout round failed", "err", err)
		return failure.Decide(err)
	}
	others, err := doc.save(ctx, r, t.Now())
	if err != nil {
		return err
	}
	t.Metrics.observe(reached, r)
	log.Info("rollout round", "state", r.State, "round", r.Rounds, "build", r.Build.Status, "digest", r.Pushed.Digest)
	// A command or a newer merge that came during the round could not
	// hurry this running job: it gets its round now.
	if r.Requests > r.Served || (others && r.State == Tracking && r.Newer != 0) {
		return queue.Snooze(0)
	}
	if r.State == Tracking {
		interval := t.Interval
		if interval == nil {
			interval = Poll
		}
		return queue.Snooze(interval(r.Rounds))
	}
	return nil
}

// round advances a rollout by one look at every stage, then publishes its
// comment and deployment statuses. checkpoint writes the rollout's
// document at once: an intent is recorded before the write it announces.
func (t *Tracker) round(ctx context.Context, gh *github.Client, r *Rollout, checkpoint func(context.Context) error) error {
	now := t.Now()
	r.Rounds++
	owner, name, _ := strings.Cut(r.Repo, "/")
	if !r.Started {
		if err := t.start(ctx, gh, owner, name, r); err != nil {
			return err
		}
	}
	switch {
	case r.State == Tracking && r.Newer != 0:
		r.State, r.EndedAt = Superseded, now
	case r.State == Tracking:
		if err := t.advance(ctx, gh, owner, name, r, now, checkpoint); err != nil {
			return err
		}
	default: // a recheck of an ended rollout: refresh what the hubs run
		if r.published() {
			for i := range r.Hubs {
				t.look(ctx, gh, r, &r.Hubs[i], now)
			}
		}
	}
	r.Guidance = guidance(r, now)
	if err := t.deploymentStatuses(ctx, gh, owner, name, r); err != nil {
		return err
	}
	return t.comment(ctx, gh, owner, name, r, now)
}

// start chooses the hubs and creates one Deployment per hub.
func (t *Tracker) start(ctx context.Context, gh *github.Client, owner, name string, r *Rollout) error {
	repo, ok := t.Config.Repository(r.Repo)
	if !ok {
		return river.JobCancel(fmt.Errorf("%s is no longer in the operator's configuration", r.Repo))
	}
	cfg, err := repoConfig(ctx, gh, owner, name, r.MergeSHA)
	if err != nil {
		return err
	}
	// The operator's tag template wins; a repository may choose its own
	// only where the operator kept the default.
	if repo.TagTemplate == config.Default().TagTemplate && cfg.TagTemplate != repo.TagTemplate {
		r.Tag = cfg.Tag(r.MergeSHA)
	}
	hubs, refused := t.Config.HubsFor(repo, cfg.Hubs)
	r.Refused = refused
	r.Hubs = r.Hubs[:0]
	for _, h := range hubs {
		r.Hubs = append(r.Hubs, HubRollout{Name: h.Name, URL: h.URL, Observed: h.Kubernetes != nil,
			Watched: h.Kubernetes != nil || h.Metrics != nil})
	}
	if err := t.previous(ctx, r); err != nil {
		return err
	}
	for i := range r.Hubs {
		if err := t.deployment(ctx, gh, owner, name, r, &r.Hubs[i]); err != nil {
			return err
		}
	}
	r.Started = true
	return nil
}

// advance looks at the stages that are not done yet.
func (t *Tracker) advance(ctx context.Context, gh *github.Client, owner, name string, r *Rollout, now time.Time, checkpoint func(context.Context) error) error {
	if r.Build.Status != "success" && r.Build.Status != "failure" {
		if err := findBuild(ctx, gh, owner, name, r); err != nil {
			return err
		}
	}
	if r.Build.Status == "failure" {
		r.State, r.EndedAt = Failed, now
		return nil
	}
	if r.Build.Status == "success" && !r.published() {
		t.resolve(ctx, r, now)
	}
	if r.published() {
		for i := range r.Hubs {
			h := &r.Hubs[i]
			obs := t.look(ctx, gh, r, h, now)
			if err := t.watch(ctx, gh, r, h, obs, now, checkpoint); err != nil {
				return err
			}
		}
		if len(r.Hubs) > 0 && every(r.Hubs, (*HubRollout).done) {
			r.State, r.EndedAt = ended(r), now
			return nil
		}
	}
	if r.Timeout > 0 && now.Sub(r.MergedAt) > r.Timeout {
		switch {
		case !every(r.Hubs, (*HubRollout).reached) || len(r.Hubs) == 0:
			r.State, r.EndedAt = TimedOut, now
		case every(r.Hubs, func(h *HubRollout) bool { return h.Health == nil || !now.Before(h.Health.Until) }):
			// Live everywhere, and every window has passed without a
			// verdict (no server started): the watch ends here.
			r.State, r.EndedAt = ended(r), now
		}
	}
	return nil
}

// ended is the state a rollout ends in once the new image reached every
// hub: failing when it fails to start on one.
func ended(r *Rollout) State {
	if anyFailing(r) {
		return Failing
	}
	return Live
}

// every reports whether ok holds for every hub.
func every(hubs []HubRollout, ok func(*HubRollout) bool) bool {
	for i := range hubs {
		if !ok(&hubs[i]) {
			return false
		}
	}
	return true
}
