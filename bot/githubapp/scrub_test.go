package githubapp

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
)

func TestScrub(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Authorization: Bearer ghs_16C7e42F292c6912E7710c838347Ae178B4a", "Authorization: Bearer [redacted]"},
		{"authorization: token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "authorization: token [redacted]"},
		{"leaked ghs_16C7e42F292c6912E7710c838347Ae178B4a here", "leaked [redacted] here"},
		{"oauth gho_16C7e42F292c6912E7710c838347Ae178B4a", "oauth [redacted]"},
		{"user ghu_16C7e42F292c6912E7710c838347Ae178B4a", "user [redacted]"},
		{"refresh ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498", "refresh [redacted]"},
		{"pat github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "pat [redacted]"},
		{`{"jwt":"eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxIn0.c2lnbmF0dXJl"}`, `{"jwt":"[redacted]"}`},
		{"BEARER abc.def-ghi_jkl", "BEARER [redacted]"},
		// Ordinary messages stay readable.
		{"Resource not accessible by integration", "Resource not accessible by integration"},
		{"the token is invalid", "the token is invalid"},
		{"ghs_short", "ghs_short"},
	}
	for _, tt := range tests {
		if got := Scrub(tt.in); got != tt.want {
			t.Errorf("Scrub(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestErrorBodiesReachGoGitHubScrubbedAndCapped puts error bodies through the
// middleware and go-github, and reads what a log line could: err.Error()
// and the body go-github keeps.
func TestErrorBodiesReachGoGitHubScrubbedAndCapped(t *testing.T) {
	token := "ghs_16C7e42F292c6912E7710c838347Ae178B4a"
	tests := []struct {
		name     string
		status   int
		body     string
		contains string
		maxLen   int
	}{
		{name: "echoed Authorization header", status: 500, body: "upstream said: Authorization: token " + token,
			contains: "Authorization: token [redacted]", maxLen: 600},
		{name: "huge HTML page", status: 502, body: "<html>" + strings.Repeat("x", 1<<20) + token,
			contains: "<html>xxx", maxLen: 700},
		{name: "JSON error with a huge message", status: 422, body: `{"message":"` + token + strings.Repeat("y", 4000) + `","documentation_url":"https://docs.github.com/rest"}`,
			contains: `{"message":"[redacted]","documentation_url":"https://docs.github.com/rest"}`, maxLen: 800},
		{name: "JSON error with a long message", status: 422, body: `{"message":"` + token + " " + strings.Repeat("z", 4000) + `","errors":[{"code":"custom"}]}`,
			contains: "422 [redacted] zzz", maxLen: 1200}, // the message twice: in the error and the body
		{name: "ordinary GitHub error", status: 404, body: `{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}`,
			contains: "404 Not Found", maxLen: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			gh, err := github.NewClient(&http.Client{Transport: errorBodies(http.DefaultTransport)}).WithEnterpriseURLs(srv.URL+"/", srv.URL+"/")
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = gh.Repositories.Get(context.Background(), "o", "r")
			if err == nil {
				t.Fatal("no error")
			}
			// What could be logged: the error, and the body go-github
			// leaves on its response.
			msg := err.Error()
			if gerr, ok := err.(*github.ErrorResponse); ok {
				body, _ := io.ReadAll(gerr.Response.Body)
				msg += " " + string(body)
			}
			if strings.Contains(msg, token) || strings.Contains(msg, token[4:]) {
				t.Errorf("the token reached the error: %s", msg)
			}
			if !strings.Contains(msg, tt.contains) {
				t.Errorf("error %q does not contain %q", msg, tt.contains)
			}
			if len(msg) > tt.maxLen {
				t.Errorf("error is %d bytes, want at most %d", len(msg), tt.maxLen)
			}
		})
	}
}
