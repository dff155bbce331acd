package build

import (
	"reflect"
	"testing"
)

// facts keeps what an Install says about the installation, without where it was found.
func facts(ins []Install) []Install {
	var out []Install
	for _, in := range ins {
		out = append(out, Install{Tool: in.Tool, Kind: in.Kind, Packages: in.Packages, File: in.File, NoDeps: in.NoDeps, Target: in.Target})
	}
	return out
}

func byName(tool string, pkgs ...string) Install {
	return Install{Tool: tool, Kind: ByName, Packages: pkgs}
}

func fromFile(tool, file string) Install { return Install{Tool: tool, Kind: FromFile, File: file} }
func fromLock(tool, file string) Install { return Install{Tool: tool, Kind: FromLock, File: file} }
func local(tool, path string) Install    { return Install{Tool: tool, Kind: Local, File: path} }

func withTarget(in Install, target string) Install { in.Target = target; return in }
func noDeps(in Install) Install                    { in.NoDeps = true; return in }

func TestInstallClassification(t *testing.T) {
	tests := []struct {
		name   string
		script string
		want   []Install
		reason string
	}{
		// conda, mamba, micromamba
		{"mamba by name", "mamba install -y -c conda-forge numpy pandas", []Install{byName("mamba", "numpy", "pandas")}, "-c takes conda-forge"},
		{"conda long options", "conda install --yes --channel conda-forge --name base python=3.11", []Install{withTarget(byName("conda", "python=3.11"), "base")}, ""},
		{"options after packages", "conda install python=3.11 -c conda-forge -p /opt/env", []Install{withTarget(byName("conda", "python=3.11"), "/opt/env")}, ""},
		{"option with equals", "mamba install --prefix=/opt/env --channel=conda-forge sqlite", []Install{withTarget(byName("mamba", "sqlite"), "/opt/env")}, ""},
		{"quoted specs", `mamba install -y 'numpy>=1.2' "pandas<2"`, []Install{byName("mamba", "numpy>=1.2", "pandas<2")}, ""},
		{"unquoted comparison", "pip install numpy>=1.2", []Install{byName("pip", "numpy")}, "the shell redirects to a file named =1.2"},
		{"channel-qualified spec", "micromamba install -y conda-forge::sqlite=3.45", []Install{byName("micromamba", "conda-forge::sqlite=3.45")}, ""},
		{"micromamba file", "micromamba install -y -n base -f /tmp/env.yaml", []Install{withTarget(fromFile("micromamba", "/tmp/env.yaml"), "base")}, ""},
		{"micromamba file and names", "micromamba create -y -p /opt/env -f env.lock python=3.11",
			[]Install{withTarget(fromFile("micromamba", "env.lock"), "/opt/env"), withTarget(byName("micromamba", "python=3.11"), "/opt/env")}, "one Install per file plus one for the names"},
		{"install --file", "mamba install --yes --file conda-linux-64.lock", []Install{fromFile("mamba", "conda-linux-64.lock")}, ""},
		{"two files", "conda create -n x --file a.txt --file b.txt", []Install{withTarget(fromFile("conda", "a.txt"), "x"), withTarget(fromFile("conda", "b.txt"), "x")}, ""},
		{"MAMBA_EXE env create", `${MAMBA_EXE} env create --prefix ${NB_PYTHON_PREFIX} --yes --file "conda-linux-64.lock"`,
			[]Install{withTarget(fromFile("mamba", "conda-linux-64.lock"), "${NB_PYTHON_PREFIX}")}, "repo2docker's MAMBA_EXE"},
		{"CONDA_EXE", "$CONDA_EXE install -y sqlite", []Install{byName("conda", "sqlite")}, ""},
		{"env update", "mamba env update -n base -f environment.yml", []Install{withTarget(fromFile("mamba", "environment.yml"), "base")}, ""},
		{"env create default file", "conda env create", []Install{fromFile("conda", "environment.yml")}, "conda env create reads environment.yml by default"},
		{"path to mamba", "$CONDA_DIR/bin/mamba install -y sqlite", []Install{byName("mamba", "sqlite")}, ""},
		{"absolute conda", "/opt/conda/bin/conda install -y sqlite", []Install{byName("conda", "sqlite")}, ""},
		{"global option first", "micromamba -r /opt/conda install -y xz", []Install{byName("micromamba", "xz")}, "-r is the root prefix, not a package"},
		{"update all", "conda update --all -y", []Install{byName("conda")}, "re-solves every package"},
		{"update conda", "conda update -n base conda", []Install{withTarget(byName("conda", "conda"), "base")}, ""},
		{"clone", "mamba create --clone base -n copy", nil, "copies an environment"},
		{"clean", "mamba clean --all -f -y", nil, ""},
		{"list", "mamba list", nil, ""},
		{"config", "conda config --add channels conda-forge", nil, ""},
		{"remove", "conda remove -y pkg", nil, ""},
		{"conda no-deps", "conda install --no-deps -y x", []Install{noDeps(byName("conda", "x"))}, ""},
		// pip
		{"pip by name", "pip install requests", []Install{byName("pip", "requests")}, ""},
		{"pip3", "pip3 install --no-cache-dir flask", []Install{byName("pip", "flask")}, ""},
		{"pip3.11", "pip3.11 install flask", []Install{byName("pip", "flask")}, ""},
		{"python -m pip", "python -m pip install --no-cache-dir flask", []Install{byName("pip", "flask")}, ""},
		{"python3 -m pip upgrade pip", "python3 -m pip install -U pip", []Install{byName("pip", "pip")}, ""},
		{"python flags before -m", "python3 -u -W ignore -m pip install x", []Install{byName("pip", "x")}, "-W takes a value"},
		{"python prefix path", "${NB_PYTHON_PREFIX}/bin/python -m pip install -r requirements.txt", []Install{fromFile("pip", "requirements.txt")}, ""},
		{"requirements", "pip install -r requirements.txt", []Install{fromFile("pip", "requirements.txt")}, ""},
		{"require hashes", "pip3 install --require-hashes -r requirements.txt", []Install{fromLock("pip", "requirements.txt")}, ""},
		{"attached -r", "pip install -rrequirements.txt", []Install{fromFile("pip", "requirements.txt")}, ""},
		{"clustered -qr", "pip install -qr requirements.txt", []Install{fromFile("pip", "requirements.txt")}, ""},
		{"--requirement=", "pip install --requirement=req.txt", []Install{fromFile("pip", "req.txt")}, ""},
		{"editable local", "pip install --no-deps -e .", []Install{noDeps(local("pip", "."))}, ""},
		{"local dot", "pip install .", []Install{local("pip", ".")}, ""},
		{"local extras", "pip install '.[test]'", []Install{local("pip", ".[test]")}, ""},
		{"local path", "pip install ./pkg", []Install{local("pip", "./pkg")}, ""},
		{"variable path", "pip install $HOME/src/pkg", []Install{local("pip", "$HOME/src/pkg")}, ""},
		{"variable name", "pip install $PKG", []Install{byName("pip", "$PKG")}, "no slash: a name from a variable"},
		{"wheel file", "pip install dist/tool-1.0-py3-none-any.whl", []Install{local("pip", "dist/tool-1.0-py3-none-any.whl")}, ""},
		{"git source", "pip install git+https://github.com/x/y.git@main", []Install{byName("pip", "git+https://github.com/x/y.git@main")}, "unpinned source"},
		{"url wheel", "pip install https://example.org/x-1.0-py3-none-any.whl", []Install{byName("pip", "https://example.org/x-1.0-py3-none-any.whl")}, "a URL is not the repository's code"},
		{"editable vcs", "pip install -e git+https://github.com/x/y#egg=y", []Install{byName("pip", "git+https://github.com/x/y#egg=y")}, ""},
		{"constraints", "pip install -c constraints.txt pandas", []Install{byName("pip", "pandas")}, "-c takes a file"},
		{"target", "pip install --target /opt/lib x", []Install{withTarget(byName("pip", "x"), "/opt/lib")}, ""},
		{"pip global option", "pip --no-cache-dir install x", []Install{byName("pip", "x")}, ""},
		{"pip download", "pip download numpy", nil, ""},
		{"pip freeze", "pip freeze > requirements.txt", nil, ""},
		{"pip wheel", "pip wheel -w dist .", nil, ""},
		{"pip no requirement", "pip install", nil, "pip refuses to run"},
		{"empty requirement file", `00""00&pip install -r ""`, nil, "found by FuzzScanScript: an empty path names no file"},
		{"empty editable", `pip install -e '' x`, []Install{byName("pip", "x")}, ""},
		{"python -c", `python -c "import pip"`, nil, ""},
		// uv
		{"uv pip install", "uv pip install --system numpy", []Install{byName("uv", "numpy")}, ""},
		{"uv pip hashes", "uv pip install -r requirements.txt --require-hashes", []Install{fromLock("uv", "requirements.txt")}, ""},
		{"uv pip sync", "uv pip sync requirements.txt", []Install{fromLock("uv", "requirements.txt")}, ""},
		{"uv sync frozen", "uv sync --frozen", []Install{fromLock("uv", "uv.lock")}, ""},
		{"uv sync", "uv sync", []Install{fromFile("uv", "uv.lock")}, "re-locks when the lock is stale"},
		{"uv sync directory", "uv sync --locked --directory app", []Install{fromLock("uv", "app/uv.lock")}, ""},
		{"uv add", "uv add requests", []Install{byName("uv", "requests")}, ""},
		{"uv tool install", "uv tool install ruff", []Install{byName("uv", "ruff")}, ""},
		{"python -m uv", "python3.11 -m uv pip install x", []Install{byName("uv", "x")}, ""},
		{"uv lock", "uv lock", nil, ""},
		// pixi, conda-lock
		{"pixi frozen", "pixi install --frozen", []Install{fromLock("pixi", "pixi.lock")}, ""},
		{"pixi manifest", "pixi install --manifest-path /srv/pixi.toml --locked -e prod", []Install{withTarget(fromLock("pixi", "/srv/pixi.lock"), "prod")}, ""},
		{"pixi install", "pixi install", []Install{fromFile("pixi", "pixi.lock")}, ""},
		{"pixi add", "pixi add python", []Install{byName("pixi", "python")}, ""},
		{"pixi global", "pixi global install git", []Install{byName("pixi", "git")}, ""},
		{"pixi run", "pixi run test", nil, ""},
		{"conda-lock install", "conda-lock install -n base conda-lock.yml", []Install{withTarget(fromLock("conda-lock", "conda-lock.yml"), "base")}, ""},
		{"conda-lock default", "conda-lock install --prefix /opt/env", []Install{withTarget(fromLock("conda-lock", "conda-lock.yml"), "/opt/env")}, ""},
		{"conda-lock lock", "conda-lock lock -f environment.yml -p linux-64", nil, ""},
		// wrappers
		{"sudo", "sudo -u jovyan -E mamba install -y pkg", []Install{byName("mamba", "pkg")}, ""},
		{"env", "env PIP_NO_CACHE_DIR=1 pip install requests", []Install{byName("pip", "requests")}, ""},
		{"assignments", "A=b B=c pip install x", []Install{byName("pip", "x")}, ""},
		{"time", "time -p pip install x", []Install{byName("pip", "x")}, ""},
		{"timeout", "timeout 600 pip install x", []Install{byName("pip", "x")}, "600 is the duration"},
		{"nice", "nice -n 10 pip install x", []Install{byName("pip", "x")}, ""},
		{"conda run", "conda run -n myenv pip install x", []Install{withTarget(byName("pip", "x"), "myenv")}, ""},
		{"micromamba run python -m pip", "micromamba run -p /opt/env python -m pip install x", []Install{withTarget(byName("pip", "x"), "/opt/env")}, ""},
		{"xargs", "cat requirements.txt | xargs pip install", []Install{byName("pip")}, "names come from standard input"},
		{"bash -c", `bash -c "pip install x"`, []Install{byName("pip", "x")}, ""},
		{"sh -ec", "sh -ec 'mamba install -y y'", []Install{byName("mamba", "y")}, ""},
		{"bash -o pipefail -c", `/bin/bash -o pipefail -c "pip install z"`, []Install{byName("pip", "z")}, "-o takes pipefail"},
		{"su -c", `su jovyan -c "pip install z"`, []Install{byName("pip", "z")}, ""},
		{"eval", `eval "pip install e"`, []Install{byName("pip", "e")}, ""},
		{"command -v", "command -v pip", nil, "only looks pip up"},
		// shell structure
		{"chain", "pip install a && pip install b || mamba install c; pip install d | tee log",
			[]Install{byName("pip", "a"), byName("pip", "b"), byName("mamba", "c"), byName("pip", "d")}, ""},
		{"if", "if true; then pip install a; fi", []Install{byName("pip", "a")}, ""},
		{"for loop", `for p in a b; do pip install "$p"; done`, []Install{byName("pip", "$p")}, ""},
		{"subshell", "(cd /tmp && pip install s)", []Install{byName("pip", "s")}, ""},
		{"echo", `echo "pip install x"`, nil, "an argument, not a command"},
		{"comment", "# pip install commented", nil, ""},
		{"continuation", "pip install x \\\n  y", []Install{byName("pip", "x", "y")}, ""},
		{"bash heredoc", "bash <<EOF\npip install inheredoc\nEOF\n", []Install{byName("pip", "inheredoc")}, ""},
		{"cat heredoc", "cat <<EOF > /tmp/x\npip install notrun\nEOF\npip install after", []Install{byName("pip", "after")}, "the body is data"},
		{"python heredoc", "python <<'EOF'\nimport subprocess\nEOF\n", nil, ""},
		{"here-string", `bash <<< "pip install hs"`, []Install{byName("pip", "hs")}, ""},
		{"substitution argument", `pip install "$(cat names.txt)"`, []Install{byName("pip", "$(cat names.txt)")}, ""},
		{"apostrophe in a substitution's here-document", "X=$(cat <<EOF\nit's\nEOF\n)\npip install after", []Install{byName("pip", "after")}, "not an unterminated quote"},
		{"function", "install_deps() {\n  pip install fn\n}\ninstall_deps", []Install{byName("pip", "fn")}, "a function body runs when it is called"},
		{"function keyword", "function setup { mamba install -y fk; }", []Install{byName("mamba", "fk")}, ""},
		{"pipeline", "curl -sL https://x.example/names | grep -v '#' | xargs -r pip install", []Install{byName("pip")}, "names come from standard input"},
		{"nested subshells", "( (cd a && (pip install n1)) ; pip install n2 )", []Install{byName("pip", "n1"), byName("pip", "n2")}, ""},
		{"(( opening two subshells", "((cd a && pip install ds1) | cat) && ((pip install ds2))", []Install{byName("pip", "ds1"), byName("pip", "ds2")}, "bash reads (( as arithmetic only when )) closes it; dash never"},
		{"(( that is arithmetic", "((i = 1 + 2)) && pip install ar", []Install{byName("pip", "ar")}, ""},
		{"bash -c with a chain", `bash -c 'cd /srv && pip install bc1 && mamba install -y bc2'`, []Install{byName("pip", "bc1"), byName("mamba", "bc2")}, "the inner script is parsed"},
		{"bash -c with inner quotes", `bash -lc "pip install 'a b' \"c\""`, []Install{byName("pip", "a b", "c")}, "quotes inside the -c string are the inner shell's"},
		{"bash -c in bash -c", `bash -c "sh -c 'pip install deep'"`, []Install{byName("pip", "deep")}, ""},
		{"case", "case $X in\n  gpu) pip install g ;;\n  *) pip install c ;;\nesac", []Install{byName("pip", "g"), byName("pip", "c")}, "patterns are not commands"},
		{"while read", "while read -r p; do pip install \"$p\"; done < names.txt", []Install{byName("pip", "$p")}, ""},
		{"negation and background", "! pip install neg & pip install bg", []Install{byName("pip", "neg"), byName("pip", "bg")}, ""},
		{"escaped operators", `echo a \&\& pip install not-a-command`, nil, "escaped && is an argument"},
		{"quoted operators", `echo "a && pip install x; b" 'c | pip install y'`, nil, ""},
		{"ANSI-C quoting", `bash -c $'pip install ansi\tx' && pip install $'it\'s'`, []Install{byName("pip", "ansi", "x"), byName("pip", "it's")}, "$'…' is decoded: \\t is a tab, \\' a quote"},
		{"comment in a substitution", "X=$( # don't ) stop here\necho a )\npip install after", []Install{byName("pip", "after")}, "the ) in the comment does not close it"},
		{"install in a substitution", "V=$(pip install sub1 && echo ok) echo `mamba install -y sub2`", []Install{byName("pip", "sub1"), byName("mamba", "sub2")}, "substitutions run"},
		{"process substitution", "diff <(pip install ps) /dev/null", []Install{byName("pip", "ps")}, ""},
		{"condition and time", "if pip install c1; then time pip install c2; elif [[ -n $X ]] && pip install c3; then :; fi", []Install{byName("pip", "c1"), byName("pip", "c2"), byName("pip", "c3")}, ""},
		{"semicolons and or", "pip install s1;pip install s2||mamba install -y s3", []Install{byName("pip", "s1"), byName("pip", "s2"), byName("mamba", "s3")}, ""},
		{"mixed quoting in one word", `pip install 'a'"b"c\ d`, []Install{byName("pip", "abc d")}, ""},
		{"escapes inside double quotes", `pip install "x\$y\\\"\z"`, []Install{byName("pip", `x$y\"\z`)}, "only \\$, \\`, \\\", \\\\ are escapes there"},
		{"assignment prefix", "PIP_NO_CACHE_DIR=1 A+=x pip install ap", []Install{byName("pip", "ap")}, ""},
		{"two here-documents on a line", "bash <<A; bash <<-'B'\npip install h1\nA\n\tpip install h2\n\tB\n", []Install{byName("pip", "h1"), byName("pip", "h2")}, "bodies follow the line in order"},
		{"here-document to the end", "bash <<EOF\npip install noend", []Install{byName("pip", "noend")}, "bash reads a body without its delimiter to the end"},
		{"arithmetic", "for ((i = 0; i < $((N + 1)); i++)); do pip install \"p$i\"; done", []Install{byName("pip", "p$i")}, ""},
		{"function in a subshell", "(f() { pip install fs; }; f)", []Install{byName("pip", "fs")}, ""},
		{"builtin", "builtin command pip install bi", []Install{byName("pip", "bi")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ScanScript("postBuild", []byte(tt.script))
			if err != nil {
				t.Fatalf("ScanScript: %v", err)
			}
			if g := facts(got); !reflect.DeepEqual(g, tt.want) {
				t.Errorf("%s\n got  %+v\n want %+v (%s)", tt.script, g, tt.want, tt.reason)
			}
		})
	}
}

