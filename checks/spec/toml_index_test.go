package spec

import (
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

const trickyTOML = `# comment with [brackets] and "quotes"
title = "a # not a comment"
multi = """
line one
[not.a.table]
"""
lit = '''
x = 1
'''
"quoted.key" = 1
'lit key' = 2
"esc\u0041pe\t" = 3
dotted . path = 4
arr = [
  "a",   # c
  [1, 2],
  { x = 1 },
]
inline = { a = 1, b.c = { d = "}" } }
[ table . "sub" ]
key = 1979-05-27 07:32:00Z
quotes = """a""""
[[arr2]]
n = 1
[[arr2]]
n = 2
[tail]
crlf = 1` + "\r\n" + `after = 2` + "\r\n"

func TestTOMLIndexLines(t *testing.T) {
	x, line, msg := indexTOML(trickyTOML)
	if x == nil {
		t.Fatalf("indexTOML failed at line %d: %s", line, msg)
	}
	e := elemKey
	tests := []struct {
		path []string
		line int
		text string // "" to skip
		why  string
	}{
		{[]string{"title"}, 2, `title = "a # not a comment"`, "# inside a string is no comment"},
		{[]string{"multi"}, 3, "", ""},
		{[]string{"not"}, 0, "", "a header inside a multi-line string is text"},
		{[]string{"lit"}, 7, "", ""},
		{[]string{"x"}, 0, "", "a key inside a multi-line literal string is text"},
		{[]string{"quoted.key"}, 10, `"quoted.key" = 1`, "a quoted key with a dot is one key"},
		{[]string{"lit key"}, 11, "", ""},
		{[]string{"escApe\t"}, 12, "", "escapes in quoted keys are decoded"},
		{[]string{"dotted"}, 13, "", "a dotted key places its prefixes"},
		{[]string{"dotted", "path"}, 13, "dotted . path = 4", ""},
		{[]string{"arr"}, 14, "", ""},
		{[]string{"arr", e(0)}, 15, `"a"`, ""},
		{[]string{"arr", e(1)}, 16, "[1, 2]", ""},
		{[]string{"arr", e(1), e(1)}, 16, "2", "nested array element"},
		{[]string{"arr", e(2), "x"}, 17, "x = 1", "key of an inline table in an array"},
		{[]string{"arr", e(3)}, 0, "", "a trailing comma adds no element"},
		{[]string{"inline", "b", "c", "d"}, 19, `d = "}"`, "a brace inside a string does not close the table"},
		{[]string{"inline", "b"}, 19, `b.c = { d = "}" }`, ""},
		{[]string{"table"}, 20, `[ table . "sub" ]`, ""},
		{[]string{"table", "sub", "key"}, 21, "key = 1979-05-27 07:32:00Z", "a date-time with a space"},
		{[]string{"table", "sub", "quotes"}, 22, `quotes = """a""""`, "a quote before the closing quotes belongs to the string"},
		{[]string{"arr2"}, 23, "", ""},
		{[]string{"arr2", e(0), "n"}, 24, "", ""},
		{[]string{"arr2", e(1), "n"}, 26, "n = 2", "the second table of the array"},
		{[]string{"tail", "crlf"}, 28, "crlf = 1", ""},
		{[]string{"tail", "after"}, 29, "after = 2", "CRLF line ends"},
		{[]string{"missing"}, 0, "", ""},
	}
	for _, tt := range tests {
		if got := x.line(tt.path...); got != tt.line {
			t.Errorf("line(%s) = %d, want %d %s", dotted(tt.path), got, tt.line, tt.why)
		}
		if tt.text != "" {
			if got := x.text(tt.path...); got != tt.text {
				t.Errorf("text(%s) = %q, want %q", dotted(tt.path), got, tt.text)
			}
		}
	}
	if got := x.text("multi"); got != `multi = """ line one [not.a.table] """` {
		t.Errorf("a multi-line value is put on one line: %q", got)
	}
}

// placedLoosely reports whether the index places a key that the decoder
// reports, stepping over array elements, which the decoder's key paths do
// not name.
func placedLoosely(n *placeNode, key []string) bool {
	if len(key) == 0 {
		return n.placed
	}
	found := false
	if c := n.children[key[0]]; c != nil {
		found = placedLoosely(c, key[1:])
	}
	for _, k := range n.order { // in scan order, without stopping early, so that fuzzing coverage is the same on every run
		if strings.HasPrefix(k, "\x00") && placedLoosely(n.children[k], key) {
			found = true
		}
	}
	return found
}

// checkIndexAgainstDecoder fails when the decoder accepts a document that
// the index cannot scan, or reports a key the index did not place.
func checkIndexAgainstDecoder(t *testing.T, src string) {
	t.Helper()
	x, line, msg := indexTOML(src)
	if x == nil && !strings.HasPrefix(msg, "invalid TOML") {
		return // a limit, which keeps the document from the decoder
	}
	md, err := toml.Decode(src, new(map[string]any))
	if err != nil {
		return
	}
	if x == nil {
		t.Fatalf("the decoder accepts the document, the index stops at line %d: %s\n%q", line, msg, src)
	}
	for _, k := range md.Keys() {
		if !placedLoosely(&x.root, k) {
			t.Fatalf("the index did not place key %q of\n%q", k.String(), src)
		}
	}
}

func TestTOMLIndexAgreesWithDecoder(t *testing.T) {
	docs := []string{
		trickyTOML,
		string(readFixture(t, "pixi/pixi.toml")),
		string(readFixture(t, "pyproject/pyproject.toml")),
		string(readFixture(t, "uv/pyproject.toml")),
		"a = 1",
		"a = { }\nb = [ ]\nc = [\n]\n",
		"a = {\n  b = 1,\n  c = 2,\n}\n", // TOML 1.1: newlines and a trailing comma in an inline table
		"a = \"\\x41\\e\"\n",             // TOML 1.1 escapes
		"a = 0x1F\nb = 1_000\nc = -inf\nd = nan\ne = 6.02e+23\nf = true\ng = 07:32\n",
		"[a]\n[a.b]\n[c.d.e]\n[[f.g]]\n[[f.g]]\nh = 1\n",
		"\"\" = 1\n",
		"a.\"b.c\".'d' = 1\n",
		"s = '''a''b'''\n",
		"s = \"\"\"\\\n  x\\\"\"\"\"\n",
	}
	for _, src := range docs {
		if _, err := toml.Decode(src, new(map[string]any)); err != nil {
			t.Fatalf("test document does not decode: %v\n%q", err, src)
		}
		checkIndexAgainstDecoder(t, src)
	}
}
