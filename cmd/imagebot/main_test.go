package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestCheckJSONContract decodes the JSON the way a consumer would.
func TestCheckJSONContract(t *testing.T) {
	code, stdout, _ := runCmd(t, "check", "--format", "json", "../../testdata/repos/outage")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var got struct {
		Conclusion string `json:"conclusion"`
		Checks     []struct {
			ID         string `json:"id"`
			Conclusion string `json:"conclusion"`
			Summary    string `json:"summary"`
			Findings   []struct {
				Severity, Path, Message, Fix string
				Line                         int
			} `json:"findings"`
		} `json:"checks"`
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("decode: %v\n%s", err, stdout)
	}
	var ids []string
	for _, c := range got.Checks {
		ids = append(ids, c.ID+"="+c.Conclusion)
	}
	want := "lockfile-present=success lockfile-fresh=success lockfile-consistent=failure image-pinned=success dependency-diff=skipped"
	if strings.Join(ids, " ") != want || got.Conclusion != "failure" {
		t.Errorf("got %s %v", got.Conclusion, ids)
	}
	f := got.Checks[2].Findings[0]
	if f.Path != "conda-lock.yml" || f.Line != 53 || f.Severity != "error" {
		t.Errorf("finding %+v", f)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
