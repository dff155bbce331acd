package rollout

import "time"

// Stage is how far a rollout got: the last stage every hub it follows has
// reached.
type Stage string

// The stages, in order.
const (
	StageMerged     Stage = "merged"
	StageBuilt      Stage = "built"
	StagePublished  Stage = "published"
	StageConfigured Stage = "configured"
	StageLive       Stage = "live"
	StageHealthy    Stage = "healthy"
)

// Stages lists the stages in order.
var Stages = []Stage{StageMerged, StageBuilt, StagePublished, StageConfigured, StageLive, StageHealthy}

// Reached returns when the rollout reached each stage it has reached: the
// merge; the build's success; the push; the last hub configured; the last
// hub live; the last hub's healthy verdict. A stage of a rollout with no
// hubs is reached only up to published.
func (r *Rollout) Reached() map[Stage]time.Time {
	at := map[Stage]time.Time{StageMerged: r.MergedAt}
	if r.Build.Status != "success" || r.Build.At.IsZero() {
		return at
	}
	at[StageBuilt] = r.Build.At
	if !r.published() {
		return at
	}
	at[StagePublished] = r.Pushed.At
	if len(r.Hubs) == 0 {
		return at
	}
	var configured, live, healthy time.Time
	for _, h := range r.Hubs {
		if h.ConfiguredAt.IsZero() {
			return at
		}
		configured = later(configured, h.ConfiguredAt)
	}
	at[StageConfigured] = configured
	for _, h := range r.Hubs {
		if h.LiveAt.IsZero() {
			return at
		}
		live = later(live, h.LiveAt)
	}
	at[StageLive] = live
	for _, h := range r.Hubs {
		if h.Health == nil || h.Health.Verdict != Healthy {
			return at
		}
		healthy = later(healthy, h.Health.At)
	}
	at[StageHealthy] = healthy
	return at
}

// Stage is the last stage the rollout reached.
func (r *Rollout) Stage() Stage {
	at := r.Reached()
	last := StageMerged
	for _, s := range Stages {
		if _, ok := at[s]; ok {
			last = s
		}
	}
	return last
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Decode reads a rollout from its stored document.
func Decode(document []byte) (*Rollout, error) { return unmarshal(document) }

// PullURL is the merged pull request's address on GitHub.
func (r *Rollout) PullURL() string { return r.pullURL() }
