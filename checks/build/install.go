package build

import (
	"path"
	"regexp"
	"strings"
)

// InstallKind says how a command installs packages.
type InstallKind string

const (
	// ByName installs the packages named on the command line, solved when the image builds:
	// mamba/conda/micromamba install|create|update pkg…, pip/uv pip install pkg… (URLs and
	// git+https:// sources included), uv add, uv tool install, pixi add, pixi global install.
	ByName InstallKind = "by-name"
	// FromLock certainly installs from a lock: conda-lock install, pixi install
	// --frozen|--locked, uv sync --frozen|--locked, pip/uv pip install --require-hashes -r F,
	// uv pip sync F.
	FromLock InstallKind = "from-lock"
	// FromFile installs from a named file whose content decides whether it is a lock:
	// mamba/conda env create|update [-f F] (F defaults to environment.yml), install|create
	// --file F, pip install -r F, pixi install and uv sync without --frozen or --locked
	// (File is the lock they read, which they re-solve when it is stale).
	FromFile InstallKind = "from-file"
	// Local installs the repository's own code: pip install ., ./path, a wheel path, or an
	// editable directory (-e ., -e ${REPO_DIR}).
	Local InstallKind = "local"
)

// Install is one package-installing command found in a build file. A command that installs
// from several files, or from files and by name, yields one Install for each file and one
// ByName Install for the named packages.
type Install struct {
	Path    string // the file it was found in
	Line    int    // the instruction's first line in a Dockerfile (the RUN line); the command's line in a script
	EndLine int    // the instruction's (or command's) last line
	// Tool is "mamba", "conda", "micromamba", "pip", "uv", "pixi" or "conda-lock". Wrappers
	// are seen through: python -m pip is "pip", ${MAMBA_EXE} is "mamba", uv pip is "uv".
	Tool    string
	Command string // the simple command as one line, continuations joined, quotes kept, at most 200 characters
	Kind    InstallKind
	// Packages are, for ByName, the requested specs without quotes ("sqlite>=3.39.0",
	// "pandas", "git+https://…"). Empty when xargs supplies them from standard input, or for
	// an update of everything (conda update --all).
	Packages []string
	// File is, for FromFile and FromLock, the file argument as written with quotes removed
	// ("conda-linux-64.lock", "${HOME}/env.yml"); for Local, the path installed.
	File   string
	NoDeps bool // --no-deps: dependencies are not installed
	// Target is where packages go, as written: conda/mamba/micromamba/conda-lock -n or -p
	// (--prefix), the environment of an enclosing `conda run -n`, pip --target or --prefix,
	// pixi -e. Empty for the active environment.
	Target string
}

var pipName = regexp.MustCompile(`^pip[0-9]+(\.[0-9]+)?$`)

// toolOf names the package tool a program is, or "" for any other program.
func toolOf(program string) string {
	switch {
	case program == "pip" || pipName.MatchString(program):
		return "pip"
	case program == "conda-lock" || program == "conda_lock":
		return "conda-lock"
	case condaTools[program] || program == "uv" || program == "pixi":
		return program
	}
	return ""
}

// installer collects the Installs of one invocation.
type installer struct {
	tool      string
	target    string
	fromStdin bool
	noDeps    bool
	out       []Install
}

// add records an Install. A file argument that is empty (pip install -r "") names nothing
// to install, and is skipped.
func (r *installer) add(kind InstallKind, file string, packages []string) {
	if kind != ByName && file == "" {
		return
	}
	r.out = append(r.out, Install{Tool: r.tool, Kind: kind, File: file, Packages: packages, NoDeps: r.noDeps, Target: r.target})
}

// byName adds a ByName Install when there are packages, or when xargs supplies them.
func (r *installer) byName(packages []string) {
	if len(packages) > 0 || r.fromStdin {
		r.add(ByName, "", packages)
	}
}

