package build

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// This file finds the program a shell command really runs: it skips variable
// assignments, sees through wrappers (sudo, env, time, nice, timeout, xargs, gosu,
// su -c, conda run, python -m, …), and follows shells into the scripts they are given
// (sh -c '…', bash <<EOF, eval). Nesting is followed to maxNesting levels.

const maxNesting = 8

// invocation is a command with its wrappers seen through.
type invocation struct {
	argv      []word // the program and its arguments
	all       []word // every word of the simple command as written
	stdin     []stdinText
	line      int // first line of the simple command
	endLine   int // last line of the simple command
	pos       int // offset of the simple command in the outermost text walked
	target    string
	fromStdin bool // xargs appends arguments read from standard input
}

// walker visits every invocation in shell text.
type walker struct {
	visit func(invocation)
	sh    *shellParsers // reused across the scripts of a scan; allocated when nil
	// expressions: the text is a workflow's run: script, whose ${{ … }} expressions
	// GitHub replaces before the shell reads it.
	expressions bool
	refused     *shellError // nested text over the budget
	sinks       [maxNesting + 1]levelSink
}

// script walks shell text whose first line is firstLine. pos, when not negative, is the
// offset reported for every command (the enclosing word of nested text). Text nested in
// it that is too large or too deeply nested to check fails the walk too, once the rest has
// been walked.
func (w *walker) script(src string, firstLine, depth, pos int) error {
	if w.sh == nil {
		w.sh = new(shellParsers)
	}
	sink := &w.sinks[depth]
	*sink = levelSink{w: w, depth: depth, pos: pos}
	err := w.sh[depth].split(src, firstLine, w.expressions, sink)
	if se, ok := err.(*shellError); ok && pos >= 0 {
		se.pos = pos
	}
	if err == nil && depth == 0 && w.refused != nil {
		return w.refused
	}
	return err
}

// levelSink invokes the commands of one level of a walk.
type levelSink struct {
	w          *walker
	depth, pos int
}

func (s *levelSink) command(c simpleCommand) {
	inv := invocation{argv: c.words, all: c.words, stdin: c.stdin, line: c.line, endLine: c.endLine, pos: s.pos}
	if s.pos < 0 && len(c.words) > 0 {
		inv.pos = c.words[0].pos
	}
	s.w.invoke(inv, s.depth)
}

// nested walks text a command hands to a shell. Syntax errors there are the inner shell's
// to report when the build runs, so they only end the walk of that text; text too large
// or too deeply nested to check is remembered for script to report.
func (w *walker) nested(src string, firstLine int, inv invocation, depth int) {
	if depth >= maxNesting {
		return
	}
	err := w.script(src, firstLine, depth+1, inv.pos)
	if se, ok := err.(*shellError); ok && se.limit && w.refused == nil {
		w.refused = se
	}
}

