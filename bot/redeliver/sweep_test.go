package redeliver

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/imagebot/imagebot/bot/githubapp"
	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
	"github.com/imagebot/imagebot/internal/fakegithub"
	"github.com/imagebot/imagebot/internal/fixtures"
)

// harness is a sweep on a fake GitHub whose App has a delivery log.
type harness struct {
	t       *testing.T
	gh      *fakegithub.Server
	st      *store.Store
	w       *Worker
	now     time.Time
	metrics *prometheus.Registry
}

func newHarness(t *testing.T) *harness {
	fixtures.OpenAPIPath(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	gh := fakegithub.New(t, fakegithub.WithAppKey(&key.PublicKey))
	clients, err := githubapp.NewClientCreator(githubapp.Config{AppID: 1, BaseURL: gh.URL(),
		PrivateKey: pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
		Retry:      githubapp.Retry{Rand: func() float64 { return 0 }}})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, gh: gh, st: storetest.Open(t, store.SQLite), now: time.Now(), metrics: prometheus.NewRegistry()}
	h.w = &Worker{Clients: clients, State: h.st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Metrics: NewMetrics(h.metrics), Now: func() time.Time { return h.now }}
	return h
}

// delivery logs an attempt to deliver guid, ago before now, answered code.
func (h *harness) delivery(guid string, ago time.Duration, code int) {
	h.gh.AddHookDelivery(fakegithub.HookDelivery{GUID: guid, Event: "pull_request", Action: "opened",
		StatusCode: code, DeliveredAt: h.now.Add(-ago), InstallationID: 42, RepositoryID: 1})
}

// received records that imagebot received delivery id at at.
func (h *harness) received(id string, at time.Time) {
	h.t.Helper()
	if _, err := h.st.DB().Exec(`INSERT INTO deliveries (id, event, action, received_at) VALUES ($1, 'pull_request', 'opened', $2)`,
		id, at.UnixMilli()); err != nil {
		h.t.Fatal(err)
	}
}

// sweep runs the sweep once and returns the guids it asked to redeliver.
func (h *harness) sweep() []string {
	h.t.Helper()
	before := len(h.redeliveries())
	err := h.w.Work(context.Background(), &river.Job[SweepArgs]{JobRow: &rivertype.JobRow{ID: 1, Attempt: 1}})
	if err != nil {
		h.t.Fatalf("sweep: %v", err)
	}
	return h.redeliveries()[before:]
}

// redeliveries returns the guids of the redeliveries asked for, in order.
func (h *harness) redeliveries() []string {
	byID := map[string]string{}
	for _, d := range h.gh.HookDeliveries() {
		byID[fmt.Sprint(d.ID)] = d.GUID
	}
	var guids []string
	for _, c := range h.gh.Calls() {
		if c.OperationID == "apps/redeliver-webhook-delivery" && c.Status == http.StatusAccepted {
			var id string
			fmt.Sscanf(c.Path, "/app/hook/deliveries/%s", &id)
			guids = append(guids, byID[id[:len(id)-len("/attempts")]])
		}
	}
	return guids
}

func TestSweepRedeliversWhatImagebotMissedOnce(t *testing.T) {
	h := newHarness(t)
	h.delivery("missed", 2*time.Hour, 0)                   // imagebot was down
	h.delivery("missed", time.Hour, http.StatusBadGateway) // and again
	h.delivery("full-queue", 30*time.Minute, http.StatusServiceUnavailable)
	h.delivery("recorded", 20*time.Minute, http.StatusGatewayTimeout) // GitHub timed out, but imagebot kept it
	h.delivery("too-old", Window+time.Hour, http.StatusBadGateway)
	h.delivery("fine", 10*time.Minute, http.StatusAccepted)
	h.received("recorded", h.now.Add(-20*time.Minute))

	got := h.sweep()
	slices.Sort(got)
	if want := []string{"full-queue", "missed"}; !slices.Equal(got, want) {
		t.Errorf("first sweep redelivered %v, want %v", got, want)
	}
	if got := h.sweep(); len(got) != 0 {
		t.Errorf("second sweep redelivered %v, want nothing (asked for already)", got)
	}
	if n := h.redeliveriesMetric(); n != 2 {
		t.Errorf("redeliveries metric %v, want 2", n)
	}
}

func TestSweepIsBounded(t *testing.T) {
	h := newHarness(t)
	for i := range 250 {
		h.delivery(fmt.Sprintf("d-%03d", i), time.Duration(250-i)*time.Minute, http.StatusServiceUnavailable)
	}
	h.w.MaxPages, h.w.MaxRedeliveries = 2, 5
	if got := h.sweep(); !slices.Equal(got, []string{"d-249", "d-248", "d-247", "d-246", "d-245"}) {
		t.Errorf("first sweep redelivered %v, want the 5 newest", got)
	}
	if got := h.sweep(); len(got) != 5 || got[0] != "d-244" {
		t.Errorf("second sweep redelivered %v, want the next 5", got)
	}
	h.w.MaxRedeliveries = 1000
	got := h.sweep()
	if len(got) != 190 {
		t.Errorf("an unbounded run over 2 pages redelivered %d, want the 190 left on them", len(got))
	}
	lists := 0
	for _, c := range h.gh.Calls() {
		if c.OperationID == "apps/list-webhook-deliveries" {
			lists++
		}
	}
	if lists != 4 {
		t.Errorf("%d list calls for 3 sweeps, want 4 (one page, one page, two pages)", lists)
	}
}

func TestSweepAsksAgainWhenAskingFailed(t *testing.T) {
	h := newHarness(t)
	h.delivery("missed", time.Hour, 0)
	h.gh.Fail("apps/redeliver-webhook-delivery", 1, http.StatusBadGateway, nil)
	err := h.w.Work(context.Background(), &river.Job[SweepArgs]{JobRow: &rivertype.JobRow{ID: 1, Attempt: 1}})
	if err == nil {
		t.Fatal("a failed redelivery request did not fail the sweep")
	}
	if got := h.sweep(); !slices.Equal(got, []string{"missed"}) {
		t.Errorf("the next sweep redelivered %v, want the one that failed", got)
	}
}

func TestSweepForgetsOldDeliveries(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.received("old", h.now.Add(-5*24*time.Hour))
	h.received("recent", h.now.Add(-2*24*time.Hour))
	h.sweep()
	for id, want := range map[string]bool{"old": false, "recent": true} {
		if seen, _ := h.st.DeliverySeen(ctx, id); seen != want {
			t.Errorf("delivery %s kept %t, want %t", id, seen, want)
		}
	}
}

// redeliveriesMetric reads imagebot_webhook_redeliveries_total{event="pull_request"}.
func (h *harness) redeliveriesMetric() float64 {
	h.t.Helper()
	families, err := h.metrics.Gather()
	if err != nil {
		h.t.Fatal(err)
	}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			if f.GetName() == "imagebot_webhook_redeliveries_total" && m.GetLabel()[0].GetValue() == "pull_request" {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}
