package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

func TestPulls(t *testing.T) {
	t.Parallel()
	type put struct {
		repo   string
		number int
		sha    string
		at     time.Time
		draft  bool
	}
	tests := []struct {
		name      string
		puts      []put
		wantSHA   string
		wantOK    bool
		wantDraft bool
		wantAt    time.Time // when set, the time recorded
	}{
		{name: "none recorded"},
		{
			name:    "one head",
			puts:    []put{{"org/image", 7, "aaa", t0, false}},
			wantSHA: "aaa", wantOK: true,
		},
		{
			name:    "a draft",
			puts:    []put{{"org/image", 7, "aaa", t0, true}},
			wantSHA: "aaa", wantOK: true, wantDraft: true,
		},
		{
			name:    "ready for review after a draft",
			puts:    []put{{"org/image", 7, "aaa", t0, true}, {"org/image", 7, "aaa", t0.Add(time.Second), false}},
			wantSHA: "aaa", wantOK: true,
		},
		{
			name:    "a newer push replaces the head",
			puts:    []put{{"org/image", 7, "aaa", t0, false}, {"org/image", 7, "bbb", t0.Add(time.Minute), false}},
			wantSHA: "bbb", wantOK: true,
		},
		{
			name:    "a late delivery of an older push is ignored",
			puts:    []put{{"org/image", 7, "bbb", t0.Add(time.Minute), false}, {"org/image", 7, "aaa", t0, false}},
			wantSHA: "bbb", wantOK: true,
		},
		{
			name:    "the same state again keeps the time of its change",
			puts:    []put{{"org/image", 7, "aaa", t0, false}, {"org/image", 7, "aaa", t0.Add(time.Minute), false}},
			wantSHA: "aaa", wantOK: true, wantAt: t0,
		},
		{
			name:    "a change is recorded with its time",
			puts:    []put{{"org/image", 7, "aaa", t0, true}, {"org/image", 7, "aaa", t0.Add(time.Minute), false}},
			wantSHA: "aaa", wantOK: true, wantAt: t0.Add(time.Minute),
		},
		{
			name:    "at the same millisecond the later write wins",
			puts:    []put{{"org/image", 7, "aaa", t0, false}, {"org/image", 7, "bbb", t0, false}},
			wantSHA: "bbb", wantOK: true,
		},
		{
			name:    "other pull requests and repositories are separate",
			puts:    []put{{"org/image", 7, "aaa", t0, false}, {"org/image", 8, "ccc", t0.Add(time.Minute), false}, {"org/other", 7, "ddd", t0.Add(time.Minute), false}},
			wantSHA: "aaa", wantOK: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				ctx := context.Background()
				for _, p := range tt.puts {
					pull := store.Pull{Repo: p.repo, Number: p.number, HeadSHA: p.sha, BaseSHA: "base-" + p.sha, Draft: p.draft, UpdatedAt: p.at}
					if err := st.PutPull(ctx, pull); err != nil {
						t.Fatalf("PutPull: %v", err)
					}
				}
				got, ok, err := st.Pull(ctx, "org/image", 7)
				if err != nil {
					t.Fatalf("Pull: %v", err)
				}
				if got.HeadSHA != tt.wantSHA || ok != tt.wantOK || got.Draft != tt.wantDraft {
					t.Errorf("Pull = (%+v, %v), want head %q, ok %v, draft %v", got, ok, tt.wantSHA, tt.wantOK, tt.wantDraft)
				}
				if !tt.wantAt.IsZero() && !got.UpdatedAt.Equal(tt.wantAt.Truncate(time.Millisecond)) {
					t.Errorf("recorded at %s, want %s", got.UpdatedAt, tt.wantAt)
				}
				if ok && (got.BaseSHA != "base-"+tt.wantSHA || got.Repo != "org/image" || got.Number != 7) {
					t.Errorf("Pull = %+v", got)
				}
			})
		})
	}
}