var assignment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=`)

var (
	sudoOptions = table([]string{"--user", "-u"}, []string{"--group", "-g"}, []string{"--host", "-h"},
		[]string{"--prompt", "-p"}, []string{"--other-user", "-U"}, []string{"--close-from", "-C"},
		[]string{"--chdir", "-D"}, []string{"--role", "-r"}, []string{"--type", "-t"},
		[]string{"--command-timeout", "-T"}, []string{"--chroot", "-R"})
	envOptions     = table([]string{"--unset", "-u"}, []string{"--chdir", "-C"}, []string{"--split-string", "-S"})
	timeOptions    = table([]string{"--format", "-f"}, []string{"--output", "-o"})
	niceOptions    = table([]string{"--adjustment", "-n"}, []string{"--class", "-c"}, []string{"--classdata"})
	stdbufOptions  = table([]string{"--input", "-i"}, []string{"--output", "-o"}, []string{"--error", "-e"})
	timeoutOptions = table([]string{"--signal", "-s"}, []string{"--kill-after", "-k"})
	execOptions    = table([]string{"-a"})
	xargsOptions   = table([]string{"--arg-file", "-a"}, []string{"--delimiter", "-d"}, []string{"--eof", "-E"},
		[]string{"--replace", "-I"}, []string{"--max-lines", "-L"}, []string{"--max-args", "-n"},
		[]string{"--max-procs", "-P"}, []string{"--max-chars", "-s"}, []string{"--process-slot-var"})
	suOptions = table([]string{"--command", "-c"}, []string{"--shell", "-s"}, []string{"--group", "-g"},
		[]string{"--supp-group", "-G"}, []string{"--whitelist-environment", "-w"}, []string{"--user", "-u"})
	condaRunOptions = table([]string{"--name", "-n"}, []string{"--prefix", "-p"}, []string{"--cwd"},
		[]string{"--attach", "-a"}, []string{"--root-prefix", "-r"}, []string{"--rc-file"}, []string{"--log-level"})
	condaGlobalOptions = table([]string{"--root-prefix", "-r"}, []string{"--rc-file"}, []string{"--log-level"})
)

var shells = map[string]bool{"sh": true, "bash": true, "dash": true, "zsh": true, "ksh": true, "ash": true, "mksh": true}

// invoke sees through wrappers and visits the program that runs.
func (w *walker) invoke(inv invocation, depth int) {
	argv := inv.argv
	for steps := 0; steps <= len(inv.argv); steps++ {
		for len(argv) > 0 && assignment.MatchString(argv[0].val) {
			argv = argv[1:]
		}
		if len(argv) == 0 {
			return
		}
		args := argv[1:]
		switch name := programName(argv[0].val); {
		case name == "sudo":
			argv = parseOptions(args, sudoOptions, true).rest
		case name == "env":
			argv = parseOptions(args, envOptions, true).rest
		case name == "time":
			argv = parseOptions(args, timeOptions, true).rest
		case name == "nohup" || name == "builtin":
			argv = args
		case name == "nice" || name == "ionice":
			argv = parseOptions(args, niceOptions, true).rest
		case name == "stdbuf":
			argv = parseOptions(args, stdbufOptions, true).rest
		case name == "timeout":
			rest := parseOptions(args, timeoutOptions, true).rest
			if len(rest) == 0 {
				return
			}
			argv = rest[1:]
		case name == "exec":
			argv = parseOptions(args, execOptions, true).rest
		case name == "command":
			o := parseOptions(args, nil, true)
			if o.has("-v", "-V") {
				return
			}
			argv = o.rest
		case name == "xargs":
			argv = parseOptions(args, xargsOptions, true).rest
			inv.fromStdin = true
		case name == "gosu" || name == "su-exec":
			if len(args) == 0 {
				return
			}
			argv = args[1:]
		case name == "runuser" && parseOptions(args, suOptions, true).value("user") != "":
			argv = parseOptions(args, suOptions, true).rest // runuser -u USER [--] command…
		case name == "su" || name == "runuser":
			if o := parseOptions(args, suOptions, false); o.value("command") != "" {
				w.nested(o.value("command"), o.values["command"][0].line, inv, depth)
			}
			return
		case name == "eval":
			var b strings.Builder
			for i, a := range args {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(a.val)
			}
			if len(args) > 0 {
				w.nested(b.String(), args[0].line, inv, depth)
			}
			return
		case shells[name] || (name == "busybox" && len(args) > 0 && shells[args[0].val]):
			if name == "busybox" {
				args = args[1:]
			}
			w.shell(args, inv, depth)
			return
		case name == "python" || pythonName.MatchString(name):
			rest, ok := pythonModule(args)
			if !ok {
				return
			}
			argv = rest
		case condaTools[name] && condaSubcommand(args) == "run":
			o := parseOptions(args, condaGlobalOptions, true)
			run := parseOptions(o.rest[1:], condaRunOptions, true)
			if t := run.value("name"); t != "" {
				inv.target = t
			} else if t := run.value("prefix"); t != "" {
				inv.target = t
			}
			argv = run.rest
		default:
			inv.argv = argv
			w.visit(inv)
			return
		}
	}
}

// shell follows a shell's arguments into the script it runs: the -c string, or standard
// input (here-documents and here-strings) when no script file is named.
func (w *walker) shell(args []word, inv invocation, depth int) {
	command := false
	i := 0
	for ; i < len(args); i++ {
		v := args[i].val
		if v == "--" || v == "-" {
			i++
			break
		}
		if strings.HasPrefix(v, "--") {
			if v == "--rcfile" || v == "--init-file" {
				i++
			}
			continue
		}
		if len(v) < 2 || (v[0] != '-' && v[0] != '+') {
			break
		}
		if v[0] == '-' && strings.ContainsRune(v, 'c') {
			command = true
		}
		if strings.ContainsAny(v[1:], "oO") {
			i++ // -o pipefail, -O extglob
		}
	}
	switch {
	case command && i < len(args):
		w.nested(args[i].val, args[i].line, inv, depth)
	case !command && i >= len(args):
		for _, in := range inv.stdin {
			w.nested(in.text, in.line, inv, depth)
		}
	}
}

var pythonName = regexp.MustCompile(`^python[0-9]+(\.[0-9]+)?$`)

var pythonValued = map[byte]bool{'W': true, 'X': true}

// pythonModule returns the argv of `python … -m module args` as module followed by args,
// and false when the interpreter runs code (-c), a script, or nothing.
func pythonModule(args []word) ([]word, bool) {
	for i := 0; i < len(args); i++ {
		v := args[i].val
		if len(v) < 2 || v[0] != '-' || strings.HasPrefix(v, "--") {
			return nil, false
		}
		for j := 1; j < len(v); j++ {
			switch c := v[j]; {
			case c == 'c':
				return nil, false
			case c == 'm':
				module := strings.TrimPrefix(v[j+1:], "=")
				if module == "" {
					if i+1 >= len(args) {
						return nil, false
					}
					i++
					module = args[i].val
				}
				head := word{val: module, raw: args[i].raw, line: args[i].line, pos: args[i].pos}
				return append([]word{head}, args[i+1:]...), true
			case pythonValued[c]:
				if j+1 == len(v) {
					i++
				}
				j = len(v)
			}
		}
	}
	return nil, false
}

// programName names the program a command word runs: the base name of a path, with
// ${MAMBA_EXE} and ${CONDA_EXE} (and their $ forms) standing for mamba and conda.
func programName(v string) string {
	if strings.HasPrefix(v, "$") {
		switch strings.Trim(v[1:], "{}") {
		case "MAMBA_EXE":
			return "mamba"
		case "CONDA_EXE", "_CONDA_EXE":
			return "conda"
		}
	}
	if i := strings.LastIndexByte(v, '/'); i >= 0 {
		v = v[i+1:]
	}
	return v
}

var condaTools = map[string]bool{"conda": true, "mamba": true, "micromamba": true}

// condaSubcommand returns the subcommand of a conda, mamba or micromamba command line.
func condaSubcommand(args []word) string {
	if rest := parseOptions(args, condaGlobalOptions, true).rest; len(rest) > 0 {
		return rest[0].val
	}
	return ""
}

// commandLine renders words as one line of at most maxCommand characters.
func commandLine(words []word) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		raw := w.raw
		if len(raw) > maxCommand*4 {
			cut := maxCommand * 4
			for cut > 0 && !utf8.RuneStart(raw[cut]) {
				cut--
			}
			raw = raw[:cut]
		}
		b.WriteString(strings.ReplaceAll(raw, "\\\n", ""))
		if b.Len() > maxCommand*4 {
			break
		}
	}
	return truncate(strings.Join(strings.Fields(b.String()), " "), maxCommand)
}

const maxCommand = 200

// truncate shortens s to at most n characters, marking a cut with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
