package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestDescribeBuild(t *testing.T) {
	const rev = "0123456789abcdef0123456789abcdef01234567"
	info := func(version string, settings ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/imagebot/imagebot", Version: version}}
		for i := 0; i+1 < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return bi
	}
	tests := []struct {
		name             string
		info             *debug.BuildInfo
		ok               bool
		stampedVersion   string
		stampedRevision  string
		version, revison string
	}{
		{"a release built from its tag", info("v1.2.0", "vcs.revision", rev, "vcs.modified", "false"), true, "", "", "v1.2.0", rev},
		{"a local build of a dirty tree", info("(devel)", "vcs.revision", rev, "vcs.modified", "true"), true, "", "", "(devel)", rev + "-modified"},
		{"built without VCS information", info("(devel)"), true, "", "", "(devel)", "unknown"},
		{"the image: stamped by the Dockerfile", info("(devel)"), true, "v1.2.0", rev, "v1.2.0", rev},
		{"no build information at all", nil, false, "", "", "(devel)", "unknown"},
	}
	for _, tt := range tests {
		d := describeBuild(tt.info, tt.ok, tt.stampedVersion, tt.stampedRevision)
		wantGo := "go1.26.8"
		if !tt.ok {
			wantGo = "unknown"
		}
		if d.Version != tt.version || d.Revision != tt.revison || d.Go != wantGo {
			t.Errorf("%s: %+v, want %s %s %s", tt.name, d, tt.version, tt.revison, wantGo)
		}
	}
}

func TestVersionCommand(t *testing.T) {
	code, stdout, _ := runCmd(t, "version")
	lines := strings.Split(stdout, "\n")
	if code != 0 || len(lines) != 4 || !strings.HasPrefix(lines[0], "imagebot ") ||
		!strings.HasPrefix(lines[1], "revision: ") || !strings.HasPrefix(lines[2], "go: go1.") {
		t.Errorf("imagebot version: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := runCmd(t, "version", "--json"); code != exitUsage || stderr != "imagebot: version: unknown flag --json; run imagebot version --help\n" {
		t.Errorf("imagebot version --json: exit %d, %q", code, stderr)
	}
	if code, _, stderr := runCmd(t, "version", "now"); code != exitUsage || stderr != "imagebot: version takes no arguments\n" {
		t.Errorf("imagebot version now: exit %d, %q", code, stderr)
	}
}
