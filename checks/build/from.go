package build

import (
	"fmt"
	"strings"
)

// ImageRef is one base image reference in a FROM instruction.
type ImageRef struct {
	Path     string
	Line     int    // the FROM line
	Raw      string // the reference as written ("${BASE}", "quay.io/jupyter/r-notebook:2024-10-03")
	Resolved string // after expanding global ARG defaults; "" when it could not be resolved
	// Unresolved says why Resolved is "" for a reference that is no stage:
	// "the ARG BASE has no default", "longer than 4096 characters", ...
	Unresolved string
	ArgLine    int  // line of the ARG whose default supplied the pin (the digest, else the tag, else the name's end); 0 if none
	Stage      bool // names an earlier build stage (FROM x AS y … FROM y), or is scratch
	// Repository, Tag and Digest are parsed from Resolved: "quay.io/jupyter/r-notebook",
	// "2024-10-03", "" (a digest is "sha256:…", without the @). All three are empty for a
	// stage and for an unresolved reference.
	Repository, Tag, Digest string
	// Kind classifies Tag and Digest with ClassifyTag. It is Unknown when the reference could
	// not be resolved, and empty for a stage.
	Kind TagKind
}

// Limits on ARG expansion: longer results, deeper nesting, and expansion beyond a budget
// for the whole file count as unresolvable, which keeps chains of ARGs that double in size
// (A=xx, B=$A$A, C=$B$B, …) and files of many ARGs copying long values bounded. The budget
// counts only the bytes copied out of ARG values: text written in place is bounded by the
// file's size, so a file of many plain FROM lines never exhausts it.
const (
	maxExpansion      = 4096
	maxExpansionDepth = 32
	maxExpansionTotal = 1 << 20
)

// segment is a run of expanded text and the line of the ARG whose default supplied it
// (0 for text written in place).
type segment struct {
	text    string
	argLine int
}

// argValue is a declared build argument.
type argValue struct {
	segs []segment
	set  bool // declared with a default
}

// argScope holds the ARGs declared before the first FROM, which FROM can use, and the
// expansion budget left for the file.
type argScope struct {
	vars   map[string]argValue
	budget int
}

func newArgScope() *argScope {
	return &argScope{vars: map[string]argValue{}, budget: maxExpansionTotal}
}

// expander expands the variables of one Dockerfile word the way BuildKit does for FROM and
// ARG: quotes and escape characters are removed, and $X, ${X}, ${X:-word}, ${X-word},
// ${X:+word} and ${X+word} are expanded from the scope. Any other form, and any variable
// without a value, makes the word unresolvable.
type expander struct {
	scope  *argScope
	escape byte
	out    []segment
	size   int
	failed bool
	reason string // why it failed
}

// expandWord expands one word; when it cannot, the reason says why.
func expandWord(w string, scope *argScope, escape byte) (segs []segment, reason string, ok bool) {
	x := &expander{scope: scope, escape: escape}
	x.word(w, 0, 0, false)
	if x.failed {
		return nil, x.reason, false
	}
	return x.out, "", true
}

// fail stops the expansion for a reason.
func (x *expander) fail(reason string) {
	if !x.failed {
		x.failed, x.reason = true, reason
	}
}

func (x *expander) emit(s string, argLine int) {
	if s == "" || x.failed {
		return
	}
	x.size += len(s)
	if x.size > maxExpansion {
		x.fail(fmt.Sprintf("it is longer than %d characters", maxExpansion))
		return
	}
	if n := len(x.out); n > 0 && x.out[n-1].argLine == argLine {
		x.out[n-1].text += s
		return
	}
	x.out = append(x.out, segment{text: s, argLine: argLine})
}

// word expands w. argLine attributes literal text to the ARG that w came from; inQuote says
// w is inside double quotes.
func (x *expander) word(w string, argLine, depth int, inQuote bool) {
	if depth > maxExpansionDepth {
		x.fail(fmt.Sprintf("its ${…} defaults nest deeper than %d", maxExpansionDepth))
		return
	}
	var quote byte
	if inQuote {
		quote = '"'
	}
	for i := 0; i < len(w) && !x.failed; i++ {
		c := w[i]
		switch {
		case c == x.escape && quote != '\'' && i+1 < len(w):
			i++
			x.emit(w[i:i+1], argLine)
		case quote == '\'':
			if c == '\'' {
				quote = 0
			} else {
				x.emit(w[i:i+1], argLine)
			}
		case c == '"' && !inQuote:
			if quote == '"' {
				quote = 0
			} else {
				quote = '"'
			}
		case c == '\'' && quote == 0:
			quote = '\''
		case c == '$':
			i = x.variable(w, i, argLine, depth, quote == '"') - 1
		default:
			x.emit(w[i:i+1], argLine)
		}
	}
}

