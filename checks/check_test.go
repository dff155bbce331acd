package checks

import (
	"strings"
	"testing"

	"github.com/imagebot/imagebot/checks/config"
)

// TestOutage is the failure imagebot exists for: sqlite moved to 3.45.1
// while libsqlite, which it pins exactly, stayed at 3.53.0.
func TestOutage(t *testing.T) {
	report := Check(loadDir(t, "../testdata/repos/outage"))
	res := report.Result(LockfileConsistent)
	if res.Conclusion != Failure {
		t.Fatalf("lockfile-consistent = %s, want failure", res.Conclusion)
	}
	want := []Finding{{
		Severity: Error, Path: "conda-lock.yml", Line: 53,
		Message: "sqlite 3.45.1 requires libsqlite 3.45.1, but the lock has libsqlite 3.53.0 (linux-64).",
		Fix:     "Re-solve the lock instead of editing it: `conda-lock lock -f environment.yml -p linux-64 && conda-lock render --kind explicit -p linux-64 conda-lock.yml`.",
	}}
	// numpy's libblas >=3.9.0,<4.0a0 holds for libblas 3.11.0 and must not
	// be reported; neither may python's __glibc, a virtual package.
	if len(res.Findings) != 1 || res.Findings[0] != want[0] {
		t.Errorf("findings = %+v\nwant %+v", res.Findings, want)
	}
	if report.Conclusion != Failure {
		t.Errorf("report = %s, want failure", report.Conclusion)
	}
	for _, id := range []string{LockfilePresent, LockfileFresh, ImagePinned} {
		if c := report.Result(id).Conclusion; c != Success {
			t.Errorf("%s = %s, want success: %+v", id, c, report.Result(id).Findings)
		}
	}
}

