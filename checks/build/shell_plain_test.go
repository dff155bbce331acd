package build

import (
	"reflect"
	"testing"
)

var plainCases = []string{
	"", "\n\n", "pip install a b", "apt-get update && apt-get install -y curl || true; pip install x==1.0 & wait",
	"a |& b | c", "a\nb\n\nc", "a &&\n\nb", "A=1 B=2 pip install c", "echo if then fi", ". /opt/env.sh",
	"a;", "a &", "a\n", "pip install --index-url=https://x.example/simple @scope/pkg%2",
	`pip install 'a>=1' "b<2" c'd'"e" '"' "'" '' ""`, "rm -rf /var/lib/apt/lists/* a?b [ -f x ] ~/.local ^ 'a[1]'",
	"echo ']]' ']]'",
	// not plain: the parser decides
	"if true", "a && ", "; a", "a ;; b", "a & ; b", "a &&& b", "&& a", "a || || b", "time a", "a\n&& b",
	"pip install 'a", "echo \"$X\"", "echo 'a\nb'", "echo \"a\\\"\"", "[[ a ]]", "A[", "pip install dask[complete]", "echo $X", "a # c", "a > f", "(a)", "{ a; }", "a\\ b", "a\r\nb", "! a", "a\n|| b", "in a",
}

// comparePlain fails when plain splits src other than the parser does.
func comparePlain(t *testing.T, src string) {
	var l shellLevel
	plain, ok := l.plain(src, 3)
	if !ok {
		return
	}
	plain = append([]simpleCommand(nil), plain...)
	var parsed []simpleCommand
	var p shellLevel
	p.parser = newShellParser()
	if err := p.splitText(src, src, 3, func(c simpleCommand) {
		c.words = append([]word(nil), c.words...)
		parsed = append(parsed, c)
	}); err != nil {
		t.Fatalf("%q: plain, but the parser says %v", src, err)
	}
	if !reflect.DeepEqual(plain, parsed) && (len(plain) != 0 || len(parsed) != 0) {
		t.Errorf("%q:\n plain  %+v\n parser %+v", src, plain, parsed)
	}
}

func TestPlainMatchesParser(t *testing.T) {
	for _, src := range plainCases {
		comparePlain(t, src)
	}
	notPlain := 0
	for _, src := range plainCases {
		var l shellLevel
		if _, ok := l.plain(src, 1); !ok {
			notPlain++
		}
	}
	if notPlain != 27 {
		t.Errorf("%d cases go to the parser, want 27", notPlain)
	}
}