// variable expands the reference starting at w[i] == '$' and returns the index after it.
func (x *expander) variable(w string, i, argLine, depth int, inQuote bool) int {
	rest := w[i+1:]
	if rest == "" || (rest[0] != '{' && !isNameStart(rest[0])) {
		x.emit("$", argLine)
		return i + 1
	}
	if rest[0] != '{' {
		n := 0
		for n < len(rest) && isNameByte(rest[n]) {
			n++
		}
		x.value(rest[:n])
		return i + 1 + n
	}
	end := matchingBrace(rest)
	if end < 0 {
		x.fail("a ${ is not closed")
		return len(w)
	}
	inner := rest[1:end]
	n := 0
	for n < len(inner) && isNameByte(inner[n]) {
		n++
	}
	name, op := inner[:n], inner[n:]
	v, declared := x.scope.vars[name]
	hasValue := declared && v.set && joinSegments(v.segs) != ""
	switch {
	case name == "":
		x.fail("${" + clipWord(inner) + "} names no ARG")
	case op == "":
		x.value(name)
	case strings.HasPrefix(op, ":-"):
		if hasValue {
			x.value(name)
		} else {
			x.word(op[2:], argLine, depth+1, inQuote)
		}
	case strings.HasPrefix(op, "-"):
		if declared && v.set {
			x.value(name)
		} else {
			x.word(op[1:], argLine, depth+1, inQuote)
		}
	case strings.HasPrefix(op, ":+"):
		if hasValue {
			x.word(op[2:], argLine, depth+1, inQuote)
		}
	case strings.HasPrefix(op, "+"):
		if declared && v.set {
			x.word(op[1:], argLine, depth+1, inQuote)
		}
	default: // ${X#…}, ${X%…}, ${X/…}, ${X?…}
		x.fail("imagebot does not evaluate ${" + clipWord(inner) + "}")
	}
	return i + 1 + end + 1
}

// value emits the value of a build argument, failing when it has none.
func (x *expander) value(name string) {
	v, ok := x.scope.vars[name]
	switch {
	case !ok:
		x.fail(name + " is not an ARG declared before the first FROM, the only ones FROM sees")
		return
	case !v.set:
		x.fail("the ARG " + name + " has no default (it comes from the build command)")
		return
	}
	for _, s := range v.segs {
		x.scope.budget -= len(s.text)
	}
	if x.scope.budget < 0 {
		x.fail(fmt.Sprintf("the file expands more than %d bytes of ARG values in all", maxExpansionTotal))
		return
	}
	for _, s := range v.segs {
		x.emit(s.text, s.argLine)
	}
}

// clipWord shortens text quoted in a reason.
func clipWord(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func isNameStart(c byte) bool { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// matchingBrace returns the index of the } that closes the { at s[0], or -1.
func matchingBrace(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func joinSegments(segs []segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.text)
	}
	return b.String()
}

// declareArgs records the ARGs of one ARG instruction (ARG A=1 B ...) in the scope.
func declareArgs(scope *argScope, args string, line int, escape byte) {
	for _, w := range dockerWords(args, escape) {
		name, def, hasDefault := strings.Cut(w, "=")
		name = unquote(name, escape)
		if !hasDefault {
			if _, ok := scope.vars[name]; !ok {
				scope.vars[name] = argValue{}
			}
			continue
		}
		segs, _, ok := expandWord(def, scope, escape)
		if !ok {
			scope.vars[name] = argValue{}
			continue
		}
		for i := range segs {
			if segs[i].argLine == 0 {
				segs[i].argLine = line
			}
		}
		scope.vars[name] = argValue{segs: segs, set: true}
	}
}

// parseFrom reads a FROM instruction: FROM [--platform=…] image [AS name].
func parseFrom(in instruction, scope *argScope, stages map[string]bool, escape byte) (ImageRef, string, error) {
	words := dockerWords(in.args, escape)
	if len(words) != 1 && !(len(words) == 3 && strings.EqualFold(words[1], "as")) {
		return ImageRef{}, "", fmt.Errorf("FROM requires either one or three arguments (image, or image AS name), got %d", len(words))
	}
	ref := ImageRef{Line: in.line, Raw: words[0]}
	stageName := ""
	if len(words) == 3 {
		stageName = strings.ToLower(unquote(words[2], escape))
	}
	segs, reason, ok := expandWord(words[0], scope, escape)
	resolved := joinSegments(segs)
	switch {
	case !ok:
	case resolved == "":
		reason = "it expands to nothing"
	case strings.ContainsAny(resolved, " \t\n$"):
		reason = "it expands to text with a space or a $"
	}
	if reason != "" {
		if lower := strings.ToLower(unquote(words[0], escape)); lower == "scratch" || stages[lower] {
			ref.Stage = true
		} else {
			ref.Kind, ref.Unresolved = Unknown, reason
		}
		return ref, stageName, nil
	}
	ref.Resolved = resolved
	if lower := strings.ToLower(resolved); lower == "scratch" || stages[lower] {
		ref.Stage = true
		return ref, stageName, nil
	}
	ref.Repository, ref.Tag, ref.Digest = splitReference(resolved)
	ref.Kind = ClassifyTag(ref.Tag, ref.Digest)
	ref.ArgLine = argLineAt(segs, tagOffset(resolved, ref.Tag, ref.Digest))
	return ref, stageName, nil
}

// splitReference splits an image reference into repository, tag and digest.
func splitReference(ref string) (repository, tag, digest string) {
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		ref, digest = ref[:i], ref[i+1:]
	}
	slash := strings.LastIndexByte(ref, '/')
	if c := strings.LastIndexByte(ref, ':'); c > slash {
		ref, tag = ref[:c], ref[c+1:]
	}
	return ref, tag, digest
}

// tagOffset is where the part of a reference that pins it starts: the tag, else the digest,
// else the last character of the name.
func tagOffset(resolved, tag, digest string) int {
	switch {
	case digest != "":
		return len(resolved) - len(digest)
	case tag != "":
		return len(resolved) - len(tag)
	}
	return len(resolved) - 1
}

func argLineAt(segs []segment, offset int) int {
	at := 0
	for _, s := range segs {
		if offset < at+len(s.text) {
			return s.argLine
		}
		at += len(s.text)
	}
	return 0
}
