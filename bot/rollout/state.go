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

// done reports whether a hub needs no more looking at: the new digest is
// live there, or it is configured and its servers cannot be seen.
func (h *HubRollout) done() bool {
	return !h.LiveAt.IsZero() || (!h.Observed && !h.ConfiguredAt.IsZero())
}