// installsOf returns what an invocation installs. Path, Line, EndLine and Command are left
// for the caller, which knows where the command came from.
func installsOf(inv invocation) []Install {
	if len(inv.argv) == 0 {
		return nil
	}
	r := &installer{tool: toolOf(programName(inv.argv[0].val)), target: inv.target, fromStdin: inv.fromStdin}
	args := inv.argv[1:]
	switch r.tool {
	case "conda", "mamba", "micromamba":
		r.conda(args)
	case "pip":
		r.pip(args)
	case "uv":
		r.uv(args)
	case "pixi":
		r.pixi(args)
	case "conda-lock":
		r.condaLock(args)
	}
	return r.out
}

var (
	condaInstallOptions = merge(condaGlobalOptions, table(
		[]string{"--name", "-n"}, []string{"--prefix", "-p"}, []string{"--channel", "-c"},
		[]string{"--file", "-f"}, []string{"--repodata-fn"}, []string{"--channel-alias"},
		[]string{"--platform"}, []string{"--subdir"}, []string{"--solver"}, []string{"--clone"},
		[]string{"--channel-priority"}, []string{"--category"}, []string{"--revision"},
		[]string{"--pkgs-dirs"}, []string{"--relocate-prefix"}))
	pipGlobalOptions = table([]string{"--log"}, []string{"--log-file"}, []string{"--local-log"},
		[]string{"--proxy"}, []string{"--retries"}, []string{"--timeout"}, []string{"--exists-action"},
		[]string{"--trusted-host"}, []string{"--cert"}, []string{"--client-cert"}, []string{"--cache-dir"},
		[]string{"--python"}, []string{"--use-feature"}, []string{"--use-deprecated"},
		[]string{"--keyring-provider"})
	uvGlobalOptions = table([]string{"--directory"}, []string{"--project"}, []string{"--cache-dir"},
		[]string{"--config-file"}, []string{"--color"}, []string{"--allow-insecure-host"},
		[]string{"--python-preference"})
	indexOptions = table([]string{"--index-url", "-i"}, []string{"--extra-index-url"},
		[]string{"--find-links", "-f"}, []string{"--index"}, []string{"--default-index"},
		[]string{"--index-strategy"}, []string{"--keyring-provider"}, []string{"--python", "-p"},
		[]string{"--python-version"}, []string{"--python-platform"}, []string{"--platform"},
		[]string{"--resolution"}, []string{"--prerelease"}, []string{"--exclude-newer"},
		[]string{"--link-mode"}, []string{"--config-settings", "-C", "--config-setting"},
		[]string{"--no-binary"}, []string{"--only-binary"}, []string{"--no-build-package"},
		[]string{"--no-binary-package"}, []string{"--reinstall-package"},
		[]string{"--upgrade-package", "-P"}, []string{"--refresh-package"}, []string{"--torch-backend"},
		[]string{"--trusted-host"})
	pipInstallOptions = merge(pipGlobalOptions, uvGlobalOptions, indexOptions, table(
		[]string{"--requirement", "-r", "--requirements"}, []string{"--constraint", "-c", "--constraints"},
		[]string{"--overrides"}, []string{"--editable", "-e"}, []string{"--target", "-t"},
		[]string{"--prefix"}, []string{"--root"}, []string{"--src"}, []string{"--upgrade-strategy"},
		[]string{"--implementation"}, []string{"--abi"}, []string{"--progress-bar"},
		[]string{"--root-user-action"}, []string{"--report"}, []string{"--global-option"},
		[]string{"--install-option"}, []string{"--build-option"}, []string{"--group"},
		[]string{"--extra"}, []string{"--build-constraint", "-b"}))
	uvSyncOptions = merge(uvGlobalOptions, indexOptions, table(
		[]string{"--extra"}, []string{"--group"}, []string{"--only-group"}, []string{"--no-group"},
		[]string{"--package"}, []string{"--no-install-package"}, []string{"--script"},
		[]string{"--output-format"}, []string{"--no-extra"}))
	uvAddOptions = merge(uvGlobalOptions, indexOptions, table(
		[]string{"--requirements", "-r"}, []string{"--constraints", "-c"}, []string{"--group"},
		[]string{"--optional"}, []string{"--extra"}, []string{"--package"}, []string{"--rev"},
		[]string{"--tag"}, []string{"--branch"}, []string{"--bounds"}, []string{"--marker", "-m"},
		[]string{"--script"}, []string{"--with"}, []string{"--with-requirements"},
		[]string{"--with-editable"}, []string{"--from"}))
	pixiOptions = table([]string{"--environment", "-e"}, []string{"--manifest-path", "-m"},
		[]string{"--color"}, []string{"--concurrent-solves"}, []string{"--concurrent-downloads"},
		[]string{"--feature", "-f"}, []string{"--platform", "-p"}, []string{"--channel", "-c"},
		[]string{"--expose"}, []string{"--with"}, []string{"--branch"}, []string{"--tag"},
		[]string{"--rev"}, []string{"--git", "-g"}, []string{"--subdir"})
	condaLockInstallOptions = table([]string{"--name", "-n"}, []string{"--prefix", "-p"},
		[]string{"--conda"}, []string{"--extras", "-E"}, []string{"--auth"}, []string{"--auth-file"},
		[]string{"--log-level"})
)

