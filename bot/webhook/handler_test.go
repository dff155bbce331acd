package webhook

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/imagebot/imagebot/internal/fixtures"
)

var secret = []byte("It's a Secret to Everybody")

// memoryDeliveries is an in-memory Deliveries.
type memoryDeliveries struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (m *memoryDeliveries) DeliverySeen(_ context.Context, id string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.seen[id], nil
}

func (m *memoryDeliveries) RecordDelivery(_ context.Context, id, _, _ string, _ time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fresh := !m.seen[id]
	m.seen[id] = true
	return fresh, nil
}

// recorder is an EventHandler that records what it handles.
type recorder struct {
	events []Event
	err    error
	panics bool
}

func (r *recorder) Handles() []string { return []string{"pull_request", "installation"} }
func (r *recorder) Handle(_ context.Context, e Event) error {
	r.events = append(r.events, e)
	if r.panics {
		panic("handler bug")
	}
	return r.err
}

func TestVerify(t *testing.T) {
	// The example from GitHub's documentation on validating deliveries.
	body := []byte("Hello, World!")
	want := "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
	if got := SignatureFor(secret, body); got != want {
		t.Fatalf("SignatureFor = %s, want %s", got, want)
	}
	tests := []struct {
		header string
		ok     bool
	}{
		{want, true},
		{strings.ToUpper(want[:7]) + want[7:], false},
		{"sha1=" + want[7:], false},
		{want[:len(want)-1] + "0", false},
		{"sha256=zz", false},
		{"", false},
		{"sha256=", false},
	}
	for _, tt := range tests {
		if got := Verify(secret, body, tt.header); got != tt.ok {
			t.Errorf("Verify(%q) = %v, want %v", tt.header, got, tt.ok)
		}
	}
}

func TestHandler(t *testing.T) {
	opened := fixtures.EditedWebhook(t, "pull_request", "opened", map[string]any{"installation.id": 42})
	tests := []struct {
		name      string
		event     string
		delivery  string
		body      []byte
		signature string // "" signs the body correctly; "-" sends none
		handleErr error
		panics    bool
		status    int
		handled   int
		result    string
	}{
		{name: "pull request opened", event: "pull_request", delivery: "d1", body: opened, status: 202, handled: 1, result: "accepted"},
		{name: "forged signature", event: "pull_request", delivery: "d2", body: opened, signature: SignatureFor([]byte("guess"), opened), status: 401, result: "bad_signature"},
		{name: "missing signature", event: "pull_request", delivery: "d3", body: opened, signature: "-", status: 401, result: "bad_signature"},
		{name: "ping", event: "ping", delivery: "d4", body: fixtures.WebhookExample(t, "ping", ""), status: 200, result: "ping"},
		{name: "unhandled event is dropped", event: "star", delivery: "d5", body: []byte(`{"action":"created"}`), status: 202, result: "ignored"},
		{name: "malformed JSON", event: "pull_request", delivery: "d6", body: []byte(`{"action":`), status: 400, result: "malformed"},
		{name: "no delivery id", event: "pull_request", delivery: "", body: opened, status: 400, result: "malformed"},
		{name: "queue full", event: "pull_request", delivery: "d7", body: opened, handleErr: ErrQueueFull, status: 503, handled: 1, result: "queue_full"},
		{name: "handler fails", event: "pull_request", delivery: "d8", body: opened, handleErr: errors.New("db down"), status: 500, handled: 1, result: "error"},
		{name: "handler panics", event: "pull_request", delivery: "d9", body: opened, panics: true, status: 500, handled: 1, result: "error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{err: tt.handleErr, panics: tt.panics}
			deliveries := &memoryDeliveries{seen: map[string]bool{}}
			reg := prometheus.NewRegistry()
			h, err := NewHandler(secret, deliveries, []EventHandler{rec}, WithMetrics(NewMetrics(reg)))
			if err != nil {
				t.Fatal(err)
			}
			resp := deliver(h, tt.event, tt.delivery, tt.body, tt.signature)
			if resp.Code != tt.status {
				t.Errorf("status %d, want %d (%s)", resp.Code, tt.status, resp.Body)
			}
			if len(rec.events) != tt.handled {
				t.Errorf("handled %d times, want %d", len(rec.events), tt.handled)
			}
			if tt.status == 503 && resp.Header().Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
			wantRecorded := tt.result == "accepted"
			if deliveries.seen[tt.delivery] != wantRecorded {
				t.Errorf("delivery recorded = %v, want %v", deliveries.seen[tt.delivery], wantRecorded)
			}
			event := tt.event
			if got := counterValue(reg, event, tt.result); got != 1 {
				t.Errorf("metric for %s/%s = %v, want 1", event, tt.result, got)
			}
			// Only a delivery given to its handlers goes through a commit.
			if got, want := commitCount(reg), uint64(tt.handled); got != want {
				t.Errorf("imagebot_webhook_commit_seconds counts %d commits, want %d", got, want)
			}
		})
	}
}

