package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

// t0 is an arbitrary instant that the store tests count from.
var t0 = time.UnixMilli(1_700_000_000_000)

func TestDeliveries(t *testing.T) {
	t.Parallel()
	// A step either records a delivery (record != "") or deletes the
	// deliveries received before deleteBefore.
	type step struct {
		record       string
		at           time.Time
		wantFresh    bool
		deleteBefore time.Time
		wantDeleted  int64
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{
			name:  "first delivery is fresh",
			steps: []step{{record: "d-1", at: t0, wantFresh: true}},
		},
		{
			name: "redelivery is not fresh",
			steps: []step{
				{record: "d-1", at: t0, wantFresh: true},
				{record: "d-1", at: t0.Add(time.Hour), wantFresh: false},
			},
		},
		{
			name: "distinct ids are each fresh",
			steps: []step{
				{record: "d-1", at: t0, wantFresh: true},
				{record: "d-2", at: t0, wantFresh: true},
			},
		},
		{
			name: "redelivery keeps the first receipt time",
			steps: []step{
				{record: "d-1", at: t0, wantFresh: true},
				{record: "d-1", at: t0.Add(2 * time.Hour), wantFresh: false},
				{deleteBefore: t0.Add(time.Hour), wantDeleted: 1},
			},
		},
		{
			name: "delete is strictly before, to the millisecond",
			steps: []step{
				{record: "d-old", at: t0.Add(-time.Millisecond), wantFresh: true},
				{record: "d-now", at: t0, wantFresh: true},
				{deleteBefore: t0, wantDeleted: 1},
				{record: "d-now", at: t0, wantFresh: false},
				{record: "d-old", at: t0, wantFresh: true},
			},
		},
		{
			name: "delete with nothing old deletes nothing",
			steps: []step{
				{record: "d-1", at: t0, wantFresh: true},
				{deleteBefore: t0.Add(-24 * time.Hour), wantDeleted: 0},
				{record: "d-1", at: t0, wantFresh: false},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				ctx := context.Background()
				for i, s := range tt.steps {
					if s.record != "" {
						seen, err := st.DeliverySeen(ctx, s.record)
						if err != nil {
							t.Fatalf("step %d: DeliverySeen: %v", i, err)
						}
						if seen == s.wantFresh {
							t.Errorf("step %d: DeliverySeen(%q) = %v before recording, want %v", i, s.record, seen, !s.wantFresh)
						}
						fresh, err := st.RecordDelivery(ctx, s.record, "pull_request", "opened", s.at)
						if err != nil {
							t.Fatalf("step %d: RecordDelivery: %v", i, err)
						}
						if fresh != s.wantFresh {
							t.Errorf("step %d: RecordDelivery(%q) fresh = %v, want %v", i, s.record, fresh, s.wantFresh)
						}
						continue
					}
					n, err := st.DeleteDeliveriesBefore(ctx, s.deleteBefore)
					if err != nil {
						t.Fatalf("step %d: DeleteDeliveriesBefore: %v", i, err)
					}
					if n != s.wantDeleted {
						t.Errorf("step %d: DeleteDeliveriesBefore deleted %d, want %d", i, n, s.wantDeleted)
					}
				}
			})
		})
	}
}

func TestRecordDeliveries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		before    []string // recorded one by one first
		batch     []string
		wantFresh []bool
	}{
		{name: "all fresh", batch: []string{"a", "b", "c"}, wantFresh: []bool{true, true, true}},
		{name: "some recorded before", before: []string{"b"}, batch: []string{"a", "b", "c"}, wantFresh: []bool{true, false, true}},
		{name: "an id twice in the batch: the second is a redelivery", batch: []string{"a", "b", "a"}, wantFresh: []bool{true, true, false}},
		{name: "an id with quotes and brackets", batch: []string{`x"],["y`, "y"}, wantFresh: []bool{true, true}},
		{name: "empty batch", batch: []string{}, wantFresh: []bool{}},
		// SQLite rounds 17 rows up to a statement of 32, repeating the last.
		{name: "a batch between statement sizes", batch: numbered(17), wantFresh: repeat(true, 17)},
		// SQLite records 256 deliveries per statement: the first id comes
		// back in the second statement.
		{name: "a redelivery past the first statement", batch: append(numbered(300), "delivery-0"),
			wantFresh: append(repeat(true, 300), false)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				ctx := context.Background()
				for _, id := range tt.before {
					if _, err := st.RecordDelivery(ctx, id, "pull_request", "opened", t0); err != nil {
						t.Fatal(err)
					}
				}
				events, actions := make([]string, len(tt.batch)), make([]string, len(tt.batch))
				for i := range tt.batch {
					events[i], actions[i] = "pull_request", "opened"
				}
				fresh, err := st.RecordDeliveries(ctx, tt.batch, events, actions, t0.Add(time.Minute))
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(fresh) != fmt.Sprint(tt.wantFresh) {
					t.Errorf("fresh = %v, want %v", fresh, tt.wantFresh)
				}
				for _, id := range tt.batch {
					if seen, err := st.DeliverySeen(ctx, id); err != nil || !seen {
						t.Errorf("%s seen = %v, %v; want true", id, seen, err)
					}
				}
			})
		})
	}
}

// numbered returns n distinct delivery ids.
func numbered(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("delivery-%d", i)
	}
	return ids
}

// repeat returns n copies of v.
func repeat(v bool, n int) []bool {
	s := make([]bool, n)
	for i := range s {
		s[i] = v
	}
	return s
}
