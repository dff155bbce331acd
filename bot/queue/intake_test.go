package queue

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
	"github.com/imagebot/imagebot/bot/webhook"
)

var intakeSecret = []byte("intake-test-secret-0123456789")

// enqueuer is a webhook handler that inserts one job per delivery, keyed by
// the delivery id, and fails the deliveries whose action is "fail" after
// inserting their job.
type enqueuer struct{ q *Queue }

func (enqueuer) Handles() []string { return []string{"pull_request"} }
func (h enqueuer) Handle(ctx context.Context, e webhook.Event) error {
	if _, err := h.q.Insert(ctx, testArgs{Key: e.DeliveryID}, nil); err != nil {
		if errors.Is(err, ErrQueueFull) {
			return fmt.Errorf("%w: %w", webhook.ErrQueueFull, err)
		}
		return err
	}
	if e.Action == "fail" {
		return errors.New("the handler failed after inserting its job")
	}
	return nil
}

// TestGroupCommit sends concurrent deliveries through the webhook handler
// with the queue's transactions: distinct ones, redeliveries, deliveries
// whose handler fails after inserting its job, and more than the backlog
// bound allows. Whatever the grouping, a delivery answered "accepted" has
// exactly one job and one delivery record, and any other has neither: the
// record and the job commit together.
func TestGroupCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		opts := testOptions(nil)
		opts.MaxPending = 30
		q := newTestQueue(t, st, opts) // not started: jobs stay pending
		h, err := webhook.NewHandler(intakeSecret, st, []webhook.EventHandler{enqueuer{q}},
			webhook.WithTransactions(q), webhook.WithLogger(slog.New(slog.DiscardHandler)))
		if err != nil {
			t.Fatal(err)
		}
		type delivery struct{ id, action string }
		var deliveries []delivery
		for i := range 40 {
			deliveries = append(deliveries, delivery{fmt.Sprintf("ok-%d", i), "opened"})
		}
		for i := range 10 {
			deliveries = append(deliveries, delivery{fmt.Sprintf("ok-%d", i), "opened"}) // redeliveries
			deliveries = append(deliveries, delivery{fmt.Sprintf("fail-%d", i), "fail"})
		}
		var mu sync.Mutex
		answers := map[string][]string{}
		var wg sync.WaitGroup
		for _, d := range deliveries {
			wg.Go(func() {
				body := fmt.Appendf(nil, `{"action":%q,"installation":{"id":1},"repository":{"id":2},"pull_request":{"id":3,"number":4}}`, d.action)
				req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
				req.Header.Set("X-GitHub-Event", "pull_request")
				req.Header.Set("X-GitHub-Delivery", d.id)
				req.Header.Set(webhook.SignatureHeader, webhook.SignatureFor(intakeSecret, body))
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				answer := fmt.Sprintf("%d %s", rec.Code, strings.TrimSpace(rec.Body.String()))
				if rec.Code == http.StatusServiceUnavailable && rec.Header().Get("Retry-After") == "" {
					answer += " without Retry-After"
				}
				mu.Lock()
				answers[d.id] = append(answers[d.id], answer)
				mu.Unlock()
			})
		}
		wg.Wait()

		argsQuery := `SELECT args::text FROM river_job`
		if st.Dialect() == store.SQLite {
			argsQuery = `SELECT json(args) FROM river_job` // River keeps JSONB there
		}
		jobs := idSet(t, st, argsQuery, func(args string) string {
			var a testArgs
			if err := json.Unmarshal([]byte(args), &a); err != nil {
				t.Fatalf("job args %s: %v", args, err)
			}
			return a.Key
		})
		records := idSet(t, st, `SELECT id FROM deliveries`, func(id string) string { return id })
		accepted := 0
		for id, got := range answers {
			isAccepted := false
			for _, a := range got {
				switch a {
				case "202 accepted":
					accepted++
					isAccepted = true
				case "202 duplicate delivery", "503 busy; redeliver later":
				case "500 could not handle the delivery":
					if !strings.HasPrefix(id, "fail-") {
						t.Errorf("%s: %s", id, a)
					}
				default:
					t.Errorf("%s: unexpected answer %q", id, a)
				}
			}
			if jobs[id] != isAccepted || records[id] != isAccepted {
				t.Errorf("%s answered %q: job %v, record %v; want both %v", id, got, jobs[id], records[id], isAccepted)
			}
		}
		if accepted != 30 {
			t.Errorf("%d deliveries accepted, want 30 (the backlog bound)", accepted)
		}
		if len(jobs) != accepted || len(records) != accepted {
			t.Errorf("%d jobs and %d records for %d accepted deliveries", len(jobs), len(records), accepted)
		}
	})
}

// idSet runs query and returns the set of ids that key reads from its rows.
func idSet(t *testing.T, st *store.Store, query string, key func(string) string) map[string]bool {
	t.Helper()
	rows, err := st.DB().Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	set := map[string]bool{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		set[key(v)] = true
	}
	return set
}

// sharer is a webhook handler whose deliveries all insert the same unique
// job (testArgs' Key is its unique field), under opts.
type sharer struct {
	q    *Queue
	opts river.InsertOpts
}

