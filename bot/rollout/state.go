package rollout

import (
	"encoding/json"
	"time"
)

// State is where a rollout stands as a whole.
type State string

// The states of a rollout. Only Tracking is followed further.
const (
	Tracking   State = "tracking"
	Live       State = "live"       // the new digest runs on every hub that can be observed
	Failed     State = "failed"     // the build failed
	TimedOut   State = "timed_out"  // the timeout passed before the image was live
	Superseded State = "superseded" // a newer merge took over
	Failing    State = "failing"    // the new image is live, and fails to start on a hub
)

// Build is what imagebot knows of the build of the merge commit.
type Build struct {
	// Status is "" until a run is seen, then queued, in_progress,
	// success or failure.
	Status string    `json:"status,omitempty"`
	Name   string    `json:"name,omitempty"` // the run's title, such as "Build and push container image #41"
	URL    string    `json:"url,omitempty"`
	At     time.Time `json:"at,omitzero"` // when it finished
}

// Published is the digest the registry resolves the new tag to.
type Published struct {
	Digest   string    `json:"digest,omitempty"`
	Platform string    `json:"platform,omitempty"` // the linux/amd64 manifest digest
	At       time.Time `json:"at,omitzero"`
}

// HubRollout is the rollout on one hub.
type HubRollout struct {
	Name         string `json:"name"`
	URL          string `json:"url"`
	DeploymentID int64  `json:"deployment_id,omitempty"`
	LastStatus   string `json:"last_status,omitempty"` // the deployment status last posted, "state: description"
	// Configured is when the hub's configuration first pointed at the
	// new tag or digest.
	ConfiguredAt time.Time `json:"configured_at,omitzero"`
	// ConfigValue and ConfigURL are what the hub's configuration says now
	// and where (a values file line, or the image pullers' spec).
	ConfigValue string `json:"config_value,omitempty"`
	ConfigURL   string `json:"config_url,omitempty"`
	// Mutable is true when the hub follows a mutable tag such as :latest.
	Mutable bool `json:"mutable,omitempty"`
	// LiveAt is when a user server was first seen on the new digest.
	LiveAt time.Time `json:"live_at,omitzero"`
	// Observed says the hub's servers can be seen (Kubernetes is set up);
	// the counts below are from the last look.
	Observed     bool   `json:"observed,omitempty"`
	New          int    `json:"new,omitempty"`
	Old          int    `json:"old,omitempty"`
	Starting     int    `json:"starting,omitempty"`
	NodesWithNew int    `json:"nodes_with_new,omitempty"`
	NodesTotal   int    `json:"nodes_total,omitempty"`
	BumpURL      string `json:"bump_url,omitempty"` // the pull request imagebot opened on the config repository
	Problem      string `json:"problem,omitempty"`  // why the hub could not be looked at last time
	// Watched says the healthy stage applies: the hub's servers or its
	// spawn outcomes can be seen.
	Watched bool `json:"watched,omitempty"`
	// Before is what the hub ran before this rollout: what a rollback
	// restores.
	Before Before `json:"before,omitzero"`
	// Health is the healthy stage; nil until the new image is live.
	Health *Health `json:"health,omitempty"`
	// Rollback is the pull request that restores Before.Value; nil unless
	// the stage failed on a hub whose configuration imagebot may change.
	Rollback *Rollback `json:"rollback,omitempty"`
}

// Before is what a hub ran before a rollout.
type Before struct {
	// Value is the hub's configuration value before it pointed at the new
	// image: a tag or an image reference, as written.
	Value string `json:"value,omitempty"`
	// Digest is the image digest the hub ran before: the previous rollout's
	// that was healthy there, or the one most of the hub's servers and
	// pullers held while the new image was not yet live.
	Digest string `json:"digest,omitempty"`
	// Rollout is the pull request of that previous rollout, and Tag its
	// tag; 0 and "" when the digest was seen on the hub.
	Rollout int    `json:"rollout,omitempty"`
	Tag     string `json:"tag,omitempty"`
}

// Verdict is how the healthy stage ended on a hub.
type Verdict string

// The verdicts; "" while imagebot watches.
const (
	Healthy   Verdict = "healthy"   // servers started on the new image and none failed during the window
	Unhealthy Verdict = "unhealthy" // failures crossed the operator's threshold
)

