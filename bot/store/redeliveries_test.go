package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

func TestRedeliveries(t *testing.T) {
	t.Parallel()
	// A step claims guid (claim != ""), releases it (release != "") or
	// deletes the claims made before deleteBefore.
	type step struct {
		claim, release string
		at             time.Time
		wantClaimed    bool
		deleteBefore   time.Time
		wantDeleted    int64
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{name: "first claim", steps: []step{{claim: "g-1", at: t0, wantClaimed: true}}},
		{name: "second claim of a guid", steps: []step{
			{claim: "g-1", at: t0, wantClaimed: true},
			{claim: "g-1", at: t0.Add(time.Minute), wantClaimed: false},
		}},
		{name: "released claim is claimed again", steps: []step{
			{claim: "g-1", at: t0, wantClaimed: true},
			{release: "g-1"},
			{claim: "g-1", at: t0.Add(time.Minute), wantClaimed: true},
		}},
		{name: "old claims are forgotten", steps: []step{
			{claim: "g-1", at: t0, wantClaimed: true},
			{claim: "g-2", at: t0.Add(time.Hour), wantClaimed: true},
			{deleteBefore: t0.Add(time.Minute), wantDeleted: 1},
			{claim: "g-1", at: t0.Add(2 * time.Hour), wantClaimed: true},
			{claim: "g-2", at: t0.Add(2 * time.Hour), wantClaimed: false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				ctx := context.Background()
				for i, s := range tt.steps {
					switch {
					case s.claim != "":
						claimed, err := st.ClaimRedelivery(ctx, s.claim, int64(i+1), s.at)
						if err != nil {
							t.Fatal(err)
						}
						if claimed != s.wantClaimed {
							t.Errorf("step %d: claim %s = %v, want %v", i, s.claim, claimed, s.wantClaimed)
						}
					case s.release != "":
						if err := st.ReleaseRedelivery(ctx, s.release); err != nil {
							t.Fatal(err)
						}
					default:
						n, err := st.DeleteRedeliveriesBefore(ctx, s.deleteBefore)
						if err != nil {
							t.Fatal(err)
						}
						if n != s.wantDeleted {
							t.Errorf("step %d: deleted %d, want %d", i, n, s.wantDeleted)
						}
					}
				}
			})
		})
	}
}
