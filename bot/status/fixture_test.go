package status

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/imagebot/imagebot/bot/rollout"
	"github.com/imagebot/imagebot/bot/store"
)

// fakeRollouts is a store holding the rollouts of a small deployment: two
// hubs fed by one image repository, one rollout live, one still going, and
// older ones.
type fakeRollouts struct{ active, latest []store.RolloutRecord }

func (f *fakeRollouts) EveryActiveRollout(context.Context) ([]store.RolloutRecord, error) {
	return f.active, nil
}

func (f *fakeRollouts) LatestRollouts(_ context.Context, limit int) ([]store.RolloutRecord, error) {
	return f.latest[:min(limit, len(f.latest))], nil
}

var t0 = time.Date(2026, 11, 30, 9, 14, 0, 0, time.UTC)

const (
	oldDigest = "sha256:0ld0000000000000000000000000000000000000000000000000000000000000"
	newDigest = "sha256:4e5f60000000000000000000000000000000000000000000000000000000abcd"
)

func record(t *testing.T, r rollout.Rollout, active bool, updated time.Time) store.RolloutRecord {
	t.Helper()
	doc, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return store.RolloutRecord{Repo: r.Repo, Number: r.Number, MergeSHA: r.MergeSHA, Active: active, Document: doc,
		CreatedAt: r.MergedAt, UpdatedAt: updated}
}

// deployment holds older rollouts besides, each a day older.
func deployment(t *testing.T, older int) *fakeRollouts {
	live := liveRollout(41, "Pin sqlite and libsqlite together", t0)
	going := rollout.Rollout{Repo: "example-hub/notebook", Number: 44, Title: `Add geopandas <script>alert("x")</script>`,
		MergeSHA: "b2c3d4e5f6a70718293a4b5c6d7e8f9012345678", MergedAt: t0.Add(2 * time.Hour), Image: "quay.io/example-hub/notebook", Tag: "b2c3d4e5f6a7",
		State: rollout.Tracking, Build: rollout.Build{Status: "success", At: t0.Add(2*time.Hour + 5*time.Minute)},
		Hubs: []rollout.HubRollout{{Name: "staging"}, {Name: "prod"}}}
	f := &fakeRollouts{active: []store.RolloutRecord{record(t, going, true, t0.Add(2*time.Hour+6*time.Minute))}}
	f.latest = append(f.latest, f.active...)
	f.latest = append(f.latest, record(t, live, false, t0.Add(32*time.Minute)))
	for i := range older {
		old := liveRollout(40-i, fmt.Sprintf("Older change %d", i), t0.Add(-time.Duration(i+1)*24*time.Hour))
		f.latest = append(f.latest, record(t, old, false, old.MergedAt.Add(time.Hour)))
	}
	return f
}

// liveRollout is a rollout merged at m that went live on both hubs.
func liveRollout(number int, title string, m time.Time) rollout.Rollout {
	return rollout.Rollout{Repo: "example-hub/notebook", Number: number, Title: title,
		MergeSHA: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", MergedAt: m, Image: "quay.io/example-hub/notebook", Tag: "a1b2c3d4e5f6",
		State: rollout.Live, Build: rollout.Build{Status: "success", At: m.Add(6 * time.Minute)},
		Pushed: rollout.Published{Digest: newDigest, At: m.Add(7 * time.Minute)},
		Hubs: []rollout.HubRollout{
			{Name: "staging", ConfiguredAt: m.Add(8 * time.Minute), ConfigValue: "quay.io/example-hub/notebook:a1b2c3d4e5f6",
				LiveAt: m.Add(9 * time.Minute), Observed: true, New: 3, Old: 1, Before: rollout.Before{Digest: oldDigest}},
			{Name: "prod", ConfiguredAt: m.Add(20 * time.Minute), ConfigValue: "a1b2c3d4e5f6",
				LiveAt: m.Add(31 * time.Minute), Observed: true, New: 12, Old: 30, Before: rollout.Before{Digest: oldDigest}},
		}}
}
