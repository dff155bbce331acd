package store_test

import (
	"context"
	"testing"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

func TestHelpRequests(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		for _, step := range []struct {
			request bool // ask for help on org/image#7 first
			want    map[int]bool
		}{
			{request: false, want: map[int]bool{7: false, 8: false}},
			{request: true, want: map[int]bool{7: true, 8: false}},
			{request: true, want: map[int]bool{7: true, 8: false}}, // asking twice is asking once
		} {
			if step.request {
				if err := st.RequestHelp(ctx, "org/image", 7); err != nil {
					t.Fatal(err)
				}
			}
			for number, want := range step.want {
				got, err := st.HelpRequested(ctx, "org/image", number)
				if err != nil || got != want {
					t.Errorf("HelpRequested(#%d) = %v, %v; want %v", number, got, err, want)
				}
			}
		}
	})
}