// conda reads conda, mamba and micromamba command lines.
func (r *installer) conda(args []word) {
	rest := parseOptions(args, condaGlobalOptions, true).rest
	if len(rest) == 0 {
		return
	}
	sub, args := rest[0].val, rest[1:]
	env := false
	if sub == "env" {
		if len(args) == 0 {
			return
		}
		env, sub, args = true, args[0].val, args[1:]
	}
	o := parseOptions(args, condaInstallOptions, false)
	r.target = firstOf(o.value("name"), o.value("prefix"), r.target)
	r.noDeps = o.has("--no-deps")
	switch {
	case env && (sub == "create" || sub == "update"):
		files := o.values["file"]
		if len(files) == 0 {
			r.add(FromFile, "environment.yml", nil)
		}
		for _, f := range files {
			r.add(FromFile, f.val, nil)
		}
	case !env && (sub == "install" || sub == "create" || sub == "update" || sub == "upgrade"):
		if o.value("clone") != "" || o.value("revision") != "" {
			return // copies an environment, or rolls one back
		}
		for _, f := range o.values["file"] {
			r.add(FromFile, f.val, nil)
		}
		pkgs := values(o.operands)
		if len(pkgs) == 0 && o.has("--all", "--update-all") {
			r.add(ByName, "", nil)
			return
		}
		r.byName(pkgs)
	}
}

// pip reads pip command lines.
func (r *installer) pip(args []word) {
	rest := parseOptions(args, pipGlobalOptions, true).rest
	if len(rest) > 0 && rest[0].val == "install" {
		r.pipInstall(rest[1:])
	}
}

// pipInstall reads the arguments of pip install and uv pip install.
func (r *installer) pipInstall(args []word) {
	o := parseOptions(args, pipInstallOptions, false)
	r.target = firstOf(o.value("target"), o.value("prefix"), r.target)
	r.noDeps = o.has("--no-deps")
	kind := FromFile
	if o.has("--require-hashes") {
		kind = FromLock
	}
	for _, f := range o.values["requirement"] {
		r.add(kind, f.val, nil)
	}
	var named []string
	for _, w := range o.values["editable"] {
		if isVCS(w.val) {
			named = append(named, w.val)
		} else {
			r.add(Local, w.val, nil)
		}
	}
	for _, w := range o.operands {
		if isLocalPath(w.val) {
			r.add(Local, w.val, nil)
		} else {
			named = append(named, w.val)
		}
	}
	if len(r.out) == 0 || len(named) > 0 {
		r.byName(named)
	}
}

