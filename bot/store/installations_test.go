package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

func TestInstallations(t *testing.T) {
	t.Parallel()
	// Each case puts installations, then adds and removes repositories of
	// installation 1 in order, then reads installation 1 back.
	type repoChange struct {
		add    []string
		remove []string
	}
	tests := []struct {
		name       string
		puts       []store.Installation
		changes    []repoChange
		wantActive bool
		wantKnown  bool
		wantRepos  []string
	}{
		{
			name: "unknown installation",
		},
		{
			name:       "active installation",
			puts:       []store.Installation{{ID: 1, Account: "2i2c-org", Active: true}},
			wantActive: true, wantKnown: true,
		},
		{
			name: "suspended after install",
			puts: []store.Installation{
				{ID: 1, Account: "2i2c-org", Active: true},
				{ID: 1, Account: "2i2c-org", Active: false},
			},
			wantActive: false, wantKnown: true,
		},
		{
			name: "another installation is not this one",
			puts: []store.Installation{{ID: 2, Account: "other", Active: true}},
		},
		{
			name:       "repositories sorted bytewise",
			puts:       []store.Installation{{ID: 1, Account: "2i2c-org", Active: true}},
			changes:    []repoChange{{add: []string{"org/b-image", "org/a-image", "Org/C-image"}}},
			wantActive: true, wantKnown: true,
			wantRepos: []string{"Org/C-image", "org/a-image", "org/b-image"},
		},
		{
			name: "adding twice keeps one",
			changes: []repoChange{
				{add: []string{"org/a-image"}},
				{add: []string{"org/a-image", "org/b-image"}},
			},
			wantRepos: []string{"org/a-image", "org/b-image"},
		},
		{
			name: "remove drops only the named, ignores unknown",
			changes: []repoChange{
				{add: []string{"org/a-image", "org/b-image", "org/c-image"}},
				{remove: []string{"org/b-image", "org/never-added"}},
			},
			wantRepos: []string{"org/a-image", "org/c-image"},
		},
		{
			name: "remove everything leaves none",
			changes: []repoChange{
				{add: []string{"org/a-image"}},
				{remove: []string{"org/a-image"}},
			},
		},
		{
			name: "putting the installation leaves its repositories",
			changes: []repoChange{
				{add: []string{"org/a-image"}},
			},
			puts:      []store.Installation{{ID: 1, Account: "renamed-org", Active: false}},
			wantKnown: true,
			wantRepos: []string{"org/a-image"},
		},
		{
			name:    "empty lists change nothing",
			changes: []repoChange{{add: []string{}}, {remove: nil}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				ctx := context.Background()
				// Repositories of installation 2 must never show up for 1.
				if err := st.AddInstallationRepos(ctx, 2, []string{"elsewhere/image"}); err != nil {
					t.Fatal(err)
				}
				for _, c := range tt.changes {
					if err := st.AddInstallationRepos(ctx, 1, c.add); err != nil {
						t.Fatalf("AddInstallationRepos: %v", err)
					}
					if err := st.RemoveInstallationRepos(ctx, 1, c.remove); err != nil {
						t.Fatalf("RemoveInstallationRepos: %v", err)
					}
				}
				for _, in := range tt.puts {
					if err := st.PutInstallation(ctx, in); err != nil {
						t.Fatalf("PutInstallation: %v", err)
					}
				}
				active, known, err := st.InstallationActive(ctx, 1)
				if err != nil {
					t.Fatalf("InstallationActive: %v", err)
				}
				if active != tt.wantActive || known != tt.wantKnown {
					t.Errorf("InstallationActive = (%v, %v), want (%v, %v)", active, known, tt.wantActive, tt.wantKnown)
				}
				repos, err := st.InstallationRepos(ctx, 1)
				if err != nil {
					t.Fatalf("InstallationRepos: %v", err)
				}
				if !slices.Equal(repos, tt.wantRepos) || (repos == nil) != (tt.wantRepos == nil) {
					t.Errorf("InstallationRepos = %#v, want %#v", repos, tt.wantRepos)
				}
			})
		})
	}
}

func TestInstallationFor(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		for _, in := range []store.Installation{{ID: 1, Account: "community", Active: true}, {ID: 2, Account: "infra", Active: true}, {ID: 3, Account: "gone", Active: false}} {
			if err := st.PutInstallation(ctx, in); err != nil {
				t.Fatal(err)
			}
		}
		must := func(err error) {
			if err != nil {
				t.Fatal(err)
			}
		}
		must(st.AddInstallationRepos(ctx, 1, []string{"community/image"}))
		must(st.AddInstallationRepos(ctx, 2, []string{"infra/hubs"}))
		must(st.AddInstallationRepos(ctx, 3, []string{"gone/hubs"}))
		tests := []struct {
			repo   string
			wantID int64
			wantOK bool
		}{
			{"infra/hubs", 2, true},
			{"Infra/Hubs", 2, true},
			{"community/image", 1, true},
			{"gone/hubs", 0, false},
			{"nobody/else", 0, false},
		}
		for _, tt := range tests {
			id, ok, err := st.InstallationFor(ctx, tt.repo)
			if err != nil || id != tt.wantID || ok != tt.wantOK {
				t.Errorf("InstallationFor(%s) = %d, %v, %v; want %d, %v", tt.repo, id, ok, err, tt.wantID, tt.wantOK)
			}
		}
	})
}