func TestRedeliveryDoesNothing(t *testing.T) {
	rec := &recorder{}
	deliveries := &memoryDeliveries{seen: map[string]bool{}}
	h, _ := NewHandler(secret, deliveries, []EventHandler{rec})
	body := fixtures.EditedWebhook(t, "pull_request", "opened", map[string]any{"installation.id": 42})
	for i, want := range []int{202, 202} {
		if resp := deliver(h, "pull_request", "same", body, ""); resp.Code != want {
			t.Fatalf("delivery %d: status %d", i, resp.Code)
		}
	}
	if len(rec.events) != 1 {
		t.Errorf("handled %d times, want once", len(rec.events))
	}
}

func TestBodyCap(t *testing.T) {
	rec := &recorder{}
	h, _ := NewHandler(secret, &memoryDeliveries{seen: map[string]bool{}}, []EventHandler{rec})
	huge := bytes.Repeat([]byte("a"), MaxBody+1)
	if resp := deliver(h, "pull_request", "big", huge, ""); resp.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", resp.Code)
	}
	if len(rec.events) != 0 {
		t.Error("an oversized delivery reached a handler")
	}
}

func TestRefusesEmptySecret(t *testing.T) {
	if _, err := NewHandler(nil, &memoryDeliveries{}, nil); err == nil {
		t.Error("NewHandler accepted an empty secret")
	}
}

func deliver(h http.Handler, event, delivery string, body []byte, signature string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/api/github/webhooks", bytes.NewReader(body))
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", delivery)
	switch signature {
	case "":
		req.Header.Set(SignatureHeader, SignatureFor(secret, body))
	case "-":
	default:
		req.Header.Set(SignatureHeader, signature)
	}
	resp := httptest.NewRecorder()
	h.ServeHTTP(resp, req)
	return resp
}

// counterValue reads the delivery counter for one event and result.
func counterValue(reg *prometheus.Registry, event, result string) float64 {
	families, _ := reg.Gather()
	total := 0.0
	for _, f := range families {
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["event"] == event && labels["result"] == result {
				total += m.GetCounter().GetValue()
			}
		}
	}
	return total
}

// commitCount is how many commits imagebot_webhook_commit_seconds timed.
func commitCount(reg *prometheus.Registry) uint64 {
	families, _ := reg.Gather()
	for _, f := range families {
		if f.GetName() == "imagebot_webhook_commit_seconds" {
			return f.GetMetric()[0].GetHistogram().GetSampleCount()
		}
	}
	return 0
}

// TestPanickingHandlerFailsOnlyItsDelivery delivers to a handler that
// panics, then to one that works: the first is answered 500, and the
// second still gets through (the commit lock was let go).
func TestPanickingHandlerFailsOnlyItsDelivery(t *testing.T) {
	rec := &recorder{panics: true}
	h, _ := NewHandler(secret, &memoryDeliveries{seen: map[string]bool{}}, []EventHandler{rec})
	body := fixtures.EditedWebhook(t, "pull_request", "opened", map[string]any{"installation.id": 42})
	if resp := deliver(h, "pull_request", "p1", body, ""); resp.Code != http.StatusInternalServerError {
		t.Errorf("panicking handler: status %d, want 500", resp.Code)
	}
	rec.panics = false
	if resp := deliver(h, "pull_request", "p2", body, ""); resp.Code != http.StatusAccepted {
		t.Errorf("next delivery: status %d, want 202", resp.Code)
	}
}