// uv reads uv command lines.
func (r *installer) uv(args []word) {
	rest := parseOptions(args, uvGlobalOptions, true).rest
	if len(rest) == 0 {
		return
	}
	sub, args := rest[0].val, rest[1:]
	switch sub {
	case "pip":
		if len(args) == 0 {
			return
		}
		switch args[0].val {
		case "install":
			r.pipInstall(args[1:])
		case "sync":
			for _, f := range parseOptions(args[1:], pipInstallOptions, false).operands {
				r.add(FromLock, f.val, nil)
			}
		}
	case "sync":
		o := parseOptions(args, uvSyncOptions, false)
		dir := firstOf(o.value("directory"), o.value("project"))
		kind := FromFile
		if o.has("--frozen", "--locked") {
			kind = FromLock
		}
		r.noDeps = o.has("--no-deps")
		r.add(kind, joinPath(dir, "uv.lock"), nil)
	case "add":
		o := parseOptions(args, uvAddOptions, false)
		for _, f := range o.values["requirements"] {
			r.add(FromFile, f.val, nil)
		}
		r.byName(values(o.operands))
	case "tool":
		if len(args) > 0 && args[0].val == "install" {
			r.byName(values(parseOptions(args[1:], uvAddOptions, false).operands))
		}
	}
}

// pixi reads pixi command lines.
func (r *installer) pixi(args []word) {
	if len(args) == 0 {
		return
	}
	sub, args := args[0].val, args[1:]
	if sub == "global" {
		if len(args) == 0 || args[0].val != "install" {
			return
		}
		r.byName(values(parseOptions(args[1:], pixiOptions, false).operands))
		return
	}
	o := parseOptions(args, pixiOptions, false)
	switch sub {
	case "install", "i":
		r.target = o.value("environment")
		kind := FromFile
		if o.has("--frozen", "--locked") {
			kind = FromLock
		}
		dir := ""
		if m := o.value("manifest-path"); m != "" {
			dir = m
			if strings.HasSuffix(m, ".toml") {
				dir = path.Dir(m)
			}
		}
		r.add(kind, joinPath(dir, "pixi.lock"), nil)
	case "add", "a":
		r.byName(values(o.operands))
	}
}

// condaLock reads conda-lock command lines.
func (r *installer) condaLock(args []word) {
	if len(args) == 0 || args[0].val != "install" {
		return
	}
	o := parseOptions(args[1:], condaLockInstallOptions, false)
	r.target = firstOf(o.value("name"), o.value("prefix"))
	file := "conda-lock.yml"
	if len(o.operands) > 0 {
		file = o.operands[0].val
	}
	r.add(FromLock, file, nil)
}

// isLocalPath reports whether a pip argument is a path on disk rather than a requirement:
// ".", "./x", "../x", "/x", "~/x", ".[extra]", "file:…", a path built from a variable
// ("$HOME/pkg"), or a wheel or sdist file.
func isLocalPath(v string) bool {
	switch {
	case v == "." || v == "..":
		return true
	case strings.HasPrefix(v, "./"), strings.HasPrefix(v, "../"), strings.HasPrefix(v, "/"),
		strings.HasPrefix(v, "~"), strings.HasPrefix(v, ".["), strings.HasPrefix(v, "file:"):
		return true
	case strings.Contains(v, "://") || strings.Contains(v, "@"):
		return false
	case strings.HasPrefix(v, "$") && strings.Contains(v, "/"):
		return true
	}
	for _, ext := range []string{".whl", ".tar.gz", ".zip", ".tar.bz2"} {
		if strings.HasSuffix(v, ext) {
			return true
		}
	}
	return false
}

// isVCS reports whether an editable requirement is a version-control URL (git+https://…)
// rather than a directory.
func isVCS(v string) bool {
	return strings.Contains(v, "://") || strings.HasPrefix(v, "git+") || strings.HasPrefix(v, "hg+") ||
		strings.HasPrefix(v, "svn+") || strings.HasPrefix(v, "bzr+")
}

func values(ws []word) []string {
	var out []string
	for _, w := range ws {
		if w.val != "" {
			out = append(out, w.val)
		}
	}
	return out
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// joinPath joins a directory as written and a file name, keeping variables intact.
func joinPath(dir, file string) string {
	if dir == "" || dir == "." {
		return file
	}
	return strings.TrimSuffix(dir, "/") + "/" + file
}
