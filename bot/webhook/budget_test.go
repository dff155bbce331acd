package webhook

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/internal/fixtures"
)

// TestBodyBudgetRefusesUnsignedFloodButAnswersSigned sends six unsigned
// large bodies at once to a handler whose budget holds two of them: two are
// read (and, once complete, refused 401) while four are answered 503 with
// Retry-After before their bodies are read; meanwhile a signed delivery of
// ordinary size is accepted, from the reserve kept for small bodies.
func TestBodyBudgetRefusesUnsignedFloodButAnswersSigned(t *testing.T) {
	const budget = 32 << 20      // large bodies share 28 MiB
	const large = 12<<20 + 12345 // two fit, a third does not
	rec := &recorder{}
	h, err := NewHandler(secret, &memoryDeliveries{seen: map[string]bool{}}, []EventHandler{rec}, WithBodyBudget(budget))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	type answer struct {
		conn   int
		status int
		retry  string
	}
	const flood = 6
	conns := make([]net.Conn, flood)
	answers := make(chan answer, flood)
	for i := range conns {
		c, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
		// Headers and the first kilobyte; the rest waits.
		fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\nX-GitHub-Event: pull_request\r\nX-GitHub-Delivery: u%d\r\n"+
			"X-Hub-Signature-256: sha256=%s\r\nContent-Length: %d\r\n\r\n", i, strings.Repeat("0", 64), large)
		c.Write(bytes.Repeat([]byte("a"), 1024))
		go func() {
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				answers <- answer{conn: i, status: -1}
				return
			}
			resp.Body.Close()
			answers <- answer{conn: i, status: resp.StatusCode, retry: resp.Header.Get("Retry-After")}
		}()
	}
	// The four that found no room are answered before their bodies are sent.
	answered := map[int]bool{}
	for range flood - 2 {
		a := <-answers
		if a.status != http.StatusServiceUnavailable || a.retry == "" {
			t.Errorf("unsigned body %d: status %d, Retry-After %q; want 503 with Retry-After", a.conn, a.status, a.retry)
		}
		answered[a.conn] = true
	}
	// A signed delivery gets through while two large bodies hold their room.
	body := fixtures.EditedWebhook(t, "pull_request", "opened", map[string]any{"installation.id": 42})
	req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
	req.Header.Set("X-GitHub-Event", "pull_request")
	req.Header.Set("X-GitHub-Delivery", "signed")
	req.Header.Set(SignatureHeader, SignatureFor(secret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || len(rec.events) != 1 {
		t.Errorf("signed delivery: status %d, handled %d times; want 202, once", resp.StatusCode, len(rec.events))
	}
	// The two being read get the rest of their bodies, and are refused.
	for i, c := range conns {
		if !answered[i] {
			io.Copy(c, io.LimitReader(zeros{}, large-1024))
		}
	}
	for range 2 {
		if a := <-answers; a.status != http.StatusUnauthorized {
			t.Errorf("unsigned body %d read in full: status %d, want 401", a.conn, a.status)
		}
	}
}

// TestChunkedBodies reads bodies without a Content-Length.
func TestChunkedBodies(t *testing.T) {
	body := fixtures.EditedWebhook(t, "pull_request", "opened", map[string]any{"installation.id": 42})
	tests := []struct {
		name   string
		body   io.Reader
		sign   []byte
		status int
	}{
		{name: "signed delivery", body: bytes.NewReader(body), sign: body, status: http.StatusAccepted},
		{name: "over 25 MB", body: io.LimitReader(zeros{}, MaxBody+1), sign: []byte("x"), status: http.StatusRequestEntityTooLarge},
		{name: "forged", body: bytes.NewReader(body), sign: []byte("other"), status: http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			h, _ := NewHandler(secret, &memoryDeliveries{seen: map[string]bool{}}, []EventHandler{rec})
			req := httptest.NewRequest(http.MethodPost, "/", io.MultiReader(tt.body))
			req.ContentLength = -1
			req.Header.Set("X-GitHub-Event", "pull_request")
			req.Header.Set("X-GitHub-Delivery", "c")
			req.Header.Set(SignatureHeader, SignatureFor(secret, tt.sign))
			resp := httptest.NewRecorder()
			h.ServeHTTP(resp, req)
			if resp.Code != tt.status {
				t.Errorf("status %d, want %d", resp.Code, tt.status)
			}
		})
	}
}

func TestBodyBudgetMustFitADelivery(t *testing.T) {
	if _, err := NewHandler(secret, &memoryDeliveries{}, nil, WithBodyBudget(16<<20)); err == nil {
		t.Error("a 16 MiB budget, which cannot hold a 25 MB delivery, was accepted")
	}
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