// TestChecks mutates the compliant fixture one way at a time and expects
// exactly the findings that mutation deserves.
func TestChecks(t *testing.T) {
	compliant := loadDir(t, "../testdata/repos/compliant")
	tests := []struct {
		name    string
		changes func(t *testing.T) map[string]string
		cfg     string
		check   string
		want    Conclusion
		// wantFindings are "severity path:line" followed by a substring of the message.
		wantFindings []string
	}{
		{
			name:    "compliant passes",
			changes: func(*testing.T) map[string]string { return nil },
			check:   LockfileFresh, want: Success,
		},
		{
			name: "spec asks for another python than the lock holds",
			changes: func(t *testing.T) map[string]string {
				return map[string]string{"environment.yml": replace(t, compliant, "environment.yml", "python=3.12", "python=3.11")}
			},
			check: LockfileFresh, want: Failure,
			wantFindings: []string{"error environment.yml:6 `environment.yml` asks for `python=3.11`, but `conda-lock.yml` locks python 3.12.4 (linux-64)."},
		},
		{
			name: "spec asks for a package the lock lacks",
			changes: func(t *testing.T) map[string]string {
				return map[string]string{"environment.yml": replace(t, compliant, "environment.yml", "  - sqlite\n", "  - sqlite\n  - xarray>=2024.1\n")}
			},
			check: LockfileFresh, want: Failure,
			wantFindings: []string{"error environment.yml:9 `environment.yml` asks for `xarray>=2024.1`, but `conda-lock.yml` locks no xarray (linux-64)."},
		},
		{
			name: "a selector for another platform is not judged",
			changes: func(t *testing.T) map[string]string {
				return map[string]string{"environment.yml": replace(t, compliant, "environment.yml", "  - sqlite\n", "  - sqlite\n  - appnope  # [osx]\n")}
			},
			check: LockfileFresh, want: Success,
		},
		{
			name: "explicit lock disagrees with conda-lock.yml",
			changes: func(t *testing.T) map[string]string {
				return map[string]string{"conda-linux-64.lock": replace(t, compliant, "conda-linux-64.lock", "numpy-2.1.0-py312h1103770_0", "numpy-2.0.2-py312h1103770_0")}
			},
			check: LockfileFresh, want: Failure,
			wantFindings: []string{"error conda-linux-64.lock:13 `conda-linux-64.lock` and `conda-lock.yml` disagree on 1 package for linux-64, so one of them is stale: `numpy 2.0.2 (conda-lock.yml: numpy 2.1.0)`."},
		},
		{
			name: "lock names a source that is gone",
			changes: func(t *testing.T) map[string]string {
				return map[string]string{"environment.yml": deleted}
			},
			check: LockfileFresh, want: Failure,
			wantFindings: []string{"error conda-lock.yml:0 `conda-lock.yml` was made from `environment.yml`, which is not in the repository."},
		},
		{
			name: "no lock next to the spec",
			changes: func(t *testing.T) map[string]string {
				return map[string]string{"conda-lock.yml": deleted, "conda-linux-64.lock": deleted, "appendix": deleted}
			},
			check: LockfilePresent, want: Failure,
			wantFindings: []string{"error environment.yml:6 `environment.yml` has no lockfile next to it"},
		},
		{
			name: "appendix installs the spec instead of the lock",
			changes: func(t *testing.T) map[string]string {
				return map[string]string{"appendix": "RUN mamba env update -p ${NB_PYTHON_PREFIX} -f environment.yml\n"}
			},
			check: LockfilePresent, want: Failure,
			wantFindings: []string{"error appendix:1 `appendix` installs from `environment.yml`, a spec rather than a lock"},
		},
		{
			name: "postBuild installs by name with pip",
			changes: func(t *testing.T) map[string]string {
				return map[string]string{"postBuild": "#!/bin/bash\nset -e\npip install --no-cache-dir nbgitpuller\n"}
			},
			check: LockfilePresent, want: Failure,
			wantFindings: []string{"error postBuild:3 `postBuild` installs `nbgitpuller` by name with pip"},
		},
		{
			name: "hand-written requirements.txt without a lock",
			changes: func(t *testing.T) map[string]string {
				return map[string]string{"requirements.txt": "nbgitpuller>=1.2\n"}
			},
			check: LockfilePresent, want: Failure,
			wantFindings: []string{"error requirements.txt:1 `requirements.txt` has no lockfile next to it"},
		},
		{
			name: "pip-compile requirements.txt is a lock",
			changes: func(t *testing.T) map[string]string {
				return map[string]string{
					"requirements.in": "nbgitpuller>=1.2\n",
					"requirements.txt": "#\n# This file is autogenerated by pip-compile with Python 3.12\n# by the following command:\n#\n#    pip-compile --generate-hashes requirements.in\n#\n" +
						"nbgitpuller==1.2.1 \\\n    --hash=sha256:" + strings.Repeat("a", 64) + "\n    # via -r requirements.in\n",
				}
			},
			check: LockfilePresent, want: Success,
		},
		{
			name: "pip-compile lock older than its input",
			changes: func(t *testing.T) map[string]string {
				return map[string]string{
					"requirements.in": "nbgitpuller>=1.3\n",
					"requirements.txt": "#\n# This file is autogenerated by pip-compile with Python 3.12\n# by the following command:\n#\n#    pip-compile --generate-hashes requirements.in\n#\n" +
						"nbgitpuller==1.2.1 \\\n    --hash=sha256:" + strings.Repeat("a", 64) + "\n    # via -r requirements.in\n",
				}
			},
			check: LockfileFresh, want: Failure,
			wantFindings: []string{"error requirements.in:1 `requirements.in` asks for `nbgitpuller>=1.3`, but `requirements.txt` locks nbgitpuller 1.2.1 (any)."},
		},
		{
			name: "base image follows latest",
			changes: func(t *testing.T) map[string]string {
				return map[string]string{"Dockerfile": "FROM quay.io/jupyter/base-notebook\nRUN mamba install --yes --file conda-linux-64.lock\n"}
			},
			check: ImagePinned, want: Failure,
			wantFindings: []string{"error Dockerfile:1 `FROM quay.io/jupyter/base-notebook` follows `latest`"},
		},
		{
			name: "base image pinned by digest",
			changes: func(t *testing.T) map[string]string {
				return map[string]string{"Dockerfile": "FROM quay.io/jupyter/base-notebook:2024-10-03@sha256:" + strings.Repeat("0", 64) + "\n"}
			},
			check: ImagePinned, want: Success,
		},
		{
			name: "workflow publishes latest",
			changes: func(t *testing.T) map[string]string {
				return map[string]string{".github/workflows/build.yaml": replace(t, compliant, ".github/workflows/build.yaml", "          LATEST_TAG_OFF: true\n", "")}
			},
			check: ImagePinned, want: Failure,
			wantFindings: []string{"error .github/workflows/build.yaml:11 `.github/workflows/build.yaml` publishes the mutable tag `quay.io/example-hub/notebook:latest`"},
		},
		{
			name:    "a required platform is missing",
			changes: func(*testing.T) map[string]string { return nil },
			cfg:     "lockfile:\n  platforms: [linux-64, linux-aarch64]\n",
			check:   LockfilePresent, want: Failure,
			wantFindings: []string{
				"error conda-lock.yml:0 `conda-lock.yml` does not lock linux-aarch64",
			},
		},
		{
			name:    "a lock format the repository does not accept",
			changes: func(*testing.T) map[string]string { return nil },
			cfg:     "lockfile:\n  formats: [pixi]\n",
			check:   LockfilePresent, want: Failure,
			wantFindings: []string{
				"error conda-linux-64.lock:0 `conda-linux-64.lock` is a explicit lock, but .github/imagebot.yml accepts only pixi.",
				"error conda-lock.yml:0 `conda-lock.yml` is a conda-lock lock, but .github/imagebot.yml accepts only pixi.",
			},
		},
		{
			name:    "a disabled check is skipped",
			changes: func(t *testing.T) map[string]string { return map[string]string{"Dockerfile": "FROM ubuntu\n"} },
			cfg:     "checks:\n  image-pinned: off\n",
			check:   ImagePinned, want: Skipped,
		},
		{
			name:    "severity lowered to warning",
			changes: func(t *testing.T) map[string]string { return map[string]string{"Dockerfile": "FROM ubuntu\n"} },
			cfg:     "checks:\n  image-pinned: warning\n",
			check:   ImagePinned, want: Success,
			wantFindings: []string{"warning Dockerfile:1 `FROM ubuntu` follows `latest`"},
		},
		{
			name:    "ignored paths are not read",
			changes: func(t *testing.T) map[string]string { return map[string]string{"examples/Dockerfile": "FROM ubuntu\n"} },
			cfg:     "ignore:\n  paths: [\"examples/**\"]\n",
			check:   ImagePinned, want: Success,
		},
		{
			name: "malformed lock is a finding, not a crash",
			changes: func(t *testing.T) map[string]string {
				return map[string]string{"conda-lock.yml": "version: 1\nmetadata: [\n"}
			},
			check: LockfilePresent, want: Failure,
			wantFindings: []string{"error conda-lock.yml:"},
		},
		{
			name: "an unreadable requirement is a finding at its line",
			changes: func(t *testing.T) map[string]string {
				return map[string]string{"environment.yml": replace(t, compliant, "environment.yml", "  - sqlite\n", "  - sqlite\n  - numpy>=>2\n")}
			},
			check: LockfileFresh, want: Failure,
			wantFindings: []string{"error environment.yml:9 environment.yml is not a valid spec file: "},
		},
		{
			name: "binary garbage in a Dockerfile is a finding",
			changes: func(t *testing.T) map[string]string {
				return map[string]string{"Dockerfile": "\x00\x01\x02\xff\xfe"}
			},
			check: LockfilePresent, want: Failure,
			wantFindings: []string{"error Dockerfile:"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree := with(compliant, tt.changes(t))
			cfg := config.Default()
			if tt.cfg != "" {
				var err error
				if cfg, err = config.Parse([]byte(tt.cfg)); err != nil {
					t.Fatalf("config: %v", err)
				}
			}
			res := Check(tree, WithConfig(cfg)).Result(tt.check)
			if res.Conclusion != tt.want {
				t.Errorf("%s = %s, want %s; findings: %+v", tt.check, res.Conclusion, tt.want, res.Findings)
			}
			if len(res.Findings) != len(tt.wantFindings) {
				t.Fatalf("got %d findings, want %d:\n%s", len(res.Findings), len(tt.wantFindings), describe(res.Findings))
			}
			for i, f := range res.Findings {
				got := string(f.Severity) + " " + location(f) + " " + f.Message
				if f.Line == 0 {
					got = string(f.Severity) + " " + f.Path + ":0 " + f.Message
				}
				if !strings.HasPrefix(got, tt.wantFindings[i]) {
					t.Errorf("finding %d:\n got  %s\n want %s…", i, got, tt.wantFindings[i])
				}
				if f.Fix == "" {
					t.Errorf("finding %d has no fix", i)
				}
			}
		})
	}
}

func describe(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + string(f.Severity) + " " + location(f) + " " + f.Message + "\n")
	}
	return b.String()
}
