package build

import (
	"fmt"
	"strings"
)

// Dockerfile is what a Dockerfile or repo2docker appendix says about the image it builds.
type Dockerfile struct {
	Images   []ImageRef // every FROM, in file order
	Installs []Install  // every package-installing command of every RUN, in file order
}

// ScanDockerfile scans a Dockerfile. It fails, with the line, where BuildKit would refuse
// the file: an unknown instruction, an instruction other than ARG before the first FROM,
// a malformed FROM, a bad parser directive, an unterminated here-document, a file with no
// instructions; and where /bin/sh would refuse a RUN (an unterminated quote or
// substitution).
//
// Installs are found in shell-form and exec-form RUN instructions and in RUN
// here-documents, as long as the stage's SHELL is a POSIX shell. ONBUILD instructions run
// in other images' builds and are skipped.
func ScanDockerfile(path string, data []byte) (*Dockerfile, error) {
	return scanDockerfile(path, data, false)
}

// ScanAppendix scans a repo2docker appendix: Dockerfile instructions that repo2docker
// appends to the Dockerfile it generates, so they need no FROM and may be empty.
func ScanAppendix(path string, data []byte) (*Dockerfile, error) {
	return scanDockerfile(path, data, true)
}

// dockerfileKeywords are the instructions BuildKit knows.
var dockerfileKeywords = map[string]bool{
	"add": true, "arg": true, "cmd": true, "copy": true, "entrypoint": true, "env": true,
	"expose": true, "from": true, "healthcheck": true, "label": true, "maintainer": true,
	"onbuild": true, "run": true, "shell": true, "stopsignal": true, "user": true,
	"volume": true, "workdir": true,
}

// dockerScan is the state of one Dockerfile scan.
type dockerScan struct {
	path      string
	escape    byte
	appendix  bool
	df        *Dockerfile
	global    *argScope       // ARGs declared before the first FROM
	stages    map[string]bool // stage names declared so far, lower-case
	seenFrom  bool
	posixRuns bool        // the stage's SHELL runs RUN text as POSIX shell
	walker    walker      // reused for every RUN
	running   instruction // the RUN being walked
}

func scanDockerfile(path string, data []byte, appendix bool) (*Dockerfile, error) {
	src, err := text(path, data)
	if err != nil {
		return nil, err
	}
	instructions, escape, err := readInstructions(path, src)
	if err != nil {
		return nil, err
	}
	if len(instructions) == 0 && !appendix {
		return nil, &ParseError{Path: path, Msg: "the Dockerfile has no instructions"}
	}
	s := &dockerScan{
		path: path, escape: escape, appendix: appendix, df: &Dockerfile{},
		global: newArgScope(), stages: map[string]bool{}, posixRuns: true,
	}
	for _, in := range instructions {
		if err := s.instruction(in); err != nil {
			return nil, &ParseError{Path: path, Line: in.line, Msg: err.Error()}
		}
	}
	return s.df, nil
}

func (s *dockerScan) instruction(in instruction) error {
	if !dockerfileKeywords[in.keyword] {
		return fmt.Errorf("unknown instruction: %s", strings.ToUpper(in.keyword))
	}
	if !s.seenFrom && !s.appendix && in.keyword != "from" && in.keyword != "arg" {
		return fmt.Errorf("%s before the first FROM: a Dockerfile starts with FROM, after ARGs and parser directives", strings.ToUpper(in.keyword))
	}
	switch in.keyword {
	case "from":
		return s.from(in)
	case "arg":
		if !s.seenFrom {
			declareArgs(s.global, in.args, in.line, s.escape)
		}
	case "shell":
		if argv, ok := in.execForm(); ok && len(argv) > 0 {
			s.posixRuns = shells[programName(argv[0])]
		} else {
			return fmt.Errorf("SHELL requires the exec (JSON array) form")
		}
	case "run":
		return s.run(in)
	}
	return nil
}

func (s *dockerScan) from(in instruction) error {
	ref, stage, err := parseFrom(in, s.global, s.stages, s.escape)
	if err != nil {
		return err
	}
	ref.Path = s.path
	s.df.Images = append(s.df.Images, ref)
	if stage != "" {
		s.stages[stage] = true
	}
	s.seenFrom = true
	s.posixRuns = true
	return nil
}

// run records the installs of one RUN instruction.
func (s *dockerScan) run(in instruction) error {
	if s.walker.visit == nil {
		s.walker = walker{visit: s.visitRun, sh: new(shellParsers)}
	}
	s.running, s.walker.refused = in, nil
	w := &s.walker
	if argv, ok := in.execForm(); ok {
		words := make([]word, len(argv))
		for i, a := range argv {
			words[i] = word{val: a, raw: shellQuote(a), line: in.line}
		}
		w.invoke(invocation{argv: words, all: words, line: in.line, endLine: in.endLine}, 0)
		return nil
	}
	if !s.posixRuns {
		return nil
	}
	for _, script := range runScripts(in, s.escape) {
		if err := w.script(script, in.line, 0, -1); err != nil {
			if se, ok := err.(*shellError); ok {
				return fmt.Errorf("RUN: %s", se.msg)
			}
			return err
		}
	}
	return nil
}

// visitRun records the installs of a command of the RUN instruction s.running.
func (s *dockerScan) visitRun(inv invocation) {
	installs := installsOf(inv)
	if len(installs) == 0 {
		return
	}
	command := commandLine(inv.all)
	for _, ins := range installs {
		ins.Path, ins.Line, ins.EndLine, ins.Command = s.path, s.running.line, s.running.endLine, command
		s.df.Installs = append(s.df.Installs, ins)
	}
}

// runScripts returns the shell text a shell-form RUN runs. A RUN that consists only of
// here-documents runs each of them as a script (unless its #! line names another
// interpreter); otherwise the here-documents feed the command line, as in a shell.
func runScripts(in instruction, escape byte) []string {
	if len(in.heredocs) == 0 {
		return []string{in.args}
	}
	onlyHeredocs := true
	for _, w := range dockerWords(in.args, escape) {
		if m := heredocPattern.FindStringSubmatch(w); m == nil || m[2] == "" {
			onlyHeredocs = false
			break
		}
	}
	if onlyHeredocs {
		var scripts []string
		for _, h := range in.heredocs {
			if isShellScript(h.content) {
				scripts = append(scripts, h.content)
			}
		}
		return scripts
	}
	var b strings.Builder
	b.WriteString(in.args)
	b.WriteByte('\n')
	for _, h := range in.heredocs {
		b.WriteString(h.content)
		b.WriteString(h.name)
		b.WriteByte('\n')
	}
	return []string{b.String()}
}

// shellQuote renders an argument for display in a shell command line.
func shellQuote(a string) string {
	if a != "" && !strings.ContainsAny(a, " \t\n'\"\\$`;&|<>()*?[]{}#~") {
		return a
	}
	return "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
}
