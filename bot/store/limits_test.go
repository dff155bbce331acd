package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

func TestInstallationPause(t *testing.T) {
	t.Parallel()
	// pauses are applied in order to installation 7; want is the pause read after.
	tests := []struct {
		name   string
		pauses []time.Time
		want   time.Time
	}{
		{name: "never paused", want: time.Time{}},
		{name: "paused", pauses: []time.Time{t0.Add(time.Minute)}, want: t0.Add(time.Minute)},
		{name: "a longer pause extends", pauses: []time.Time{t0.Add(time.Minute), t0.Add(time.Hour)}, want: t0.Add(time.Hour)},
		{name: "a shorter pause does not shorten", pauses: []time.Time{t0.Add(time.Hour), t0.Add(time.Minute)}, want: t0.Add(time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				ctx := context.Background()
				for _, until := range tt.pauses {
					if err := st.InstallationTurn(ctx, 7, func(ctx context.Context, turn *store.InstallationTurn) error {
						return turn.Pause(ctx, until)
					}); err != nil {
						t.Fatal(err)
					}
				}
				got, err := st.InstallationPausedUntil(ctx, 7)
				if err != nil {
					t.Fatal(err)
				}
				if !got.Equal(tt.want) {
					t.Errorf("paused until %v, want %v", got, tt.want)
				}
				var inTurn time.Time
				if err := st.InstallationTurn(ctx, 7, func(ctx context.Context, turn *store.InstallationTurn) error {
					inTurn = turn.PausedUntil()
					return nil
				}); err != nil {
					t.Fatal(err)
				}
				if !inTurn.Equal(tt.want) {
					t.Errorf("a turn reads paused until %v, want %v", inTurn, tt.want)
				}
				if other, _ := st.InstallationPausedUntil(ctx, 8); !other.IsZero() {
					t.Errorf("installation 8 is paused until %v, want never", other)
				}
			})
		})
	}
}

func TestInstallationWrites(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		for i := range 5 {
			err := st.InstallationTurn(ctx, 7, func(ctx context.Context, turn *store.InstallationTurn) error {
				return turn.RecordWrite(ctx, t0.Add(time.Duration(i)*time.Minute), t0.Add(2*time.Minute))
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		// Writes at minutes 0 and 1 were forgotten when minute 2's was recorded.
		tests := []struct {
			n      int
			want   time.Time
			wantOK bool
		}{
			{n: 1, want: t0.Add(4 * time.Minute), wantOK: true},
			{n: 3, want: t0.Add(2 * time.Minute), wantOK: true},
			{n: 4, wantOK: false},
		}
		for _, tt := range tests {
			st.InstallationTurn(ctx, 7, func(ctx context.Context, turn *store.InstallationTurn) error {
				got, ok, err := turn.NthLatestWrite(ctx, tt.n)
				if err != nil {
					t.Fatal(err)
				}
				if ok != tt.wantOK || !got.Equal(tt.want) {
					t.Errorf("write %d: %v %v, want %v %v", tt.n, got, ok, tt.want, tt.wantOK)
				}
				return nil
			})
		}
		st.InstallationTurn(ctx, 8, func(ctx context.Context, turn *store.InstallationTurn) error {
			if _, ok, _ := turn.NthLatestWrite(ctx, 1); ok {
				t.Error("installation 8 has a write of installation 7")
			}
			return nil
		})
	})
}

// TestInstallationTurnsExclude takes turns at one installation from two
// connections to one PostgreSQL database, as two replicas do: a turn must
// not begin while the other holds it, and must see the pause it recorded.
func TestInstallationTurnsExclude(t *testing.T) {
	t.Parallel()
	url := storetest.URL(t, store.Postgres)
	replicas := make([]*store.Store, 2)
	for i := range replicas {
		st, err := store.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if err := st.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		replicas[i] = st
	}
	ctx := context.Background()
	entered := make(chan struct{})
	release := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		replicas[0].InstallationTurn(ctx, 7, func(ctx context.Context, turn *store.InstallationTurn) error {
			close(entered)
			<-release
			return turn.Pause(ctx, t0.Add(time.Hour))
		})
	})
	<-entered
	second := make(chan time.Time, 1)
	wg.Go(func() {
		replicas[1].InstallationTurn(ctx, 7, func(ctx context.Context, turn *store.InstallationTurn) error {
			second <- turn.PausedUntil()
			return nil
		})
	})
	// Another installation's turn is not held up.
	if err := replicas[1].InstallationTurn(ctx, 8, func(context.Context, *store.InstallationTurn) error { return nil }); err != nil {
		t.Fatal(err)
	}
	select {
	case <-second:
		t.Fatal("a second turn at installation 7 began while the first held it")
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	if got := <-second; !got.Equal(t0.Add(time.Hour)) {
		t.Errorf("the second turn read paused until %v, want the first turn's %v", got, t0.Add(time.Hour))
	}
	wg.Wait()

	// Waiting for a turn ends with the context.
	held := make(chan struct{})
	done := make(chan struct{})
	go replicas[0].InstallationTurn(ctx, 9, func(context.Context, *store.InstallationTurn) error {
		close(held)
		<-done
		return nil
	})
	<-held
	waitCtx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if err := replicas[1].InstallationTurn(waitCtx, 9, func(context.Context, *store.InstallationTurn) error { return nil }); err == nil {
		t.Error("a turn began while another held it, or waiting ignored the context")
	}
	close(done)
}
