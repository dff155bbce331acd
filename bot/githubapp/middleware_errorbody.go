package githubapp

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// MaxErrorBody is the most of an error response's body that reaches
// go-github's errors, and so the logs and the job table: GitHub's own error
// bodies are a few hundred bytes.
const MaxErrorBody = 512

// errorBodyRead is how much of an error body is read at all; the rest is
// discarded.
const errorBodyRead = 64 << 10

// errorBodies returns middleware that rewrites the body of every response
// with a status of 400 or more before anything reads it: credentials are
// scrubbed (see Scrub), and a body over MaxErrorBody bytes is cut down, to
// GitHub's message (itself capped), documentation_url and status when it is
// JSON, or to its first MaxErrorBody bytes and "…" when it is not. A server
// that echoes the Authorization header back thus cannot put a token in the
// logs, and a huge error page cannot flood them.
func errorBodies(next http.RoundTripper) http.RoundTripper {
	return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(req)
		if err != nil || resp.StatusCode < 400 || resp.Body == nil {
			return resp, err
		}
		data, _ := io.ReadAll(io.LimitReader(resp.Body, errorBodyRead))
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		body := shortErrorBody([]byte(Scrub(string(data))))
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return resp, nil
	})
}

// shortErrorBody cuts a scrubbed error body down to about MaxErrorBody bytes.
func shortErrorBody(body []byte) []byte {
	if len(body) <= MaxErrorBody {
		return body
	}
	var e struct {
		Message          string `json:"message"`
		DocumentationURL string `json:"documentation_url,omitempty"`
		Status           string `json:"status,omitempty"`
	}
	if json.Unmarshal(body, &e) == nil && e.Message != "" {
		e.Message = truncate(e.Message, MaxErrorBody)
		e.DocumentationURL = truncate(e.DocumentationURL, 200)
		e.Status = truncate(e.Status, 10)
		out, _ := json.Marshal(e)
		return out
	}
	return []byte(truncate(string(body), MaxErrorBody))
}

// truncate cuts s to at most n bytes, on a rune boundary, marking a cut with "…".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
