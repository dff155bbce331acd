package lock

import (
	"fmt"
	"strings"
	"testing"
)

// treeMismatch describes the first difference between two trees, or
// returns "" when they are equal: same shapes, kinds, lines, texts and
// nulls. How a scalar's text is stored (substring or owned) is not part of
// a tree's meaning.
func treeMismatch(a, b *tree) string {
	if len(a.nodes) != len(b.nodes) {
		return fmt.Sprintf("%d nodes, %d nodes", len(a.nodes), len(b.nodes))
	}
	for i := range a.nodes {
		r := ref(i)
		x, y := a.nodes[i], b.nodes[i]
		switch {
		case x.kind() != y.kind():
			return fmt.Sprintf("node %d: kind %d, kind %d", i, x.kind(), y.kind())
		case x.lineNo() != y.lineNo():
			return fmt.Sprintf("node %d (%q): line %d, line %d", i, a.str(r), x.lineNo(), y.lineNo())
		case x.kind() != scalarNode && x.n != y.n:
			return fmt.Sprintf("node %d: subtree ends at %d, at %d", i, x.n, y.n)
		case a.isNull(r) != b.isNull(r) || a.str(r) != b.str(r):
			return fmt.Sprintf("node %d: %q (null %v), %q (null %v)", i, a.str(r), a.isNull(r), b.str(r), b.isNull(r))
		}
	}
	return ""
}

// fastAgrees checks the fast reader's contract on one document: when it
// accepts src, yaml.v3 accepts it too and builds an equal tree.
func fastAgrees(t *testing.T, src string) (accepted bool) {
	t.Helper()
	fast, ok := readFast(src)
	if !ok {
		return false
	}
	slow, err := readYAMLv3(src)
	if err != nil {
		t.Fatalf("fast reader accepted %q, yaml.v3 refused it: %v", src, err)
	}
	if m := treeMismatch(fast, slow); m != "" {
		t.Fatalf("trees differ for %q: %s", src, m)
	}
	if ef, es := fast.checkKeys(), slow.checkKeys(); fmt.Sprint(ef) != fmt.Sprint(es) {
		t.Fatalf("key check differs for %q: %v, %v", src, ef, es)
	}
	return true
}

