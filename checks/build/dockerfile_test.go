package build

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// image is an ImageRef without its Path.
func image(line int, raw, resolved string, argLine int, stage bool, repo, tag, digest string, kind TagKind) ImageRef {
	return ImageRef{Line: line, Raw: raw, Resolved: resolved, ArgLine: argLine, Stage: stage, Repository: repo, Tag: tag, Digest: digest, Kind: kind}
}

// unresolved is a reference that cannot be resolved, and why.
func unresolved(line int, raw, why string) ImageRef {
	return ImageRef{Line: line, Raw: raw, Kind: Unknown, Unresolved: why}
}

// at places an Install at lines of a file, with its command.
func at(in Install, line, end int, command string) Install {
	in.Line, in.EndLine, in.Command = line, end, command
	return in
}

func stripPaths(df *Dockerfile) *Dockerfile {
	out := &Dockerfile{}
	for _, i := range df.Images {
		i.Path = ""
		out.Images = append(out.Images, i)
	}
	for _, i := range df.Installs {
		i.Path = ""
		out.Installs = append(out.Installs, i)
	}
	return out
}

func TestDockerfileFixtures(t *testing.T) {
	const digest = "sha256:9b1b1d2a5dc3b0e6e8f8a5f6c4bb16a0a1e0d4c3f2b1a09f8e7d6c5b4a392817"
	tests := []struct {
		file string
		want Dockerfile
	}{
		{"dockerfile/multistage.Dockerfile", Dockerfile{Images: []ImageRef{
			image(9, "golang:1.22", "golang:1.22", 0, false, "golang", "1.22", "", Versioned),
			image(13, "${BUILDER:-python:3.12-slim}", "python:3.12-slim", 0, false, "python", "3.12-slim", "", Versioned),
			unresolved(16, "node:${NODE_TAG}", "the ARG NODE_TAG has no default (it comes from the build command)"),
			image(18, "scratch", "scratch", 0, true, "", "", "", ""),
			image(20, "$BASE", "quay.io/jupyter/scipy-notebook:2024-10-03", 4, false, "quay.io/jupyter/scipy-notebook", "2024-10-03", "", Versioned),
			image(22, "build", "build", 0, true, "", "", "", ""),
			image(23, "BUILD", "BUILD", 0, true, "", "", "", ""),
			unresolved(24, "img:${LATE}", "LATE is not an ARG declared before the first FROM, the only ones FROM sees"),
			image(25, "quay.io/jupyter/base-notebook@"+digest, "quay.io/jupyter/base-notebook@"+digest, 0, false, "quay.io/jupyter/base-notebook", "", digest, Digest),
			image(26, "localhost:5000/team/image", "localhost:5000/team/image", 0, false, "localhost:5000/team/image", "", "", NoTag),
			image(27, `"docker.io/library/ubuntu:latest"`, "docker.io/library/ubuntu:latest", 0, false, "docker.io/library/ubuntu", "latest", "", Latest),
		}}},
		{"dockerfile/heredoc.Dockerfile", Dockerfile{
			Images: []ImageRef{image(2, "quay.io/jupyter/minimal-notebook:2024-10-03", "quay.io/jupyter/minimal-notebook:2024-10-03", 0, false, "quay.io/jupyter/minimal-notebook", "2024-10-03", "", Versioned)},
			Installs: []Install{
				at(fromFile("mamba", "/tmp/environment.lock"), 4, 8, "mamba install -y --file /tmp/environment.lock"),
				at(fromLock("pip", "/tmp/requirements.txt"), 4, 8, "pip install --require-hashes -r /tmp/requirements.txt"),
				at(byName("pip", "chomped"), 10, 12, "pip install chomped"),
				at(byName("mamba", "from-a"), 14, 18, "mamba install -y from-a"),
				at(byName("pip", "from-b"), 14, 18, "pip install from-b"),
				at(byName("pip", "via-bash"), 20, 22, "pip install via-bash"),
				at(byName("pip", "after-config"), 34, 38, "pip install after-config"),
				at(byName("pip", "last"), 47, 47, "pip install last"),
			}}},
		{"dockerfile/backtick-escape.Dockerfile", Dockerfile{
			Images: []ImageRef{image(2, "mcr.microsoft.com/windows/servercore:ltsc2022", "mcr.microsoft.com/windows/servercore:ltsc2022", 0, false, "mcr.microsoft.com/windows/servercore", "ltsc2022", "", Versioned)},
			Installs: []Install{
				at(byName("pip", "one", "two"), 3, 5, "pip install one two"),
				at(byName("pip", "three"), 6, 6, "pip install three"),
			}}},
		{"dockerfile/crlf.Dockerfile", Dockerfile{
			Images:   []ImageRef{image(2, "quay.io/jupyter/r-notebook:${TAG}", "quay.io/jupyter/r-notebook:2024-10-03", 1, false, "quay.io/jupyter/r-notebook", "2024-10-03", "", Versioned)},
			Installs: []Install{at(byName("mamba", "nbgitpuller", "pandas"), 4, 7, "mamba install --yes nbgitpuller pandas")},
		}},
		{"dockerfile/datascience.Dockerfile", Dockerfile{
			Images: []ImageRef{image(1, "quay.io/jupyter/datascience-notebook:python-3.11", "quay.io/jupyter/datascience-notebook:python-3.11", 0, false, "quay.io/jupyter/datascience-notebook", "python-3.11", "", BranchLike)},
			Installs: []Install{
				at(byName("pip", "jupyterlab-git==0.50.1", "dask[complete]"), 17, 22, `pip install --no-cache-dir 'jupyterlab-git==0.50.1' "dask[complete]"`),
				at(noDeps(local("pip", "/home/jovyan/work/pkg")), 24, 24, "pip install --no-deps -e /home/jovyan/work/pkg"),
				at(withTarget(byName("mamba", "python=3.11"), "base"), 25, 25, "mamba install -y -n base 'python=3.11'"),
				at(byName("pip", "after-escaped"), 28, 28, "pip install after-escaped"),
			}}},
		{"dockerfile/pwsh.Dockerfile", Dockerfile{
			Images: []ImageRef{
				image(1, "mcr.microsoft.com/powershell:7.4-ubuntu-22.04", "mcr.microsoft.com/powershell:7.4-ubuntu-22.04", 0, false, "mcr.microsoft.com/powershell", "7.4-ubuntu-22.04", "", Versioned),
				image(5, "python:3.12", "python:3.12", 0, false, "python", "3.12", "", Versioned),
			},
			Installs: []Install{
				at(byName("pip", "exec-form-still-runs"), 4, 4, "pip install exec-form-still-runs"),
				at(byName("pip", "posix-again"), 6, 6, "pip install posix-again"),
			}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			df, err := ScanDockerfile(tt.file, readFixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			for _, i := range df.Images {
				if i.Path != tt.file {
					t.Errorf("image at line %d has path %q", i.Line, i.Path)
				}
			}
			got := stripPaths(df)
			if !reflect.DeepEqual(got.Images, tt.want.Images) {
				t.Errorf("images\n got  %+v\n want %+v", got.Images, tt.want.Images)
			}
			if !reflect.DeepEqual(got.Installs, tt.want.Installs) {
				t.Errorf("installs\n got  %+v\n want %+v", got.Installs, tt.want.Installs)
			}
		})
	}
}

func TestAppendix(t *testing.T) {
	df, err := ScanAppendix("appendix", readFixture(t, "appendix/lock-install"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Install{
		{Path: "appendix", Line: 4, EndLine: 5, Tool: "mamba", Kind: FromFile, File: "conda-linux-64.lock", Target: "${NB_PYTHON_PREFIX}",
			Command: "${MAMBA_EXE} install -p ${NB_PYTHON_PREFIX} --yes --file conda-linux-64.lock"},
		{Path: "appendix", Line: 4, EndLine: 5, Tool: "pip", Kind: Local, File: "${REPO_DIR}", NoDeps: true,
			Command: "${NB_PYTHON_PREFIX}/bin/python -m pip install --no-deps -e ${REPO_DIR}"},
	}
	if len(df.Images) != 0 || !reflect.DeepEqual(df.Installs, want) {
		t.Errorf("got %+v\nwant %+v", df, want)
	}
	for _, src := range []string{"", "# only a comment\n", "\n\n"} {
		if df, err := ScanAppendix("appendix", []byte(src)); err != nil || len(df.Installs)+len(df.Images) != 0 {
			t.Errorf("empty appendix %q: %+v, %v", src, df, err)
		}
	}
}

// TestDockerfileStructure covers one syntax rule per row with a small Dockerfile.
func TestDockerfileStructure(t *testing.T) {
	tests := []struct {
		name, src string
		images    []string // "line raw → resolved repository|tag|digest kind argLine stage"
		installs  []string // "line-end tool kind packages/file"
		reason    string
	}{
		{"ARG in FROM", "ARG BASE=quay.io/jupyter/base-notebook:latest\nFROM ${BASE}\n",
			[]string{"2 quay.io/jupyter/base-notebook|latest| latest arg=1"}, nil, ""},
		{"$X form", "ARG TAG=2024-10-03\nFROM quay.io/jupyter/r-notebook:$TAG\n",
			[]string{"2 quay.io/jupyter/r-notebook|2024-10-03| versioned arg=1"}, nil, ""},
		{"default of undeclared", "FROM img:${MISSING:-main}\n", []string{"1 img|main| branch-like arg=0"}, nil, "the default is written in the FROM"},
		{"default not used", "ARG X=1.0\nFROM img:${X:-main}\n", []string{"2 img|1.0| versioned arg=1"}, nil, ""},
		{"empty default used", "ARG X=\nFROM img:${X:-dev}\n", []string{"2 img|dev| branch-like arg=0"}, nil, ":- treats empty as unset"},
		{"dash keeps empty", "ARG X=\nFROM img${X-:dev}\n", []string{"2 img|| no-tag arg=0"}, nil, "- only replaces an unset variable"},
		{"plus form", "ARG PIN=1\nFROM img${PIN:+:2024-01-01}\n", []string{"2 img|2024-01-01| versioned arg=0"}, nil, ""},
		{"no default", "ARG TAG\nFROM img:${TAG}\n", []string{"2 unresolved unknown"}, nil, "a build argument without a default is only known at build time"},
		{"undeclared", "FROM img:$NOPE\n", []string{"1 unresolved unknown"}, nil, ""},
		{"pattern removal", "ARG T=v1\nFROM img:${T#v}\n", []string{"2 unresolved unknown"}, nil, "${X#…} is not evaluated"},
		{"stage ARG not global", "FROM a:1\nARG X=2\nFROM b:${X}\n", []string{"1 a|1| versioned arg=0", "3 unresolved unknown"}, nil, "ARGs after FROM are scoped to their stage"},
		{"nested ARGs", "ARG REG=quay.io\nARG TAG=2024\nARG BASE=${REG}/jupyter/x:${TAG}\nFROM $BASE\n", []string{"4 quay.io/jupyter/x|2024| versioned arg=2"}, nil, "the tag came from TAG"},
		{"several ARGs on a line", "ARG A=x B=latest\nFROM ${A}:${B}\n", []string{"2 x|latest| latest arg=1"}, nil, ""},
		{"quoted ARG", "ARG IMG=\"python:3.12\"\nFROM $IMG\n", []string{"2 python|3.12| versioned arg=1"}, nil, ""},
		{"escaped dollar", "FROM img:\\$TAG\n", []string{"1 unresolved unknown"}, nil, "a literal $ is no valid reference"},
		{"doubling ARGs stay bounded", "ARG A=xxxxxxxxxxxxxxxx\n" + doublingArgs(20) + "FROM img:${A20}\n", []string{"22 unresolved unknown"}, nil, "2^20 copies exceed the expansion limit"},
		{"lower-case instructions", "from python:3.11 as Build\nrun pip install x\nfrom build\n", []string{"1 python|3.11| versioned arg=0", "3 stage"}, []string{"2-2 pip by-name x"}, ""},
		{"stage named like an image", "FROM python:3.12 AS python\nFROM python\n", []string{"1 python|3.12| versioned arg=0", "2 stage"}, nil, "a stage name shadows the image"},
		{"scratch", "FROM scratch\n", []string{"1 stage"}, nil, ""},
		{"platform flag", "FROM --platform=linux/amd64 img:1\n", []string{"1 img|1| versioned arg=0"}, nil, ""},
		{"tag and digest", "FROM img:1@sha256:abc\n", []string{"1 img|1|sha256:abc digest arg=0"}, nil, ""},
		{"BOM", "\xEF\xBB\xBFFROM img:1\n", []string{"1 img|1| versioned arg=0"}, nil, ""},
		{"parser directives", "# syntax=docker/dockerfile:1\n# check=skip=all\nFROM img:1\n", []string{"3 img|1| versioned arg=0"}, nil, ""},
		{"escape directive after comment is a comment", "# hello\n# escape=`\nFROM img:1\nRUN pip install a \\\n b\n", []string{"3 img|1| versioned arg=0"}, []string{"4-5 pip by-name a b"}, "directives end at the first other line"},
		{"comment inside continuation", "FROM img:1\nRUN pip install \\\n# note\n    a \\\n\n    b\n", []string{"1 img|1| versioned arg=0"}, []string{"2-6 pip by-name a b"}, "comment and blank lines are dropped"},
		{"trailing blanks after backslash", "FROM img:1\nRUN pip install a \\  \t\n  b\n", []string{"1 img|1| versioned arg=0"}, []string{"2-3 pip by-name a b"}, ""},
		{"backslash alone continues", "FROM img:1\nRUN pip install a \\\n\\\n b\n", []string{"1 img|1| versioned arg=0"}, []string{"2-4 pip by-name a b"}, ""},
		{"escaped backslash ends line", "FROM img:1\nRUN echo \\\\\nRUN pip install b\n", []string{"1 img|1| versioned arg=0"}, []string{"3-3 pip by-name b"}, ""},
		{"continuation at end of file", "FROM img:1\nRUN pip install a \\", []string{"1 img|1| versioned arg=0"}, []string{"2-2 pip by-name a"}, ""},
		{"RUN flags", "FROM img:1\nRUN --mount=type=cache,target=/root/.cache --network=host pip install a\n", []string{"1 img|1| versioned arg=0"}, []string{"2-2 pip by-name a"}, ""},
		{"exec form", "FROM img:1\nRUN [\"pip\", \"install\", \"a\"]\n", []string{"1 img|1| versioned arg=0"}, []string{"2-2 pip by-name a"}, ""},
		{"broken JSON is shell form", "FROM img:1\nRUN [\"pip\", install a\n", []string{"1 img|1| versioned arg=0"}, nil, "the shell runs a command named ["},
		{"ONBUILD skipped", "FROM img:1\nONBUILD RUN pip install a\n", []string{"1 img|1| versioned arg=0"}, nil, "runs in child images"},
		{"heredoc-only RUN", "FROM img:1\nRUN <<EOF\npip install a\nEOF\n", []string{"1 img|1| versioned arg=0"}, []string{"2-4 pip by-name a"}, ""},
		{"heredoc and subshell in RUN", "FROM img:1\nRUN bash <<EOF && (cd /x; pip install b)\npip install a\nEOF\n", []string{"1 img|1| versioned arg=0"},
			[]string{"2-4 pip by-name a", "2-4 pip by-name b"}, "the here-document feeds bash; the subshell runs after it"},
		{"function, bash -c and pipeline in RUN", "FROM img:1\nRUN f() { mamba install -y x; } && bash -c 'set -e; pip install \"y z\"' | tee log\n", []string{"1 img|1| versioned arg=0"},
			[]string{"2-2 mamba by-name x", "2-2 pip by-name y z"}, ""},
		{"heredoc needs a separate word", "FROM img:1\nRUN cat<<EOF\n", []string{"1 img|1| versioned arg=0"}, nil, "cat<<EOF is one word, so BuildKit reads no here-document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			df, err := ScanDockerfile("Dockerfile", []byte(tt.src))
			if err != nil {
				t.Fatalf("%v (%s)", err, tt.reason)
			}
			var images, installs []string
			for _, i := range df.Images {
				images = append(images, describeImage(i))
			}
			for _, i := range df.Installs {
				installs = append(installs, describeInstall(i))
			}
			if !reflect.DeepEqual(images, tt.images) {
				t.Errorf("images %q, want %q (%s)", images, tt.images, tt.reason)
			}
			if !reflect.DeepEqual(installs, tt.installs) {
				t.Errorf("installs %q, want %q (%s)", installs, tt.installs, tt.reason)
			}
		})
	}
}

func doublingArgs(n int) string {
	var b strings.Builder
	prev := "A"
	for i := 1; i <= n; i++ {
		name := "A" + itoa(i)
		b.WriteString("ARG " + name + "=${" + prev + "}${" + prev + "}\n")
		prev = name
	}
	return b.String()
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func describeImage(i ImageRef) string {
	switch {
	case i.Stage:
		return itoa(i.Line) + " stage"
	case i.Resolved == "":
		return itoa(i.Line) + " unresolved " + string(i.Kind)
	}
	return itoa(i.Line) + " " + i.Repository + "|" + i.Tag + "|" + i.Digest + " " + string(i.Kind) + " arg=" + itoa(i.ArgLine)
}

func describeInstall(i Install) string {
	what := strings.Join(i.Packages, " ")
	if i.File != "" {
		what = i.File
	}
	return itoa(i.Line) + "-" + itoa(i.EndLine) + " " + i.Tool + " " + string(i.Kind) + " " + what
}

func TestDockerfileErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"empty", "", 0, "the Dockerfile has no instructions"},
		{"comments only", "# nothing\n\n", 0, "the Dockerfile has no instructions"},
		{"unknown instruction", "FROM img:1\nRUNN pip install x\n", 2, "unknown instruction: RUNN"},
		{"RUN before FROM", "ARG X=1\nRUN pip install x\nFROM img\n", 2, "RUN before the first FROM: a Dockerfile starts with FROM, after ARGs and parser directives"},
		{"FROM with two words", "FROM img extra\n", 1, "FROM requires either one or three arguments (image, or image AS name), got 2"},
		{"FROM without image", "FROM --platform=linux/amd64\n", 1, "FROM requires either one or three arguments (image, or image AS name), got 0"},
		{"unterminated heredoc", "FROM img:1\nRUN <<EOF\npip install x\n", 2, "unterminated heredoc"},
		{"unterminated heredoc in ONBUILD", "FROM img:1\nONBUILD RUN <<EOF\npip install x\n", 2, "unterminated heredoc"},
		{"duplicate directive", "# escape=\\\n# escape=`\nFROM img\n", 2, "only one escape parser directive can be used"},
		{"bad escape", "# escape=x\nFROM img\n", 1, "invalid escape token 'x' does not match ` or \\"},
		{"duplicate directive after another", "# syntax=docker/dockerfile:1\n# check=skip=all\n# escape=`\n# escape=`\nFROM img\n", 4, "only one escape parser directive can be used"},
		{"line too long", "FROM img:1\nRUN pip install " + strings.Repeat("x", 1<<16) + "\n", 2, "the line is longer than 65535 bytes, the most docker build reads"},
		{"too many lines", "FROM img:1\n" + strings.Repeat("\n", maxDockerfileLines), 0, "the Dockerfile has 131073 lines; the limit is 131072"},
		{"first line too long", "FROM img:" + strings.Repeat("x", 1<<16) + "\n", 1, "the line is longer than 65535 bytes, the most docker build reads"},
		{"unterminated quote in RUN", "FROM img:1\nRUN pip install 'x\n", 2, "RUN: unterminated single quote"},
		{"too deeply nested RUN", "FROM img:1\nRUN " + strings.Repeat("( ", 10000) + "true" + strings.Repeat(")", 10000) + "\n", 2,
			"RUN: " + tooNestedMessage},
		{"unbalanced RUN", "FROM img:1\nRUN if true; then pip install x\n", 2, "RUN: `if` statement must end with `fi`"},
		{"SHELL shell form", "FROM img:1\nSHELL /bin/bash -c\n", 2, "SHELL requires the exec (JSON array) form"},
		{"NUL byte", "FROM img:1\n\x00\n", 2, "binary data: the file contains a NUL byte"},
		{"too large", "FROM img:1\n" + strings.Repeat("#", MaxSize), 0, "the file is 8388619 bytes; the limit is 8 MiB"},
	}
	for _, tt := range tests {
		_, err := ScanDockerfile("Dockerfile", []byte(tt.src))
		pe, ok := err.(*ParseError)
		if !ok {
			t.Errorf("%s: error %v, want a *ParseError", tt.name, err)
			continue
		}
		if pe.Line != tt.line || pe.Msg != tt.msg {
			t.Errorf("%s: got %q at line %d, want %q at line %d", tt.name, pe.Msg, pe.Line, tt.msg, tt.line)
		}
		if pe.Path != "Dockerfile" || pe.Line != tt.line {
			t.Errorf("%s: at %s:%d", tt.name, pe.Path, pe.Line)
		}
	}
}
