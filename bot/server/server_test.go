package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRoutes(t *testing.T) {
	ready := error(nil)
	h := Handler(Config{
		Webhooks: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusAccepted) }),
		Ready:    func(context.Context) error { return ready },
		Metrics:  http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "# metrics") }),
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	tests := []struct {
		method, path string
		notReady     bool
		status       int
		body         string
	}{
		{"POST", WebhookPath, false, 202, ""},
		{"GET", WebhookPath, false, 405, ""},
		{"GET", "/healthz", false, 200, "ok"},
		{"GET", "/readyz", false, 200, "ready"},
		{"GET", "/readyz", true, 503, "not ready: database down"},
		{"GET", "/healthz", true, 200, "ok"},
		{"GET", "/metrics", false, 200, "# metrics"},
		{"GET", "/nope", false, 404, ""},
	}
	for _, tt := range tests {
		ready = nil
		if tt.notReady {
			ready = errors.New("database down")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.body) {
			t.Errorf("%s %s: %d %q, want %d %q", tt.method, tt.path, rec.Code, rec.Body.String(), tt.status, tt.body)
		}
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(started)
		time.Sleep(200 * time.Millisecond) // a request in flight at shutdown
		io.WriteString(w, "done")
	})
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error)
	go func() { served <- Serve(ctx, ln, h, 5*time.Second) }()
	got := make(chan string)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String())
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		got <- string(b)
	}()
	<-started
	cancel()
	if body := <-got; body != "done" {
		t.Errorf("in-flight request got %q", body)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

func TestSlowHeadersAreCut(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for ReadHeaderTimeout")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go Serve(ctx, ln, http.NotFoundHandler(), time.Second)
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n") // never finishes the headers
	conn.SetReadDeadline(time.Now().Add(15 * time.Second))
	start := time.Now()
	b := make([]byte, 1)
	_, err = conn.Read(b)
	if err == nil || time.Since(start) > 14*time.Second {
		t.Errorf("connection not closed after ReadHeaderTimeout: err %v after %s", err, time.Since(start))
	}
}
