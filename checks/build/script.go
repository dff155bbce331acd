package build

import (
	"strings"
)

// ScanScript scans a shell script (a repo2docker postBuild or start) and returns its
// package-installing commands, each with the lines of its command. A script whose #! line
// names an interpreter other than a POSIX shell (python, R, …) yields no installs and no
// error; a script without a #! line is run by sh. A syntax error that sh would reject the
// script for (an unterminated quote or substitution) is an error with its line.
func ScanScript(path string, data []byte) ([]Install, error) {
	src, err := text(path, data)
	if err != nil {
		return nil, err
	}
	if !isShellScript(src) {
		return nil, nil
	}
	var installs []Install
	w := &walker{visit: func(inv invocation) {
		found := installsOf(inv)
		if len(found) == 0 {
			return
		}
		command := commandLine(inv.all)
		for _, ins := range found {
			ins.Path, ins.Line, ins.EndLine, ins.Command = path, inv.line, inv.endLine, command
			installs = append(installs, ins)
		}
	}}
	if err := w.script(src, 1, 0, -1); err != nil {
		if se, ok := err.(*shellError); ok {
			return nil, &ParseError{Path: path, Line: se.line, Msg: se.msg}
		}
		return nil, &ParseError{Path: path, Msg: err.Error()}
	}
	return installs, nil
}

// isShellScript reports whether text runs as a POSIX shell script: it has no #! line, or
// its #! line names a shell, directly or through env.
func isShellScript(src string) bool {
	if !strings.HasPrefix(src, "#!") {
		return true
	}
	line, _, _ := strings.Cut(src[2:], "\n")
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return true
	}
	program := programName(fields[0])
	if program == "env" {
		program = ""
		for _, f := range fields[1:] {
			if strings.HasPrefix(f, "-") || strings.Contains(f, "=") {
				continue
			}
			program = programName(f)
			break
		}
	}
	return shells[program]
}
