package webhook

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/internal/fixtures"
)

// TestPayloadsWithoutIDsAreDropped sends signed payloads that lack what a
// handler needs: each is answered 202, logged once, and reaches no handler,
// so that no job is made that would fail on every attempt.
func TestPayloadsWithoutIDsAreDropped(t *testing.T) {
	valid := map[string]any{"installation.id": 42}
	pr := func(set map[string]any) []byte {
		for k, v := range valid {
			if _, ok := set[k]; !ok {
				set[k] = v
			}
		}
		return fixtures.EditedWebhook(t, "pull_request", "opened", set)
	}
	tests := []struct {
		name    string
		event   string
		body    []byte
		handled int
		log     string // the one log line's message; "" for an accepted delivery
	}{
		{name: "valid pull request", event: "pull_request", body: pr(map[string]any{}), handled: 1},
		{name: "only an action", event: "pull_request", body: []byte(`{"action":"opened"}`),
			log: "pull_request payload lacks a positive installation.id, repository.id, pull_request.id, pull_request.number"},
		{name: "no installation", event: "pull_request", body: fixtures.WebhookExample(t, "pull_request", "opened"),
			log: "pull_request payload lacks a positive installation.id"},
		{name: "installation id zero", event: "pull_request", body: pr(map[string]any{"installation.id": 0}),
			log: "pull_request payload lacks a positive installation.id"},
		{name: "negative installation id", event: "pull_request", body: pr(map[string]any{"installation.id": -7}),
			log: "pull_request payload lacks a positive installation.id"},
		{name: "repository null", event: "pull_request", body: pr(map[string]any{"repository": nil}),
			log: "pull_request payload lacks a positive repository.id"},
		{name: "negative repository id", event: "pull_request", body: pr(map[string]any{"repository.id": -1}),
			log: "pull_request payload lacks a positive repository.id"},
		{name: "pull request missing", event: "pull_request", body: pr(map[string]any{"pull_request": nil}),
			log: "pull_request payload lacks a positive pull_request.id, pull_request.number"},
		{name: "negative pull request number", event: "pull_request", body: pr(map[string]any{"pull_request.number": -3}),
			log: "pull_request payload lacks a positive pull_request.number"},
		{name: "zero pull request id", event: "pull_request", body: pr(map[string]any{"pull_request.id": 0}),
			log: "pull_request payload lacks a positive pull_request.id"},
		{name: "installation event without installation", event: "installation",
			body: fixtures.EditedWebhook(t, "installation", "created", map[string]any{"installation": nil}),
			log:  "installation payload lacks a positive installation.id"},
		{name: "valid installation event", event: "installation",
			body: fixtures.WebhookExample(t, "installation", "created"), handled: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			rec := &recorder{}
			deliveries := &memoryDeliveries{seen: map[string]bool{}}
			h, err := NewHandler(secret, deliveries, []EventHandler{rec}, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			if err != nil {
				t.Fatal(err)
			}
			resp := deliver(h, tt.event, "d", tt.body, "")
			if resp.Code != 202 {
				t.Errorf("status %d, want 202 (%s)", resp.Code, resp.Body)
			}
			if len(rec.events) != tt.handled {
				t.Errorf("handled %d times, want %d", len(rec.events), tt.handled)
			}
			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			if tt.log == "" {
				if deliveries.seen["d"] != true {
					t.Error("an accepted delivery was not recorded")
				}
				return
			}
			if len(lines) != 1 {
				t.Fatalf("%d log lines, want 1:\n%s", len(lines), logs.String())
			}
			if want := `msg="webhook dropped: ` + tt.log + `"`; !strings.Contains(lines[0], want) {
				t.Errorf("log line %s\nwant it to contain %s", lines[0], want)
			}
			if deliveries.seen["d"] {
				t.Error("a dropped delivery was recorded")
			}
		})
	}
}