// Health is the healthy stage on one hub: from the time the new image is
// live, imagebot counts the servers that start on it and those that fail.
type Health struct {
	Since time.Time `json:"since"` // when the watch began
	Until time.Time `json:"until"` // when the window ends
	// Metrics is true once the hub's spawn counters were read: Last holds
	// them as last read, Succeeded and Failed what they grew by since
	// Since.
	Metrics   bool       `json:"metrics,omitempty"`
	Last      SpawnCount `json:"last,omitzero"`
	Succeeded int        `json:"succeeded,omitempty"`
	Failed    int        `json:"failed,omitempty"`
	// Pods are the user servers seen failing on the new image since Since,
	// at most maxFailedPods.
	Pods []PodFailure `json:"pods,omitempty"`
	// Running counts the servers that run the new image without failing,
	// at the last look.
	Running int       `json:"running,omitempty"`
	Verdict Verdict   `json:"verdict,omitempty"`
	At      time.Time `json:"at,omitzero"` // when the verdict was reached
	// Problem says why the hub's spawn counters could not be read at the
	// last look.
	Problem string `json:"problem,omitempty"`
}

// SpawnCount is a hub's spawn counters as read.
type SpawnCount struct {
	Success int `json:"success"`
	Failure int `json:"failure"`
}

// PodFailure is a user server that failed on the new image: its reason and
// exit code, never its logs.
type PodFailure struct {
	Pod      string `json:"pod"`
	Reason   string `json:"reason"`
	ExitCode int32  `json:"exit_code,omitempty"`
}

// Rollback is the pull request that rolls a hub back.
type Rollback struct {
	// State is "opening" from just before imagebot opens it (so that a
	// round cut short finds it again instead of opening a second one),
	// "opened" once it exists, or "restored" when the configuration held
	// the previous value already.
	State string `json:"state"`
	URL   string `json:"url,omitempty"`
}

// Rollout is the tracker's state of one merged pull request: stored as
// the rollout's document, rewritten after every round.
type Rollout struct {
	Repo         string        `json:"repo"`
	Number       int           `json:"number"`
	Installation int64         `json:"installation"`
	Title        string        `json:"title,omitempty"`
	MergeSHA     string        `json:"merge_sha"`
	MergedAt     time.Time     `json:"merged_at"`
	Image        string        `json:"image"`
	Tag          string        `json:"tag"`
	Workflow     string        `json:"workflow"`
	Timeout      time.Duration `json:"timeout"`
	ConfigureIn  time.Duration `json:"configure_within"`

	Started  bool         `json:"started,omitempty"` // deployments created and hubs chosen
	State    State        `json:"state"`
	Newer    int          `json:"superseded_by,omitempty"`
	Refused  []string     `json:"refused,omitempty"` // hubs the repository asked for that the operator does not allow
	Build    Build        `json:"build"`
	Pushed   Published    `json:"published"`
	Hubs     []HubRollout `json:"hubs"`
	Guidance []string     `json:"guidance,omitempty"`
	EndedAt  time.Time    `json:"ended_at,omitzero"`
	Rounds   int          `json:"rounds"`
	// Requests counts the rounds maintainers asked for (`/imagebot
	// rollout`), and Served those that a round has begun to answer: a
	// request that arrives during a round gets a round of its own.
	Requests int `json:"requests,omitempty"`
	Served   int `json:"served,omitempty"`
}

func (r *Rollout) marshal() []byte {
	data, _ := json.Marshal(r) // plain data: cannot fail
	return data
}

func unmarshal(data []byte) (*Rollout, error) {
	var r Rollout
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// ref is the image reference a merge publishes.
func (r *Rollout) ref() string { return r.Image + ":" + r.Tag }

// published reports whether the registry has the new tag.
func (r *Rollout) published() bool { return r.Pushed.Digest != "" }

// digests are the new image's digests: the index and the platform one.
func (r *Rollout) digests() []string {
	var out []string
	for _, d := range []string{r.Pushed.Digest, r.Pushed.Platform} {
		if d != "" {
			out = append(out, d)
		}
	}
	return out
}

// isNew reports whether a digest a node reports is the new image's.
func (r *Rollout) isNew(digest string) bool {
	for _, d := range r.digests() {
		if d == digest {
			return true
		}
	}
	return false
}

// reached reports whether the new image reached a hub: its digest is live
// there, or the hub is configured and its servers cannot be seen.
func (h *HubRollout) reached() bool {
	return !h.LiveAt.IsZero() || (!h.Observed && !h.ConfiguredAt.IsZero())
}

// done reports whether a hub needs no more looking at: the new image
// reached it, and, where the healthy stage applies, the stage has its
// verdict and any rollback pull request is open.
func (h *HubRollout) done() bool {
	switch {
	case !h.reached():
		return false
	case !h.Watched:
		return true
	}
	return h.Health != nil && h.Health.Verdict != "" && (h.Rollback == nil || h.Rollback.State != "opening")
}

// failing reports whether the healthy stage failed on the hub.
func (h *HubRollout) failing() bool { return h.Health != nil && h.Health.Verdict == Unhealthy }
