package queue

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/riverqueue/river/rivertype"

	"github.com/imagebot/imagebot/bot/joblog"
)

// captured is a JSON log, one map per line.
type captured struct{ bytes.Buffer }

func (c *captured) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(c.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestRiverLoggerLowersInfo(t *testing.T) {
	for _, tt := range []struct {
		name      string
		level     slog.Level // the operator's level
		log       func(*slog.Logger)
		wantLevel string // "" when nothing is written
	}{
		{"routine info hidden at info", slog.LevelInfo, func(l *slog.Logger) { l.Info("producer: Fetched jobs") }, ""},
		{"routine info shown at debug", slog.LevelDebug, func(l *slog.Logger) { l.Info("producer: Fetched jobs") }, "DEBUG"},
		{"through With", slog.LevelDebug, func(l *slog.Logger) { l.With("queue", "default").Info("elector: Gained leadership") }, "DEBUG"},
		{"warnings stay", slog.LevelInfo, func(l *slog.Logger) { l.Warn("jobexecutor: Job errored") }, "WARN"},
		{"errors stay", slog.LevelInfo, func(l *slog.Logger) { l.Error("notifier: Error") }, "ERROR"},
		{"debug stays debug", slog.LevelInfo, func(l *slog.Logger) { l.Debug("producer: Fetched jobs") }, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var c captured
			tt.log(riverLogger(slog.New(slog.NewJSONHandler(&c, &slog.HandlerOptions{Level: tt.level}))))
			lines := c.lines(t)
			switch {
			case tt.wantLevel == "" && len(lines) != 0:
				t.Errorf("wrote %v, want nothing", lines)
			case tt.wantLevel != "" && (len(lines) != 1 || lines[0]["level"] != tt.wantLevel):
				t.Errorf("wrote %v, want one line at %s", lines, tt.wantLevel)
			}
		})
	}
}

// TestJobLogging: every line a job writes through its context's logger,
// its GitHub calls' included, names the delivery, installation,
// repository, pull request and commit.
func TestJobLogging(t *testing.T) {
	var c captured
	m := &jobLogging{logger: slog.New(slog.NewJSONHandler(&c, nil))}
	job := &rivertype.JobRow{ID: 7, Kind: "pull_request_check", Attempt: 2, EncodedArgs: []byte(
		`{"installation_id": 42, "owner": "example-hub", "repo": "notebook", "number": 9, "head_sha": "a1b2c3", "base_sha": "fff", "delivery": "d-1"}`)}
	err := m.Work(context.Background(), job, func(ctx context.Context) error {
		log := joblog.From(ctx, nil)
		log.Info("checked")
		log.With("route", "/repos/{owner}/{repo}/check-runs").Warn("github call")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"delivery": "d-1", "installation": float64(42), "repo": "example-hub/notebook", "pr": float64(9),
		"sha": "a1b2c3", "job": float64(7), "kind": "pull_request_check", "attempt": float64(2)}
	lines := c.lines(t)
	if len(lines) != 2 {
		t.Fatalf("%d lines, want 2", len(lines))
	}
	for _, line := range lines {
		for k, v := range want {
			if line[k] != v {
				t.Errorf("line %q: %s = %v, want %v", line["msg"], k, line[k], v)
			}
		}
	}
}
