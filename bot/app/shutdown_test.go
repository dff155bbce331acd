package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/imagebot/imagebot/bot/settings"
	"github.com/imagebot/imagebot/bot/webhook"
	"github.com/imagebot/imagebot/internal/fakegithub"
	"github.com/imagebot/imagebot/internal/fixtures"
)

// TestRunStopsGracefully stops the App while a check runs: it stops taking
// webhooks at once, lets the check finish within the grace period, and only
// then returns.
func TestRunStopsGracefully(t *testing.T) {
	fixtures.OpenAPIPath(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	gh := fakegithub.New(t, fakegithub.WithAppKey(&key.PublicKey))
	repo := gh.AddRepo("example-hub", "notebook")
	gh.AddInstallation(42, "example-hub", repo)
	base := repo.Commit("main", fixtures.ReadTree(t, "../../testdata/repos/compliant"))
	head := repo.Commit("bump", fixtures.ReadTree(t, "../../testdata/repos/outage"))
	number := repo.OpenPull("bump", "main", fakegithub.PullTitle("Add sqlite"))
	s := &settings.Settings{AppID: 1, WebhookSecret: []byte(secret), APIURL: gh.URL(),
		PrivateKey:  pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
		DatabaseURL: filepath.Join(t.TempDir(), "imagebot.db"), JobTimeout: time.Minute, RescueAfter: 2 * time.Minute,
		PollInterval: 20 * time.Millisecond}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, stop := context.WithCancel(context.Background())
	returned := make(chan error, 1)
	go func() { returned <- Run(ctx, s, ln, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
	waitReady(t, addr)

	const slowCompare = 2 * time.Second
	gh.Delay("repos/compare-commits", slowCompare)
	payload := fixtures.EditedWebhook(t, "pull_request", "opened", map[string]any{
		"installation.id": 42, "repository.name": "notebook", "repository.full_name": repo.FullName(),
		"repository.owner.login": "example-hub", "number": number, "pull_request.number": number, "pull_request.draft": false,
		"pull_request.head.sha": head, "pull_request.base.sha": base,
	})
	if status := post(t, addr, "delivery-1", payload); status != http.StatusAccepted {
		t.Fatalf("delivery: status %d", status)
	}
	time.Sleep(500 * time.Millisecond) // the check is waiting for the compare
	stopped := time.Now()
	stop()
	time.Sleep(100 * time.Millisecond)
	if _, err := http.Post("http://"+addr+"/api/github/webhooks", "application/json", bytes.NewReader(payload)); err == nil {
		t.Error("a webhook was taken after the stop")
	}
	select {
	case err := <-returned:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(shutdownGrace + 5*time.Second):
		t.Fatal("Run did not return within the grace period")
	}
	if took := time.Since(stopped); took < slowCompare-time.Second || took > shutdownGrace {
		t.Errorf("Run returned %s after the stop; want after the running check, within %s", took, shutdownGrace)
	}
	if runs := gh.CheckRuns(repo.FullName(), head); len(runs) != 5 {
		t.Errorf("%d Check Runs when Run returned, want the check's 5", len(runs))
	}
}

// post sends a signed pull_request delivery to the App at addr.
func post(t *testing.T, addr, id string, payload []byte) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/api/github/webhooks", bytes.NewReader(payload))
	req.Header.Set("X-GitHub-Event", "pull_request")
	req.Header.Set("X-GitHub-Delivery", id)
	req.Header.Set(webhook.SignatureHeader, webhook.SignatureFor([]byte(secret), payload))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
