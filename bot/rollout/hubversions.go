package rollout

import (
	"context"
	"log/slog"

	"github.com/imagebot/imagebot/bot/rollout/operator"
	"github.com/imagebot/imagebot/checks"
)

// HubVersions tells the pull request check which JupyterHub versions the
// hubs a repository feeds run, for hub-compatible: the hubs come from the
// operator's configuration, each one's version from its API (GET
// /hub/api/, cached).
type HubVersions struct {
	Config   *operator.Config
	Versions interface {
		Version(ctx context.Context, base string) (string, error)
	}
	Logger *slog.Logger
}

// HubVersions returns the hubs that the repository fullName feeds, narrowed
// to requested (its own rollout.hubs) when it names any, with their
// versions; a hub whose version could not be read has Version "". It
// returns none for a repository the operator did not configure.
func (v *HubVersions) HubVersions(ctx context.Context, fullName string, requested []string) []checks.Hub {
	repo, ok := v.Config.Repository(fullName)
	if !ok {
		return nil
	}
	hubs, _ := v.Config.HubsFor(repo, requested)
	out := make([]checks.Hub, 0, len(hubs))
	for _, h := range hubs {
		version, err := v.Versions.Version(ctx, h.API())
		if err != nil && v.Logger != nil {
			v.Logger.WarnContext(ctx, "hub version", "hub", h.Name, "err", err)
		}
		out = append(out, checks.Hub{Name: h.Name, Version: version})
	}
	return out
}
