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
	payload := fixtures.EditedWebhook(b, "pull_request", "opened", nil)
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	dir := b.TempDir()
	s := &settings.Settings{AppID: 1, WebhookSecret: []byte(secret), APIURL: "http://127.0.0.1:1/",
		PrivateKey:  pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
		DatabaseURL: filepath.Join(dir, "imagebot.db"), JobTimeout: time.Minute, RescueAfter: 2 * time.Minute, PollInterval: time.Second}
	a, err := New(context.Background(), s, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	defer a.Stop(context.Background())
	h := a.Handler()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		body := bytes.Replace(payload, []byte(`"sha":"`), []byte(fmt.Sprintf(`"sha":"%08d`, i)), 1)
		req := httptest.NewRequest(http.MethodPost, "/api/github/webhooks", bytes.NewReader(body))
		req.Header.Set("X-GitHub-Event", "pull_request")
		req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("delivery-%d", i))
		req.Header.Set(webhook.SignatureHeader, webhook.SignatureFor([]byte(secret), body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusAccepted {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