func (sharer) Handles() []string { return []string{"pull_request"} }
func (h sharer) Handle(ctx context.Context, e webhook.Event) error {
	_, err := h.q.Insert(ctx, testArgs{Key: "shared", Mode: e.DeliveryID}, &h.opts)
	return err
}

// TestGroupCommitSharedUniqueJob sends concurrent deliveries that all
// insert one unique job: every delivery is accepted and recorded, and one
// job is inserted, whether the group's batch merges the equal jobs itself
// or River refuses the batch (unique by queue, which the batch does not
// merge) and the group is run again delivery by delivery.
func TestGroupCommitSharedUniqueJob(t *testing.T) {
	tests := []struct {
		name   string
		unique river.UniqueOpts
	}{
		{name: "merged in the batch", unique: river.UniqueOpts{ByArgs: true}},
		{name: "refused by River, then one by one", unique: river.UniqueOpts{ByArgs: true, ByQueue: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				q := newTestQueue(t, st, testOptions(nil))
				h, err := webhook.NewHandler(intakeSecret, st, []webhook.EventHandler{sharer{q, river.InsertOpts{UniqueOpts: tt.unique}}},
					webhook.WithTransactions(q), webhook.WithLogger(slog.New(slog.DiscardHandler)))
				if err != nil {
					t.Fatal(err)
				}
				var wg sync.WaitGroup
				for i := range 20 {
					wg.Go(func() {
						body := []byte(`{"action":"opened","installation":{"id":1},"repository":{"id":2},"pull_request":{"id":3,"number":4}}`)
						req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
						req.Header.Set("X-GitHub-Event", "pull_request")
						req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("d-%d", i))
						req.Header.Set(webhook.SignatureHeader, webhook.SignatureFor(intakeSecret, body))
						rec := httptest.NewRecorder()
						h.ServeHTTP(rec, req)
						if rec.Code != http.StatusAccepted || strings.TrimSpace(rec.Body.String()) != "accepted" {
							t.Errorf("d-%d: %d %s", i, rec.Code, rec.Body)
						}
					})
				}
				wg.Wait()
				var jobs, records int
				if err := st.DB().QueryRow(`SELECT count(*) FROM river_job`).Scan(&jobs); err != nil {
					t.Fatal(err)
				}
				if err := st.DB().QueryRow(`SELECT count(*) FROM deliveries`).Scan(&records); err != nil {
					t.Fatal(err)
				}
				if jobs != 1 || records != 20 {
					t.Errorf("%d jobs and %d delivery records, want 1 and 20", jobs, records)
				}
			})
		})
	}
}

// TestInBatchSkipsEqualUnfinishedJobs inserts, in one batch, a job equal to
// an unfinished one (skipped) and a new one (inserted), on each database:
// River must skip the equal job without failing the batch and without
// changing the unfinished job's args.
func TestInBatchSkipsEqualUnfinishedJobs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		q := newTestQueue(t, st, testOptions(nil)) // not started: jobs stay pending
		ctx := context.Background()
		unique := &river.InsertOpts{UniqueOpts: UniqueUntilFinalized()}
		if _, err := q.Insert(ctx, testArgs{Key: "waiting", Mode: "first"}, unique); err != nil {
			t.Fatal(err)
		}
		err := q.InBatch(ctx, func(ctx context.Context) error {
			for _, args := range []testArgs{{Key: "waiting", Mode: "second"}, {Key: "new"}} {
				if _, err := q.Insert(ctx, args, unique); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("the batch failed: %v", err)
		}
		rows, err := st.DB().Query(`SELECT args FROM river_job ORDER BY id`) // JSON text, or SQLite's JSONB
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var args []string
		for rows.Next() {
			var a []byte
			if err := rows.Scan(&a); err != nil {
				t.Fatal(err)
			}
			args = append(args, string(a))
		}
		if len(args) != 2 || !strings.Contains(args[0], "first") || !strings.Contains(args[1], "new") {
			t.Errorf("jobs after the batch: %q, want the waiting job as it was and the new one", args)
		}
		// The skipped job does not count in the backlog's estimate either.
		if estimate, ok := q.backlog.estimate(time.Now()); !ok || estimate != 2 {
			t.Errorf("estimate = %d, %v; want 2, true", estimate, ok)
		}
	})
}

// TestInTransactionDeadline runs InTransaction under a context that has
// ended: on PostgreSQL the transaction fails, on SQLite it commits, since
// SQLite's transactions ignore the context (see Queue.run).
func TestInTransactionDeadline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		q := newTestQueue(t, st, testOptions(nil)) // not started: the job waits
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := q.InTransaction(ctx, func(ctx context.Context) error {
			_, err := q.Insert(ctx, testArgs{Key: "after the deadline"}, nil)
			return err
		})
		var jobs int
		if err := st.DB().QueryRow(`SELECT COUNT(*) FROM river_job`).Scan(&jobs); err != nil {
			t.Fatal(err)
		}
		wantCommit := st.Dialect() == store.SQLite
		if (err == nil) != wantCommit || jobs != map[bool]int{true: 1, false: 0}[wantCommit] {
			t.Errorf("InTransaction = %v with %d jobs; want it to commit: %v", err, jobs, wantCommit)
		}
	})
}
