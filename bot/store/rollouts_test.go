package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

func TestRollouts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		at := time.UnixMilli(1_700_000_000_000)
		first := store.RolloutRecord{Repo: "org/image", Number: 7, MergeSHA: "aaa", Active: true, Document: []byte(`{"v":1}`), CreatedAt: at, UpdatedAt: at}
		second := store.RolloutRecord{Repo: "org/image", Number: 9, MergeSHA: "bbb", Active: true, Document: []byte(`{"v":2}`), CreatedAt: at.Add(time.Minute), UpdatedAt: at.Add(time.Minute)}
		other := store.RolloutRecord{Repo: "org/other", Number: 7, MergeSHA: "aaa", Active: true, Document: []byte(`{}`), CreatedAt: at, UpdatedAt: at}
		for i, r := range []store.RolloutRecord{first, second, other} {
			created, err := st.CreateRollout(ctx, r)
			if err != nil || !created {
				t.Fatalf("create %d: %v, %v", i, created, err)
			}
		}
		again := first
		again.Document = []byte(`{"v":"redelivered"}`)
		if created, err := st.CreateRollout(ctx, again); err != nil || created {
			t.Errorf("a redelivered merge created a rollout: %v, %v", created, err)
		}
		got, ok, err := st.Rollout(ctx, "org/image", 7)
		if err != nil || !ok || string(got.Document) != `{"v":1}` || got.MergeSHA != "aaa" || !got.CreatedAt.Equal(at) {
			t.Errorf("Rollout = %+v, %v, %v", got, ok, err)
		}
		if _, ok, _ := st.Rollout(ctx, "org/image", 8); ok {
			t.Error("found a rollout for a PR without one")
		}
		active, err := st.ActiveRollouts(ctx, "org/image")
		if err != nil || len(active) != 2 || active[0].Number != 7 || active[1].Number != 9 {
			t.Errorf("ActiveRollouts = %+v, %v", active, err)
		}
		first.Active, first.Document, first.UpdatedAt = false, []byte(`{"v":"done"}`), at.Add(time.Hour)
		if err := st.UpdateRollout(ctx, first); err != nil {
			t.Fatal(err)
		}
		active, _ = st.ActiveRollouts(ctx, "org/image")
		if len(active) != 1 || active[0].Number != 9 {
			t.Errorf("after finishing #7: %+v", active)
		}
		// A swap succeeds only over the document it was read with.
		stale := second
		stale.Document = []byte(`{"v":"round"}`)
		if swapped, err := st.SwapRollout(ctx, stale, []byte(`{"v":1}`)); err != nil || swapped {
			t.Errorf("a swap over another document: %v, %v", swapped, err)
		}
		if swapped, err := st.SwapRollout(ctx, stale, second.Document); err != nil || !swapped {
			t.Errorf("a swap over the current document: %v, %v", swapped, err)
		}
		if got, _, _ := st.Rollout(ctx, "org/image", 9); string(got.Document) != `{"v":"round"}` {
			t.Errorf("after the swap: %s", got.Document)
		}
		recent, err := st.RecentRollouts(ctx, "org/image", 5)
		if err != nil || len(recent) != 2 || recent[0].Number != 9 || recent[1].Number != 7 {
			t.Errorf("RecentRollouts = %+v, %v", recent, err)
		}
		if one, _ := st.RecentRollouts(ctx, "org/image", 1); len(one) != 1 || one[0].Number != 9 {
			t.Errorf("RecentRollouts with limit 1 = %+v", one)
		}
		bySHA, err := st.RolloutsForCommit(ctx, "org/image", "aaa")
		if err != nil || len(bySHA) != 1 || string(bySHA[0].Document) != `{"v":"done"}` || bySHA[0].Active {
			t.Errorf("RolloutsForCommit = %+v, %v", bySHA, err)
		}
	})
}
