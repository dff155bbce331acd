package config

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func TestParseValid(t *testing.T) {
	tests := []struct {
		name  string
		input string
		check func(t *testing.T, c *Config)
	}{
		{"empty file gives defaults", "", func(t *testing.T, c *Config) {
			if !reflect.DeepEqual(c, Default()) {
				t.Errorf("got %+v, want defaults", c)
			}
		}},
		{"comment-only file gives defaults", "# nothing here\n", func(t *testing.T, c *Config) {
			if !reflect.DeepEqual(c, Default()) {
				t.Errorf("got %+v, want defaults", c)
			}
		}},
		{"shorthand off", "checks:\n  image-pinned: off\n", func(t *testing.T, c *Config) {
			if c.Checks["image-pinned"].Enabled {
				t.Error("image-pinned still enabled")
			}
			if !c.Checks["lockfile-present"].Enabled {
				t.Error("other checks must stay enabled")
			}
		}},
		{"shorthand severity", "checks:\n  lockfile-fresh: warning\n", func(t *testing.T, c *Config) {
			if got := c.Checks["lockfile-fresh"]; got != (Check{Enabled: true, Severity: Warning}) {
				t.Errorf("got %+v", got)
			}
		}},
		{"mapping form", "checks:\n  dependency-diff:\n    enabled: true\n    severity: error\n", func(t *testing.T, c *Config) {
			if got := c.Checks["dependency-diff"]; got != (Check{Enabled: true, Severity: Error}) {
				t.Errorf("got %+v", got)
			}
		}},
		{"everything", `lockfile:
  platforms: [linux-64, linux-aarch64]
  formats: [conda-lock, explicit]
split-groups:
  - [gdal, libgdal-core]
ignore:
  paths: ["docs/**", "examples/*.yml"]
  packages: [ca-certificates]
comment:
  drafts: true
rollout:
  hubs: [staging, prod-hub]
  tag: "sha-{sha7}"
`, func(t *testing.T, c *Config) {
			want := Default()
			want.Platforms = []string{"linux-64", "linux-aarch64"}
			want.Formats = []string{"conda-lock", "explicit"}
			want.SplitGroups = [][]string{{"gdal", "libgdal-core"}}
			want.IgnorePaths = []string{"docs/**", "examples/*.yml"}
			want.IgnorePackages = []string{"ca-certificates"}
			want.CommentOnDrafts = true
			want.Hubs = []string{"staging", "prod-hub"}
			want.TagTemplate = "sha-{sha7}"
			if !reflect.DeepEqual(c, want) {
				t.Errorf("got  %+v\nwant %+v", c, want)
			}
			if got := c.Tag("0123456789abcdef0123"); got != "sha-0123456" {
				t.Errorf("Tag = %q", got)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.input))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.check(t, c)
		})
	}
}

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name  string
		input string
		line  int
		want  string // substring of the message
	}{
		{"unknown top-level key", "chekcs: {}\n", 1, `unknown key "chekcs" in the top level; known keys: checks, comment, ignore, lockfile, rollout, split-groups`},
		{"unknown check id", "checks:\n  lockfile-presnt: off\n", 2, `unknown key "lockfile-presnt" in checks`},
		{"bad severity", "checks:\n  image-pinned: fatal\n", 2, `checks.image-pinned must be one of error, warning, notice (or off to disable the check); got "fatal"`},
		{"bad severity in mapping", "checks:\n  image-pinned:\n    severity: loud\n", 3, `checks.image-pinned.severity must be one of`},
		{"enabled not a bool", "checks:\n  image-pinned:\n    enabled: yes please\n", 3, `checks.image-pinned.enabled must be true or false`},
		{"unknown key in check", "checks:\n  image-pinned:\n    sevrity: error\n", 3, `unknown key "sevrity" in checks.image-pinned; known keys: enabled, severity`},
		{"duplicate key", "comment:\n  drafts: true\n  drafts: false\n", 3, `key "drafts" appears twice in comment`},
		{"platform typo", "lockfile:\n  platforms: [linux64]\n", 2, `"linux64" is not a conda platform`},
		{"format typo", "lockfile:\n  formats: [poetry]\n", 2, `"poetry" is not a lock format`},
		{"platforms not a list", "lockfile:\n  platforms: linux-64\n", 2, `lockfile.platforms must be a list`},
		{"split group of one", "split-groups:\n  - [sqlite]\n", 2, `at least two package names`},
		{"split groups not a list", "split-groups: sqlite\n", 1, `split-groups must be a list`},
		{"hostile package name", "ignore:\n  packages: [\"<script>\"]\n", 2, `"<script>" is not a package name`},
		{"bad glob", "ignore:\n  paths: [\"docs/[\"]\n", 2, `is not a valid glob`},
		{"too many double stars", "ignore:\n  paths: [\"**/**/**/x\"]\n", 2, `more than twice`},
		{"hub name with URL", "rollout:\n  hubs: [\"https://evil.example\"]\n", 2, `is not a hub name`},
		{"bad tag template", "rollout:\n  tag: \"latest:{sha}\"\n", 2, `is not a valid image tag template`},
		{"top level is a list", "- a\n- b\n", 1, `the top level must be a mapping`},
		{"not YAML", "checks: [\n", 1, `not valid YAML`},
		{"binary garbage", "\x00\x01\x02\xff", 1, `not valid YAML`},
		{"alias bomb", aliasBomb(), 0, ``},
		{"too large", "#" + strings.Repeat("x", MaxSize), 1, `the limit is`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.input))
			if err == nil {
				t.Fatalf("Parse accepted it: %+v", c)
			}
			problems, ok := err.(Problems)
			if !ok || len(problems) == 0 {
				t.Fatalf("error %T %v is not Problems", err, err)
			}
			if tt.line != 0 && problems[0].Line != tt.line {
				t.Errorf("line = %d, want %d (%s)", problems[0].Line, tt.line, problems[0].Message)
			}
			if !strings.Contains(problems[0].Message, tt.want) {
				t.Errorf("message %q does not contain %q", problems[0].Message, tt.want)
			}
		})
	}
}

