package store_test

import (
	"context"
	"testing"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

func TestCheckRuns(t *testing.T) {
	t.Parallel()
	intent := store.CheckRunRecord{Repo: "org/image", SHA: "abc", Name: "lockfile-present"}
	created := store.CheckRunRecord{Repo: "org/image", SHA: "abc", Name: "lockfile-present", ID: 4242, OutputHash: "h1"}
	tests := []struct {
		name   string
		puts   []store.CheckRunRecord
		want   store.CheckRunRecord
		wantOK bool
	}{
		{name: "none recorded"},
		{name: "intent before creation", puts: []store.CheckRunRecord{intent}, want: intent, wantOK: true},
		{name: "id after creation replaces the intent", puts: []store.CheckRunRecord{intent, created}, want: created, wantOK: true},
		{
			name: "a new output hash replaces the old",
			puts: []store.CheckRunRecord{created, {Repo: "org/image", SHA: "abc", Name: "lockfile-present", ID: 4242, OutputHash: "h2"}},
			want: store.CheckRunRecord{Repo: "org/image", SHA: "abc", Name: "lockfile-present", ID: 4242, OutputHash: "h2"}, wantOK: true,
		},
		{
			name: "another check, commit or repository is separate",
			puts: []store.CheckRunRecord{
				created,
				{Repo: "org/image", SHA: "abc", Name: "lockfile-fresh", ID: 1},
				{Repo: "org/image", SHA: "def", Name: "lockfile-present", ID: 2},
				{Repo: "org/other", SHA: "abc", Name: "lockfile-present", ID: 3},
			},
			want: created, wantOK: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				ctx := context.Background()
				for _, rec := range tt.puts {
					if err := st.PutCheckRun(ctx, rec); err != nil {
						t.Fatalf("PutCheckRun: %v", err)
					}
				}
				got, ok, err := st.CheckRun(ctx, "org/image", "abc", "lockfile-present")
				if err != nil {
					t.Fatalf("CheckRun: %v", err)
				}
				if got != tt.want || ok != tt.wantOK {
					t.Errorf("CheckRun = (%+v, %v), want (%+v, %v)", got, ok, tt.want, tt.wantOK)
				}
			})
		})
	}
}
