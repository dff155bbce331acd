package app

import (
	"context"

	"github.com/imagebot/imagebot/bot/githubapp"
	"github.com/imagebot/imagebot/bot/store"
)

// installationLimits keeps the GitHub client's per-installation limits (its
// pause, its write log, its one call at a time) in the store, where every
// replica sees them.
type installationLimits struct{ st *store.Store }

func (l installationLimits) Turn(ctx context.Context, installation int64, fn func(ctx context.Context, t githubapp.Turn) error) error {
	return l.st.InstallationTurn(ctx, installation, func(ctx context.Context, t *store.InstallationTurn) error {
		return fn(ctx, t)
	})
}
