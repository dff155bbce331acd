package status

import (
	"context"
	"time"

	"github.com/imagebot/imagebot/bot/rollout"
	"github.com/imagebot/imagebot/bot/store"
)

// view is what the page shows.
type view struct {
	Now            time.Time
	Hubs           []hubView
	Active, Recent []rolloutView
}

// hubView is one hub as its latest rollout last saw it.
type hubView struct {
	Name     string
	Seen     bool      // a rollout has looked at the hub
	Value    string    // the image, tag or digest the hub's configuration names
	Digests  []digest  // the servers on each digest
	LastSeen time.Time // when the rollout last looked
	Pull     rolloutView
}

type digest struct {
	Digest, Which string // Which is "new" or "previous"
	Servers       int
}

type rolloutView struct {
	Repo, Title, URL string
	Number           int
	Stage            rollout.Stage
	State            rollout.State
	Reached          []reached
	MergedAt, Update time.Time
}

type reached struct {
	Stage rollout.Stage
	At    time.Time
}

func build(ctx context.Context, st Rollouts, hubs []string, now time.Time) (view, error) {
	v := view{Now: now}
	active, err := st.EveryActiveRollout(ctx)
	if err != nil {
		return v, err
	}
	latest, err := st.LatestRollouts(ctx, Recent)
	if err != nil {
		return v, err
	}
	v.Active = rolloutViews(active)
	v.Recent = rolloutViews(latest)
	// Each hub as the most recently updated rollout that looked at it saw it.
	seen := map[string]hubView{}
	for _, rec := range append(active, latest...) {
		r, err := rollout.Decode(rec.Document)
		if err != nil {
			continue
		}
		for _, h := range r.Hubs {
			if h.ConfigValue == "" && !h.Observed {
				continue // the rollout has not looked at the hub yet
			}
			if prev, ok := seen[h.Name]; ok && !prev.LastSeen.Before(rec.UpdatedAt) {
				continue
			}
			seen[h.Name] = hubOf(r, h, rec)
		}
	}
	for _, name := range hubs {
		h, ok := seen[name]
		if !ok {
			h = hubView{Name: name}
		}
		v.Hubs = append(v.Hubs, h)
	}
	return v, nil
}

func hubOf(r *rollout.Rollout, h rollout.HubRollout, rec store.RolloutRecord) hubView {
	out := hubView{Name: h.Name, Seen: true, Value: h.ConfigValue, LastSeen: rec.UpdatedAt, Pull: rolloutOf(r, rec)}
	if h.Observed {
		if r.Pushed.Digest != "" {
			out.Digests = append(out.Digests, digest{Digest: r.Pushed.Digest, Which: "new", Servers: h.New})
		}
		if h.Before.Digest != "" {
			out.Digests = append(out.Digests, digest{Digest: h.Before.Digest, Which: "previous", Servers: h.Old})
		}
	}
	return out
}

func rolloutViews(recs []store.RolloutRecord) []rolloutView {
	var out []rolloutView
	for _, rec := range recs {
		if r, err := rollout.Decode(rec.Document); err == nil {
			out = append(out, rolloutOf(r, rec))
		}
	}
	return out
}

func rolloutOf(r *rollout.Rollout, rec store.RolloutRecord) rolloutView {
	v := rolloutView{Repo: r.Repo, Title: r.Title, URL: r.PullURL(), Number: r.Number, Stage: r.Stage(), State: r.State,
		MergedAt: r.MergedAt, Update: rec.UpdatedAt}
	at := r.Reached()
	for _, s := range rollout.Stages {
		if t, ok := at[s]; ok {
			v.Reached = append(v.Reached, reached{Stage: s, At: t})
		}
	}
	return v
}
