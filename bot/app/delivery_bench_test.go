package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/imagebot/imagebot/bot/settings"
	"github.com/imagebot/imagebot/bot/webhook"
	"github.com/imagebot/imagebot/internal/fixtures"
)

// BenchmarkWebhookDelivery measures what GitHub waits for: a signed
// pull_request.opened delivery (a real 20 KB payload) verified, checked
// against the deliveries already handled, turned into a durable job on
// SQLite and recorded, until the 202.
func BenchmarkWebhookDelivery(b *testing.B) {
	h, payload := benchApp(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		deliverBench(b, h, payload, fmt.Sprintf("delivery-%d", i), i)
	}
}

// BenchmarkWebhookDeliveryConcurrent is BenchmarkWebhookDelivery with 16
// deliveries in flight, as wrk sends them in scripts/bench-intake.sh: the
// deliveries share commits (see webhook.groupCommit).
func BenchmarkWebhookDeliveryConcurrent(b *testing.B) {
	h, payload := benchApp(b)
	b.ReportAllocs()
	b.SetParallelism(max(1, 16/runtime.GOMAXPROCS(0)))
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(n.Add(1))
			deliverBench(b, h, payload, fmt.Sprintf("delivery-%d", i), i)
		}
	})
}

// benchApp assembles the App on a fresh SQLite file, and returns its routes
// and a real pull_request.opened payload.
func benchApp(b *testing.B) (http.Handler, []byte) {
	payload := fixtures.EditedWebhook(b, "pull_request", "opened", map[string]any{"installation.id": 42})
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	dir := b.TempDir()
	s := &settings.Settings{AppID: 1, WebhookSecret: []byte(secret), APIURL: "http://127.0.0.1:1/",
		PrivateKey:  pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
		DatabaseURL: filepath.Join(dir, "imagebot.db"), JobTimeout: time.Minute, RescueAfter: 2 * time.Minute, PollInterval: time.Second}
	a, err := New(context.Background(), s, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { a.Stop(context.Background()) })
	return a.Handler(), payload
}

// deliverBench delivers payload, its head SHA made unique by i, and fails b
// unless it is accepted.
func deliverBench(b *testing.B, h http.Handler, payload []byte, delivery string, i int) {
	body := bytes.Replace(payload, []byte(`"sha":"`), []byte(fmt.Sprintf(`"sha":"%08d`, i)), 1)
	req := httptest.NewRequest(http.MethodPost, "/api/github/webhooks", bytes.NewReader(body))
	req.Header.Set("X-GitHub-Event", "pull_request")
	req.Header.Set("X-GitHub-Delivery", delivery)
	req.Header.Set(webhook.SignatureHeader, webhook.SignatureFor([]byte(secret), body))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusAccepted {
		b.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}
