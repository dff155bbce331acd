package rollout

import (
	"context"
	"errors"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/bot/rollout/hubconfig"
	"github.com/imagebot/imagebot/bot/rollout/operator"
)

// recentRollouts is how many of a repository's latest rollouts are
// searched for the one that was last healthy on a hub.
const recentRollouts = 20

// previous fills in, for each hub, the repository's latest earlier rollout
// whose image ran well there: healthy, or live before the healthy stage
// existed. Its digest and tag are what a rollback returns to.
func (t *Tracker) previous(ctx context.Context, r *Rollout) error {
	recs, err := t.Rollouts.RecentRollouts(ctx, r.Repo, recentRollouts)
	if err != nil {
		return err
	}
	for i := range r.Hubs {
		h := &r.Hubs[i]
		for _, rec := range recs {
			prev, err := unmarshal(rec.Document)
			if err != nil || prev.Number == r.Number || !prev.MergedAt.Before(r.MergedAt) || !prev.published() {
				continue
			}
			if ph := hubNamed(prev.Hubs, h.Name); ph != nil && ph.ranWell() {
				h.Before.Digest, h.Before.Rollout, h.Before.Tag = prev.Pushed.Digest, prev.Number, prev.Tag
				break
			}
		}
	}
	return nil
}

// ranWell reports whether a rollout's image ran well on the hub.
func (h *HubRollout) ranWell() bool {
	if h.Health != nil {
		return h.Health.Verdict == Healthy
	}
	return !h.LiveAt.IsZero()
}

func hubNamed(hubs []HubRollout, name string) *HubRollout {
	for i := range hubs {
		if hubs[i].Name == name {
			return &hubs[i]
		}
	}
	return nil
}

// rollbackValue is the value that rolls a hub's configuration back: the
// value it held before this rollout, or else the previous healthy
// rollout's image, written the way the configuration writes the new one.
// It is "" when neither is known.
func (r *Rollout) rollbackValue(h *HubRollout) string {
	switch {
	case h.Before.Value != "":
		return h.Before.Value
	case h.Before.Tag == "":
		return ""
	case strings.HasPrefix(h.ConfigValue, "sha256:"):
		return h.Before.Digest
	case strings.ContainsAny(h.ConfigValue, ":/@"):
		return r.Image + ":" + h.Before.Tag
	}
	return h.Before.Tag
}

// rollBack opens, once, the pull request that rolls a failing hub back,
// where the operator lets imagebot change the hub's configuration. The
// intent is recorded before the pull request is opened; the pull request's
// branch is named after the hub and the failing tag, so a round cut short
// after opening it finds it instead of opening another.
func (t *Tracker) rollBack(ctx context.Context, gh *github.Client, r *Rollout, h *HubRollout, hub *operator.Hub, checkpoint func(context.Context) error) error {
	cr := hub.ConfigRepo
	value := r.rollbackValue(h)
	if cr == nil || !cr.OpenPullRequest || value == "" || (h.Rollback != nil && h.Rollback.State != "opening") {
		return nil
	}
	if h.Rollback == nil {
		h.Rollback = &Rollback{State: "opening"}
		if err := checkpoint(ctx); err != nil {
			return err
		}
	}
	client := t.clientFor(ctx, gh, r, cr.Repository)
	url, err := hubconfig.Rollback(ctx, client, hubconfig.RollbackRequest{
		BumpRequest: hubconfig.BumpRequest{Config: *cr, Value: value, Hub: h.Name, Tag: r.Tag, SourceRepo: r.Repo, SourcePR: r.Number, SourceURL: r.pullURL()},
		Failure:     h.Health.failureWords(text),
	})
	switch {
	case err == nil:
		h.Rollback = &Rollback{State: "opened", URL: url}
	case errors.Is(err, hubconfig.ErrAlreadySet):
		h.Rollback = &Rollback{State: "restored"}
	default:
		// Tried again next round; the intent stands.
		h.Problem = "imagebot could not open the pull request that rolls the hub back: " + err.Error()
	}
	return nil
}