func aliasBomb() string {
	var b strings.Builder
	b.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		b.WriteString(n + ": &" + n + " [")
		for i := 0; i < 9; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
		prev = n
	}
	return b.String()
}

func TestProblemsError(t *testing.T) {
	err := Problems{{Line: 3, Message: "bad"}, {Line: 7, Message: "worse"}}
	want := ".github/imagebot.yml:3: bad\n.github/imagebot.yml:7: worse"
	if err.Error() != want {
		t.Errorf("got %q", err.Error())
	}
}

func TestMatchGlob(t *testing.T) {
	tests := []struct {
		glob, name string
		want       bool
	}{
		{"docs/**", "docs/a/b.yml", true},
		{"docs/**", "docs", true},
		{"docs/**", "doc/a", false},
		{"**/environment.yml", "environment.yml", true},
		{"**/environment.yml", "a/b/environment.yml", true},
		{"examples/*.yml", "examples/x.yml", true},
		{"examples/*.yml", "examples/sub/x.yml", false},
		{"a/**/z", "a/z", true},
		{"a/**/z", "a/b/c/z", true},
		{"a/**/z", "a/b/c/y", false},
		{"Dockerfile", "Dockerfile", true},
		{"Dockerfile", "sub/Dockerfile", false},
	}
	for _, tt := range tests {
		if got := MatchGlob(tt.glob, tt.name); got != tt.want {
			t.Errorf("MatchGlob(%q, %q) = %v, want %v", tt.glob, tt.name, got, tt.want)
		}
	}
}

// TestSchemaMatchesParser keeps the shipped JSON Schema and the parser in
// step: the same keys at every level and the same enums.
func TestSchemaMatchesParser(t *testing.T) {
	var schema struct {
		Properties map[string]struct {
			Properties map[string]struct {
				Items struct {
					Enum []string `json:"enum"`
				} `json:"items"`
			} `json:"properties"`
		} `json:"properties"`
		Defs struct {
			Check struct {
				OneOf []struct {
					Properties map[string]struct {
						Enum []string `json:"enum"`
					} `json:"properties"`
				} `json:"oneOf"`
			} `json:"check"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(Schema, &schema); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	keys := func(m map[string]struct {
		Items struct {
			Enum []string `json:"enum"`
		} `json:"items"`
	}) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	wantTop := []string{"checks", "comment", "ignore", "lockfile", "rollout", "split-groups"}
	var top []string
	for k := range schema.Properties {
		top = append(top, k)
	}
	sort.Strings(top)
	if !reflect.DeepEqual(top, wantTop) {
		t.Errorf("schema top-level keys %v, parser knows %v", top, wantTop)
	}
	ids := append([]string(nil), CheckIDs...)
	sort.Strings(ids)
	if got := keys(schema.Properties["checks"].Properties); !reflect.DeepEqual(got, ids) {
		t.Errorf("schema check ids %v, want %v", got, ids)
	}
	for section, want := range map[string][]string{
		"lockfile": {"formats", "platforms"},
		"ignore":   {"packages", "paths"},
		"comment":  {"drafts"},
		"rollout":  {"hubs", "tag"},
	} {
		if got := keys(schema.Properties[section].Properties); !reflect.DeepEqual(got, want) {
			t.Errorf("schema %s keys %v, want %v", section, got, want)
		}
	}
	if got := schema.Properties["lockfile"].Properties["formats"].Items.Enum; !reflect.DeepEqual(got, Formats) {
		t.Errorf("schema formats %v, want %v", got, Formats)
	}
	if got := schema.Defs.Check.OneOf[1].Properties["severity"].Enum; !reflect.DeepEqual(got, []string{"error", "warning", "notice"}) {
		t.Errorf("schema severities %v", got)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("checks:\n  image-pinned: off\n"))
	f.Add([]byte("lockfile:\n  platforms: [linux-64]\nsplit-groups:\n  - [a, b]\n"))
	f.Add([]byte(aliasBomb()))
	f.Add([]byte("rollout:\n  hubs: [x]\n  tag: \"{sha}\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if (c == nil) == (err == nil) {
			t.Fatalf("exactly one of config and error must be set: %v %v", c, err)
		}
		if err != nil {
			for _, p := range err.(Problems) {
				if p.Line < 1 || p.Message == "" {
					t.Fatalf("problem without line or message: %+v", p)
				}
			}
		}
	})
}
