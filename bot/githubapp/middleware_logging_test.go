package githubapp

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
)

// logLine is one "github call" record, less its duration.
type logLine struct {
	Level, Msg, Method, Route, RequestID, Err string
	Status                                    int
}

func TestLogging(t *testing.T) {
	for _, tc := range []struct {
		name  string
		level slog.Level
		want  []logLine
	}{
		{
			name:  "debug",
			level: slog.LevelDebug,
			want: []logLine{
				{Level: "DEBUG", Msg: "github call", Method: "GET", Route: "/app/installations/{installation_id}", Status: 200, RequestID: "req-1"},
				{Level: "DEBUG", Msg: "github call", Method: "POST", Route: "/app/installations/{installation_id}/access_tokens", Status: 201, RequestID: "req-2"},
				{Level: "DEBUG", Msg: "github call", Method: "GET", Route: "/repos/{owner}/{repo}", Status: 200, RequestID: "req-3"},
				{Level: "DEBUG", Msg: "github call", Method: "GET", Route: "/repos/{owner}/{repo}/git/ref/{ref...}", Status: 200, RequestID: "req-4"},
				{Level: "DEBUG", Msg: "github call", Method: "POST", Route: "/repos/{owner}/{repo}/check-runs", Status: 429, RequestID: "req-5"},
			},
		},
		{name: "info writes nothing", level: slog.LevelInfo},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(t)
			var buf bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: tc.level}))
			st := &stamp{}
			cc := a.creator(t, Config{Middleware: []func(http.RoundTripper) http.RoundTripper{Logging(logger), st.middleware}})
			appGH, _ := cc.NewAppClient()
			if _, _, err := appGH.Apps.GetInstallation(ctx, testInstallationID); err != nil {
				t.Fatal(err)
			}
			gh := installation(t, cc)
			if _, _, err := gh.Repositories.Get(ctx, testOwner, testRepo); err != nil {
				t.Fatal(err)
			}
			if _, _, err := gh.Git.GetRef(ctx, testOwner, testRepo, "heads/main"); err != nil {
				t.Fatal(err)
			}
			a.srv.Fail("checks/create", 1, http.StatusTooManyRequests, http.Header{"Retry-After": {"3"}})
			if _, _, err := gh.Checks.CreateCheckRun(ctx, testOwner, testRepo, github.CreateCheckRunOptions{Name: "x", HeadSHA: a.head}); err == nil {
				t.Fatal("the rate-limited call succeeded")
			}

			var got []logLine
			for _, raw := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				if raw == "" {
					continue
				}
				var rec struct {
					logLine
					RequestID string  `json:"request_id"`
					Duration  float64 `json:"duration"`
				}
				if err := json.Unmarshal([]byte(raw), &rec); err != nil {
					t.Fatalf("log line %q: %v", raw, err)
				}
				if !strings.Contains(raw, `"duration":`) || rec.Duration <= 0 {
					t.Errorf("log line without a positive duration: %s", raw)
				}
				rec.logLine.RequestID = rec.RequestID
				got = append(got, rec.logLine)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("log lines\n%+v\nwant\n%+v", got, tc.want)
			}

			log := buf.String()
			secrets := []string{"Bearer", "PRIVATE KEY"}
			for _, line := range strings.Split(string(testPEM()), "\n")[1:4] {
				secrets = append(secrets, line)
			}
			for _, auth := range st.authorizations {
				_, credential, _ := strings.Cut(auth, " ")
				if credential == "" {
					t.Fatalf("a request went out without credentials: %q", auth)
				}
				secrets = append(secrets, credential)
			}
			if len(st.authorizations) != 5 {
				t.Fatalf("%d requests recorded, want 5", len(st.authorizations))
			}
			for _, s := range secrets {
				if strings.Contains(log, s) {
					t.Errorf("the log contains the secret %q", s)
				}
			}
		})
	}
}
