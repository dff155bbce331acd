package redeliver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/failure"
	"github.com/imagebot/imagebot/bot/githubapp"
)

// Window is how far back GitHub lets an App ask for a redelivery: three days.
const Window = 72 * time.Hour

// keep is how long delivery ids and redelivery claims are kept: the window
// and a day, so that no redelivery GitHub can still make finds its id
// forgotten.
const keep = Window + 24*time.Hour

// Sweep defaults.
const (
	defaultMaxPages        = 10
	defaultMaxRedeliveries = 50
	pageSize               = 100
)

// SweepArgs is the periodic job that sweeps the App's failed deliveries.
type SweepArgs struct{}

// Kind names the job in River.
func (SweepArgs) Kind() string { return "hook_delivery_sweep" }

// State is what the sweep reads and records.
type State interface {
	// DeliverySeen reports whether imagebot recorded the delivery id.
	DeliverySeen(ctx context.Context, id string) (bool, error)
	// ClaimRedelivery records that a redelivery of guid is asked for;
	// claimed is false when one was asked for already.
	ClaimRedelivery(ctx context.Context, guid string, hookDeliveryID int64, at time.Time) (claimed bool, err error)
	// ReleaseRedelivery forgets the claim, when asking failed.
	ReleaseRedelivery(ctx context.Context, guid string) error
	DeleteRedeliveriesBefore(ctx context.Context, t time.Time) (int64, error)
	DeleteDeliveriesBefore(ctx context.Context, t time.Time) (int64, error)
}

// Worker runs the sweep.
type Worker struct {
	river.WorkerDefaults[SweepArgs]
	Clients githubapp.ClientCreator
	State   State
	Logger  *slog.Logger
	Metrics *Metrics
	Now     func() time.Time
	// MaxPages bounds the pages of failed deliveries (100 each) one sweep
	// reads; default 10.
	MaxPages int
	// MaxRedeliveries bounds the redeliveries one sweep asks for; default
	// 50. The next sweep goes on where this one stopped.
	MaxRedeliveries int
}

// Work lists the App's failed deliveries, newest first, down to Window ago
// or MaxPages pages, and asks for a redelivery of each one imagebot never
// recorded and never asked for, up to MaxRedeliveries. A redelivery keeps
// its X-GitHub-Delivery id, so one that arrives twice is handled once. It
// then forgets the delivery ids and claims older than the window and a day.
func (w *Worker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	now := w.Now()
	gh, err := w.Clients.NewAppClient()
	if err != nil {
		return err
	}
	s := sweep{Worker: w, gh: gh, now: now, seen: map[string]bool{}}
	if err := s.run(ctx); err != nil {
		w.Logger.Warn("delivery sweep failed", "err", err, "listed", s.listed, "redelivered", s.redelivered)
		return failure.Decide(err)
	}
	w.Logger.Info("delivery sweep", "failed_listed", s.listed, "redelivered", s.redelivered, "pages", s.pages)
	if _, err := w.State.DeleteDeliveriesBefore(ctx, now.Add(-keep)); err != nil {
		return err
	}
	_, err = w.State.DeleteRedeliveriesBefore(ctx, now.Add(-keep))
	return err
}

// sweep is one run's progress.
type sweep struct {
	*Worker
	gh                         *github.Client
	now                        time.Time
	seen                       map[string]bool // guids looked at in this run
	pages, listed, redelivered int
}

func (s *sweep) run(ctx context.Context) error {
	maxPages, maxRedeliveries := s.MaxPages, s.MaxRedeliveries
	if maxPages <= 0 {
		maxPages = defaultMaxPages
	}
	if maxRedeliveries <= 0 {
		maxRedeliveries = defaultMaxRedeliveries
	}
	cursor := ""
	for s.pages < maxPages {
		page, next, err := s.failedDeliveries(ctx, cursor)
		if err != nil {
			return err
		}
		s.pages++
		for _, d := range page {
			if d.GetDeliveredAt().Before(s.now.Add(-Window)) {
				return nil // older ones follow: GitHub would refuse them
			}
			s.listed++
			if s.redelivered >= maxRedeliveries {
				return nil
			}
			if err := s.consider(ctx, d); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		cursor = next
	}
	return nil
}

// failedDeliveries lists one page of the App's failed deliveries (those
// imagebot answered 400 or above, or not at all), newest first, and returns
// the cursor of the next page, "" after the last.
func (s *sweep) failedDeliveries(ctx context.Context, cursor string) ([]*github.HookDelivery, string, error) {
	q := url.Values{"per_page": {strconv.Itoa(pageSize)}, "status": {"failure"}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	req, err := s.gh.NewRequest(http.MethodGet, "app/hook/deliveries?"+q.Encode(), nil)
	if err != nil {
		return nil, "", err
	}
	var page []*github.HookDelivery
	resp, err := s.gh.Do(ctx, req, &page)
	if err != nil {
		return nil, "", fmt.Errorf("list the App's failed deliveries: %w", err)
	}
	return page, resp.Cursor, nil
}

// consider asks for a redelivery of d unless imagebot recorded its guid or
// asked for it before.
func (s *sweep) consider(ctx context.Context, d *github.HookDelivery) error {
	guid := d.GetGUID()
	if guid == "" || s.seen[guid] {
		return nil
	}
	s.seen[guid] = true
	if recorded, err := s.State.DeliverySeen(ctx, guid); err != nil || recorded {
		return err
	}
	claimed, err := s.State.ClaimRedelivery(ctx, guid, d.GetID(), s.now)
	if err != nil || !claimed {
		return err
	}
	_, _, err = s.gh.Apps.RedeliverHookDelivery(ctx, d.GetID())
	var accepted *github.AcceptedError
	if err != nil && !errors.As(err, &accepted) {
		if releaseErr := s.State.ReleaseRedelivery(context.WithoutCancel(ctx), guid); releaseErr != nil {
			return errors.Join(err, releaseErr)
		}
		return fmt.Errorf("redeliver %s (%s.%s of %s): %w", guid, d.GetEvent(), d.GetAction(), d.GetDeliveredAt().Format(time.RFC3339), err)
	}
	s.redelivered++
	s.Metrics.redelivered(d.GetEvent())
	s.Logger.Info("asked GitHub to redeliver a missed delivery", "delivery", guid, "event", d.GetEvent(), "action", d.GetAction(),
		"delivered_at", d.GetDeliveredAt().Time, "status_code", d.GetStatusCode())
	return nil
}