func TestScriptLocations(t *testing.T) {
	script := "#!/bin/bash\nset -euo pipefail\n\nmamba install -y \\\n    numpy \\\n    pandas\npip install --no-deps \\\n  -e .\n"
	got, err := ScanScript("binder/postBuild", []byte(script))
	if err != nil {
		t.Fatal(err)
	}
	want := []Install{
		{Path: "binder/postBuild", Line: 4, EndLine: 6, Tool: "mamba", Command: "mamba install -y numpy pandas", Kind: ByName, Packages: []string{"numpy", "pandas"}},
		{Path: "binder/postBuild", Line: 7, EndLine: 8, Tool: "pip", Command: "pip install --no-deps -e .", Kind: Local, File: ".", NoDeps: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestScriptInterpreters(t *testing.T) {
	tests := []struct {
		name, script string
		installs     int
	}{
		{"no shebang runs in sh", "pip install x\n", 1},
		{"bash", "#!/bin/bash\npip install x\n", 1},
		{"env bash", "#!/usr/bin/env bash\npip install x\n", 1},
		{"env -S bash", "#!/usr/bin/env -S bash -e\npip install x\n", 1},
		{"sh with flags", "#!/bin/sh -e\npip install x\n", 1},
		{"python", "#!/usr/bin/env python3\nimport os\nos.system('pip install x')\n", 0},
		{"R", "#!/usr/bin/env Rscript\ninstall.packages('x')\n", 0},
		{"python path", "#!/opt/conda/bin/python\npip install x\n", 0},
	}
	for _, tt := range tests {
		got, err := ScanScript("start", []byte(tt.script))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(got) != tt.installs {
			t.Errorf("%s: %d installs, want %d", tt.name, len(got), tt.installs)
		}
	}
}

func TestScriptErrors(t *testing.T) {
	tests := []struct {
		name, script string
		line         int
		msg          string
	}{
		{"single quote", "echo ok\npip install 'x\n", 2, "unterminated single quote"},
		{"double quote", "echo ok\n\necho \"oops\n", 3, "unterminated double quote"},
		{"substitution", "x=$(echo a\n", 1, "unterminated $( … )"},
		{"parameter", "echo ok\necho ${x", 2, "unterminated ${ … }"},
		{"subshell", "echo ok\n(cd a\n", 2, "unterminated ( … )"},
		{"if without fi", "if true; then\n  pip install x\n", 1, "`if` statement must end with `fi`"},
		{"stray fi", "echo\nfi\n", 2, "`fi` can only be used to end an `if`"},
		{"backquote", "echo `date\n", 1, "unterminated ` … `"},
		{"(( that is neither", "echo ok\n((cd a | )\n", 2, "not a valid arithmetic operator: `a`"},
		{"NUL byte", "echo a\necho \x00\n", 2, "binary data: the file contains a NUL byte"},
		{"not UTF-8", "echo a\n\xff\xfe\n", 2, "the file is not UTF-8 text"},
	}
	for _, tt := range tests {
		_, err := ScanScript("postBuild", []byte(tt.script))
		pe, ok := err.(*ParseError)
		if !ok {
			t.Errorf("%s: error %v, want a *ParseError", tt.name, err)
			continue
		}
		if pe.Line != tt.line || pe.Msg != tt.msg || pe.Path != "postBuild" {
			t.Errorf("%s: got %q at line %d, want %q at line %d", tt.name, pe.Msg, pe.Line, tt.msg, tt.line)
		}
	}
}

func TestScriptFixtures(t *testing.T) {
	tests := []struct {
		file string
		want []Install
	}{
		{"scripts/postBuild", []Install{
			{Line: 8, EndLine: 8, Tool: "pip", Kind: Local, File: ".", NoDeps: true, Command: "python -m pip install --no-deps --no-build-isolation -e ."},
			{Line: 11, EndLine: 13, Tool: "mamba", Kind: ByName, Packages: []string{"nodejs>=20", "git-lfs"}, Command: "mamba install --yes -c conda-forge 'nodejs>=20' git-lfs"},
			{Line: 22, EndLine: 22, Tool: "pip", Kind: FromFile, File: "requirements-extra.txt", Command: "pip install -r requirements-extra.txt"},
		}},
		{"scripts/start", []Install{
			{Line: 5, EndLine: 5, Tool: "pip", Kind: ByName, Packages: []string{"git+https://github.com/org/course-tools@main"}, Target: "notebook",
				Command: `micromamba run -n notebook pip install --quiet --user "git+https://github.com/org/course-tools@main"`},
		}},
		{"scripts/postBuild.py", nil},
	}
	for _, tt := range tests {
		got, err := ScanScript(tt.file, readFixture(t, tt.file))
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		for i := range tt.want {
			tt.want[i].Path = tt.file
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s\n got  %+v\n want %+v", tt.file, got, tt.want)
		}
	}
}
