package app

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/imagebot/imagebot/bot/queue"
	"github.com/imagebot/imagebot/bot/webhook"
	"github.com/imagebot/imagebot/internal/fixtures"
)

type noDeliveries struct{}

func (noDeliveries) DeliverySeen(context.Context, string) (bool, error) { return false, nil }
func (noDeliveries) RecordDelivery(context.Context, string, string, string, time.Time) (bool, error) {
	return true, nil
}

type failing struct{ err error }

func (failing) Handles() []string                             { return []string{"pull_request"} }
func (f failing) Handle(context.Context, webhook.Event) error { return f.err }

// TestQueueFullIsAnswered503 follows a full queue from a handler to the
// delivery's answer.
func TestQueueFullIsAnswered503(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, http.StatusAccepted},
		{queue.ErrQueueFull, http.StatusServiceUnavailable},
		{errors.New("database down"), http.StatusInternalServerError},
	}
	for _, tt := range tests {
		h, err := webhook.NewHandler([]byte(secret), noDeliveries{}, []webhook.EventHandler{queueFull{failing{tt.err}}})
		if err != nil {
			t.Fatal(err)
		}
		body := fixtures.EditedWebhook(t, "pull_request", "opened", map[string]any{"installation.id": 42})
		req := httptest.NewRequest(http.MethodPost, "/api/github/webhooks", bytes.NewReader(body))
		req.Header.Set("X-GitHub-Event", "pull_request")
		req.Header.Set("X-GitHub-Delivery", "d")
		req.Header.Set(webhook.SignatureHeader, webhook.SignatureFor([]byte(secret), body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tt.want {
			t.Errorf("%v: status %d, want %d", tt.err, rec.Code, tt.want)
		}
	}
}
