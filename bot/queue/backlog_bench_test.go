package queue

import (
	"context"
	"fmt"
	"testing"

	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

// BenchmarkInBatchBacklog runs the intake's transaction, one delivery's
// job inserted by InBatch, while jobs wait in the queue (a burst that the
// workers have not caught up with): none or 5,000 at the start, and one
// more after each iteration.
func BenchmarkInBatchBacklog(b *testing.B) {
	for _, backlog := range []int{0, 5000} {
		b.Run(fmt.Sprintf("pending=%d", backlog), func(b *testing.B) {
			st := storetest.Open(b, store.SQLite)
			opts := testOptions(nil)
			opts.MaxPending = 1 << 30                     // every iteration adds a job that waits
			q, err := New(context.Background(), st, opts) // not started: jobs stay pending
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			for start := 0; start < backlog; start += 1000 {
				err := q.InBatch(ctx, func(ctx context.Context) error {
					for i := start; i < min(start+1000, backlog); i++ {
						if _, err := q.Insert(ctx, testArgs{Key: fmt.Sprintf("waiting-%d", i)}, nil); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			n := 0
			for b.Loop() {
				n++
				err := q.InBatch(ctx, func(ctx context.Context) error {
					_, err := q.Insert(ctx, testArgs{Key: fmt.Sprintf("new-%d", n)}, &river.InsertOpts{})
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
