package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

// BenchmarkRecordDeliveries records a group of 7 fresh deliveries in one
// transaction, as the webhook's group commit does at 16 connections.
func BenchmarkRecordDeliveries(b *testing.B) {
	st := storetest.Open(b, store.SQLite)
	ctx := context.Background()
	events, actions := make([]string, 7), make([]string, 7)
	for i := range events {
		events[i], actions[i] = "pull_request", "opened"
	}
	n := 0
	for b.Loop() {
		ids := make([]string, 7)
		for i := range ids {
			ids[i] = fmt.Sprintf("bench-%d", n)
			n++
		}
		tx, err := st.DB().BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.RecordDeliveries(store.WithTx(ctx, tx), ids, events, actions, t0); err != nil {
			b.Fatal(err)
		}
		if err := tx.Rollback(); err != nil {
			b.Fatal(err)
		}
	}
}
