package review

import (
	"context"
	"fmt"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/webhook"
)

// InstallationState records installations and their repositories.
type InstallationState interface {
	PutInstallation(ctx context.Context, in store.Installation) error
	AddInstallationRepos(ctx context.Context, id int64, fullNames []string) error
	RemoveInstallationRepos(ctx context.Context, id int64, fullNames []string) error
}

// Installations records `installation` and `installation_repositories`
// deliveries. An uninstalled or suspended installation's pending jobs
// find it inactive and stop.
type Installations struct {
	State InstallationState
}

// Handles names the installation events.
func (*Installations) Handles() []string {
	return []string{"installation", "installation_repositories"}
}

// Handle records the change.
func (h *Installations) Handle(ctx context.Context, e webhook.Event) error {
	parsed, err := github.ParseWebHook(e.Name, e.Payload)
	if err != nil {
		return fmt.Errorf("parse %s payload: %w", e.Name, err)
	}
	switch ev := parsed.(type) {
	case *github.InstallationEvent:
		in := ev.GetInstallation()
		active := true
		switch ev.GetAction() {
		case "deleted", "suspend":
			active = false
		}
		if err := h.State.PutInstallation(ctx, store.Installation{ID: in.GetID(), Account: in.GetAccount().GetLogin(), Active: active}); err != nil {
			return err
		}
		if ev.GetAction() == "created" {
			return h.State.AddInstallationRepos(ctx, in.GetID(), repoNames(ev.Repositories))
		}
	case *github.InstallationRepositoriesEvent:
		id := ev.GetInstallation().GetID()
		if err := h.State.AddInstallationRepos(ctx, id, repoNames(ev.RepositoriesAdded)); err != nil {
			return err
		}
		return h.State.RemoveInstallationRepos(ctx, id, repoNames(ev.RepositoriesRemoved))
	}
	return nil
}

func repoNames(repos []*github.Repository) []string {
	out := make([]string, 0, len(repos))
	for _, r := range repos {
		out = append(out, r.GetFullName())
	}
	return out
}
