package lock

import (
	"errors"
	"strings"
	"testing"
)

// TestParseErrors checks that malformed input of each format is reported as
// a ParseError on the right line, with a message that says what is wrong.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		format Format
		src    string
		line   int
		msg    string // a substring of the message
	}{
		{"conda-lock newer version", FormatCondaLock, "version: 3\nmetadata: {}\npackage: []\n", 1, `version "3" is not supported (supported versions: 1, 2)`},
		{"conda-lock without version", FormatCondaLock, "metadata: {}\npackage: []\n", 1, "has no version"},
		{"conda-lock without package list", FormatCondaLock, "version: 1\nmetadata: {}\n", 1, "has no package list"},
		{"conda-lock entry without version", FormatCondaLock, "version: 1\npackage:\n- name: a\n  version: '1'\n  manager: conda\n  platform: linux-64\n- name: b\n  manager: conda\n  platform: linux-64\n", 7, "package b has no version"},
		{"conda-lock unknown manager", FormatCondaLock, "version: 1\npackage:\n- name: a\n  version: '1'\n  manager: npm\n  platform: linux-64\n", 5, `package manager "npm" is neither conda nor pip`},
		{"conda-lock dependencies as a list", FormatCondaLock, "version: 1\npackage:\n- name: a\n  version: '1'\n  manager: conda\n  platform: linux-64\n  dependencies:\n  - b\n", 8, "must be a mapping of name to version spec"},
		{"conda-lock duplicate key", FormatCondaLock, "version: 1\npackage:\n- name: a\n  version: '1'\n  name: b\n", 5, `mapping key "name" already defined at line 3`},
		{"conda-lock broken YAML", FormatCondaLock, "version: 1\npackage:\n- name: a\n   version: '1'\n", 4, "invalid YAML: mapping values are not allowed"},
		{"lone carriage return, from the fuzzer", FormatCondaLock, "\"\r", 2, "invalid YAML: found unexpected end of stream"}, // a lone "\r" ends a line
		{"error after a lone carriage return", FormatPixi, "a: 1\rb: 2\nc: [\n", 3, "invalid YAML: did not find expected node content"},
		{"error after a next-line character", FormatPixi, "a: 1\u0085b: 2\nc: d: e\n", 2, "invalid YAML: mapping values are not allowed"},
		{"document marker alone, from the fuzzer", FormatCondaLock, "---", 1, "must be a mapping"},
		{"conda-lock root is a list", FormatCondaLock, "- a\n- b\n", 1, "must be a mapping"},

		{"explicit URL before marker", FormatExplicit, "# platform: linux-64\nhttps://x/linux-64/a-1-0.conda\n@EXPLICIT\n", 2, "expected @EXPLICIT"},
		{"explicit not a package file", FormatExplicit, "@EXPLICIT\nhttps://x/linux-64/a-1-0.conda\nhttps://x/linux-64/readme.txt\n", 3, "is not the URL of a conda package file"},
		{"explicit package twice", FormatExplicit, "@EXPLICIT\nhttps://x/linux-64/a-1-0.conda\nhttps://x/linux-64/b-1-0.conda\nhttps://x/linux-64/a-2-0.conda\n", 4, "package a is listed twice (first on line 2)"},
		{"explicit subdir against header", FormatExplicit, "# platform: osx-64\n@EXPLICIT\nhttps://x/linux-64/a-1-0.conda\n", 3, "built for linux-64, but the lock is for osx-64"},
		{"explicit mixed subdirs", FormatExplicit, "@EXPLICIT\nhttps://x/linux-64/a-1-0.conda\nhttps://x/noarch/b-1-0.conda\nhttps://x/osx-64/c-1-0.conda\n", 4, "the package on line 2 is built for linux-64"},
		{"explicit bad hash", FormatExplicit, "@EXPLICIT\nhttps://x/linux-64/a-1-0.conda#abc\n", 2, `hash "abc" is neither an md5 nor a sha256`},
		{"explicit short sha256", FormatExplicit, "@EXPLICIT\nhttps://x/linux-64/a-1-0.conda#sha256:abc\n", 2, `sha256 "abc" is not 64 hex digits`},
		{"explicit without marker", FormatExplicit, "# platform: linux-64\n", 0, "no @EXPLICIT line"},

		{"pixi version 4", FormatPixi, "version: 4\nenvironments: {}\npackages: []\n", 1, "pixi.lock version 4 is too old to read (supported versions: 5, 6, 7); regenerate it with a current pixi: pixi lock"},
		{"pixi version 3 in conda-lock's layout", FormatPixi, "version: 3\nmetadata:\n  content_hash: {}\npackage: []\n", 1, "pixi.lock version 3 is too old to read"},
		{"pixi version 8", FormatPixi, "environments: {}\nversion: 8\n", 2, "version 8 is newer than imagebot reads (supported versions: 5, 6, 7)"},
		{"pixi version not a number", FormatPixi, "version: six\n", 1, `version "six" is not a number`},
		{"pixi missing package", FormatPixi, "version: 6\nenvironments:\n  default:\n    channels: []\n    packages:\n      linux-64:\n      - conda: https://x/linux-64/a-1-0.conda\n      - conda: https://x/linux-64/b-1-0.conda\npackages:\n- conda: https://x/linux-64/a-1-0.conda\n", 8, "environment default, platform linux-64 refers to a package the lock does not list"},
		{"pixi source without name", FormatPixi, "version: 6\nenvironments:\n  default:\n    packages:\n      linux-64:\n      - conda: .\npackages:\n- conda: .\n  version: '1.0'\n", 8, `conda package "." has no name`},
		{"pixi unregistered platform", FormatPixi, "version: 7\nplatforms:\n- name: linux-64\nenvironments:\n  default:\n    packages:\n      osx-64: []\npackages: []\n", 7, `environment default uses platform "osx-64", which the lock's platforms list does not define`},
		{"pixi platform defined twice", FormatPixi, "version: 7\nplatforms:\n- name: linux-64\n- name: linux-64\n", 4, "platform linux-64 is defined twice"},
		{"pixi bad requirement", FormatPixi, "version: 6\nenvironments:\n  default:\n    packages:\n      linux-64:\n      - pypi: https://x/a-1.0-py3-none-any.whl\npackages:\n- pypi: https://x/a-1.0-py3-none-any.whl\n  name: a\n  version: '1.0'\n  requires_dist:\n  - b>=1\n  - '>=2'\n", 13, `cannot read requirement ">=2" of a`},
		{"pixi bad matchspec", FormatPixi, "version: 6\nenvironments:\n  default:\n    packages:\n      linux-64:\n      - conda: https://x/linux-64/a-1-0.conda\npackages:\n- conda: https://x/linux-64/a-1-0.conda\n  depends:\n  - '>=1'\n", 10, `cannot read dependency ">=1" of a`},
		{"pixi name twice on a platform", FormatPixi, "version: 6\nenvironments:\n  default:\n    packages:\n      linux-64:\n      - conda: https://x/linux-64/a-1-0.conda\n      - conda: https://x/linux-64/a-2-0.conda\npackages:\n- conda: https://x/linux-64/a-1-0.conda\n- conda: https://x/linux-64/a-2-0.conda\n", 10, "environment default, platform linux-64: conda package a is also the entry on line 9"},
		{"pixi entry without location", FormatPixi, "version: 6\npackages:\n- name: a\n", 3, "package entry has no location"},

		{"uv newer version", FormatUV, "version = 2\nrequires-python = \">=3.9\"\n", 1, "uv.lock version 2 is not supported (supported version: 1); regenerate it with a current uv: uv lock"},
		{"uv syntax error", FormatUV, "version = 1\n\n[[package]]\nname = \"a\"\nversion = \n", 5, "invalid TOML"},
		{"uv wrong type", FormatUV, "version = 1\n\n[[package]]\nname = 3\n", 4, "invalid TOML"},
		{"uv package without name", FormatUV, "version = 1\n\n[[package]]\nname = \"a\"\n\n[[package]]\nversion = \"1\"\n", 6, "package has no name"},
		{"uv without version", FormatUV, "requires-python = \">=3.9\"\n", 0, "uv.lock has no version"},
		{"uv nested too deeply", FormatUV, "version = 1\nx = 1\ny = " + strings.Repeat("[", 100), 3, "nest deeper than 64 levels"},

		{"pip-compile unpinned", FormatPipCompile, "# This file is autogenerated by pip-compile with Python 3.12\nrequests==2.32.4\n    # via -r requirements.in\nnumpy>=2 \\\n    --hash=sha256:aa\n", 4, `requirement "numpy>=2" is not pinned to one version with ==`},
		{"pip-compile wildcard", FormatPipCompile, "numpy==2.*\n", 1, "is not pinned to one version"},
		{"pip-compile unreadable", FormatPipCompile, "# autogenerated by uv\n\n[extra]\n", 3, `cannot read requirement "[extra]"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseFormat(tc.format, "dir/lockfile", []byte(tc.src))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T), want a *ParseError", err, err)
			}
			if pe.Path != "dir/lockfile" || pe.Line != tc.line || !strings.Contains(pe.Msg, tc.msg) {
				t.Errorf("got %s:%d %q, want line %d with %q", pe.Path, pe.Line, pe.Msg, tc.line, tc.msg)
			}
		})
	}
}

func TestParseErrorText(t *testing.T) {
	for _, tc := range []struct {
		err  ParseError
		want string
	}{
		{ParseError{Path: "a/pixi.lock", Line: 12, Msg: "bad"}, "a/pixi.lock:12: bad"},
		{ParseError{Path: "a/pixi.lock", Msg: "too large"}, "a/pixi.lock: too large"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.err, got, tc.want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	if _, err := ParseFormat("yarn", "yarn.lock", []byte("x")); err == nil || !strings.Contains(err.Error(), `unknown lockfile format "yarn"`) {
		t.Errorf("unknown format: %v", err)
	}
	_, err := Parse("requirements.txt", []byte("numpy\n"))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 0 || !strings.HasPrefix(pe.Msg, "not a lockfile") {
		t.Errorf("spec file: %v", err)
	}
}
