package store_test

import (
	"context"
	"testing"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

func TestComments(t *testing.T) {
	t.Parallel()
	intent := store.CommentRecord{Repo: "org/image", Number: 12, Kind: "dependency-diff"}
	created := store.CommentRecord{Repo: "org/image", Number: 12, Kind: "dependency-diff", ID: 9001, BodyHash: "b1", HadChanges: true}
	cleared := store.CommentRecord{Repo: "org/image", Number: 12, Kind: "dependency-diff", ID: 9001, BodyHash: "b2", HadChanges: false}
	tests := []struct {
		name   string
		puts   []store.CommentRecord
		want   store.CommentRecord
		wantOK bool
	}{
		{name: "none recorded"},
		{name: "intent before creation", puts: []store.CommentRecord{intent}, want: intent, wantOK: true},
		{name: "id after creation replaces the intent", puts: []store.CommentRecord{intent, created}, want: created, wantOK: true},
		{name: "changes gone: new body, no changes", puts: []store.CommentRecord{created, cleared}, want: cleared, wantOK: true},
		{
			name: "another kind, number or repository is separate",
			puts: []store.CommentRecord{
				created,
				{Repo: "org/image", Number: 12, Kind: "rollout", ID: 1},
				{Repo: "org/image", Number: 13, Kind: "dependency-diff", ID: 2},
				{Repo: "org/other", Number: 12, Kind: "dependency-diff", ID: 3},
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
					if err := st.PutComment(ctx, rec); err != nil {
						t.Fatalf("PutComment: %v", err)
					}
				}
				got, ok, err := st.Comment(ctx, "org/image", 12, "dependency-diff")
				if err != nil {
					t.Fatalf("Comment: %v", err)
				}
				if got != tt.want || ok != tt.wantOK {
					t.Errorf("Comment = (%+v, %v), want (%+v, %v)", got, ok, tt.want, tt.wantOK)
				}
			})
		})
	}
}