func TestYAMLSubset(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		fast bool // the fast reader accepts it
		why  string
	}{
		{"conda-lock shape", "version: 1\nmetadata:\n  channels:\n  - url: conda-forge\n    used_env_vars: []\n  platforms:\n  - linux-64\npackage:\n- name: a\n  version: '4.5'\n  dependencies:\n    b: '>=1'\n    c: ''\n  hash:\n    md5: abc\n", true, ""},
		{"pixi shape", "version: 6\nenvironments:\n  default:\n    packages:\n      linux-64:\n      - conda: https://x/a-1-0.conda\npackages:\n- conda: https://x/a-1-0.conda\n  depends:\n  - python >=3.8\n  - python_abi 3.12.* *_cp312\n  purls: []\n  variants: {}\n", true, ""},
		{"comments and blank lines", "# head\n\na: 1 # trailing\n  # indented comment\nb:\n\n  - x # item\n# between\n  - y\n", true, ""},
		{"document start", "---\na: 1\n", true, ""},
		{"document start with comment", "--- # lock\na: 1\n", true, ""},
		{"CRLF", "a: 1\r\nb:\r\n- c\r\n", true, "Windows line ends"},
		{"nulls", "a:\nb: ~\nc: null\nd: Null\ne: NULL\nf: nil\n", true, "nil is a string"},
		{"null items", "-\n- ~\n-   # comment\n- x\n", true, ""},
		{"quoted scalars", `a: 'it''s'` + "\n" + `b: "tab\tnew\nquote\" apostrophe\' \\ \x41\u00e9\U0001F600"` + "\n" + `c: ''` + "\n" + `d: ""` + "\n", true, "escapes"},
		{"quoted keys", "'a b': 1\n\"c:d\": 2\n'': 3\n", true, ""},
		{"quoted looking like null", "a: 'null'\nb: \"~\"\n", true, "quoted null is a string"},
		{"plain with colons and hashes", "url: https://x.org/a#md5\nspec: a:b\nk: x#y\n", true, "': ' and ' #' are the only separators"},
		{"keys with spaces", "a b: 1\nkey   : 2\n", true, ""},
		{"indentless and nested sequences", "a:\n- b:\n  - c\n  - d: e\n    f:\n    - g\n- h\n", true, ""},
		{"compact mapping with wide gap", "-   a: 1\n    b: 2\n", true, ""},
		{"sequence of sequences", "-\n  - a\n  - b\n-\n  - c\n", true, ""},
		{"plain starting with indicator-like characters", "a: -1\nb: ?x\nc: :x\nd: -x\n", true, ""},
		{"non-ASCII", "name: café\nkey日本: 値\n", true, ""},
		{"root sequence", "- a\n- b\n", true, ""},
		{"repeated key", "a: 1\na: 2\n", true, "accepted; checkKeys reports it"},

		{"anchor and alias", "a: &x 1\nb: *x\n", false, ""},
		{"tag", "a: !!str 1\n", false, ""},
		{"literal block", "a: |\n  text\n", false, ""},
		{"folded block", "a: >\n  text\n", false, ""},
		{"flow sequence", "a: [b, c]\n", false, ""},
		{"flow mapping", "a: {b: c}\n", false, ""},
		{"spaced empty flow", "a: { }\n", false, ""},
		{"tab indentation", "a:\n\t- b\n", false, ""},
		{"tab after colon", "a:\tb\n", false, ""},
		{"multi-line plain", "a: b\n  c\n", false, ""},
		{"multi-line plain item", "- b\n  c\n", false, ""},
		{"multi-line quoted", "a: 'b\n  c'\n", false, ""},
		{"complex key", "? a\n: b\n", false, ""},
		{"directive", "%YAML 1.2\n---\na: 1\n", false, ""},
		{"two documents", "a: 1\n---\nb: 2\n", false, ""},
		{"document end", "a: 1\n...\n", false, ""},
		{"document end as a key, from the fuzzer", "... :", false, "a marker, not a plain scalar"},
		{"document start inside a sequence", "- a\n---\n- b\n", false, ""},
		{"document end after a value", "a:\n  b: 1\n... # end\n", false, ""},
		{"marker-like plain scalars", "---a: 1\nb: ...\nc: ---\n", true, "only a marker at column 0 followed by a blank counts"},
		{"byte order mark", "\ufeffa: 1\n", false, ""},
		{"next line character", "a: b\u0085c\n", false, "a YAML 1.1 line break"},
		{"nested compact sequence", "- - a\n", false, ""},
		{"sequence as inline value", "a: - b\n", false, "an error in YAML"},
		{"mapping value inside plain", "a: b: c\n", false, "an error in YAML"},
		{"bad indentation", "a:\n    b: 1\n  c: 2\n", false, "an error in YAML"},
		{"scalar document", "just text\n", false, ""},
		{"empty document", "", false, ""},
		{"comments only", "# nothing\n", false, ""},
		{"item at mapping indentation", "a: 1\n- b\n", false, "an error in YAML"},
		{"unknown escape", `a: "\q"` + "\n", false, "an error in YAML"},
		{"surrogate escape", `a: "\ud800"` + "\n", false, "an error in YAML"},
		{"long key", strings.Repeat("k", 1100) + ": v\n", false, "yaml.v3 limits implicit keys"},
		{"control character", "a: b\x01\n", false, ""},
		{"lone carriage return", "a: 1\rb: 2\n", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fastAgrees(t, tc.src); got != tc.fast {
				t.Errorf("fast reader accepted = %v, want %v (%s)", got, tc.fast, tc.why)
			}
		})
	}
}

func TestYAMLDepth(t *testing.T) {
	var deep strings.Builder
	for i := range 60 {
		fmt.Fprintf(&deep, "%sk%d:\n", strings.Repeat(" ", i), i)
	}
	deep.WriteString(strings.Repeat(" ", 60) + "leaf: 1\n")
	if !fastAgrees(t, deep.String()) {
		t.Error("fast reader declined 60 nested mappings")
	}
	tooDeep := strings.Repeat("- ", 20000) + "x\n"
	if _, err := parseYAML(tooDeep); err == nil {
		t.Error("20000 nested sequences parsed")
	}
}
