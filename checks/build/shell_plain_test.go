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
	"echo ']]' ']]'", `fix-permissions "${CONDA_DIR}" $HOME/x $1 $12 a\ b \$x "$A-${B}"`, `echo "escaped backslash" \\`, `echo "$X"`,
	// not plain: the parser decides
	"if true", "a && ", "; a", "a ;; b", "a & ; b", "a &&& b", "&& a", "a || || b", "time a", "a\n&& b",
	"pip install 'a", "echo 'a\nb'", "echo \"a\\\"\"", "[[ a ]]", "A[", "pip install dask[complete]", "echo $(x)", "echo ${X:-y}", "echo $'a'", "echo $", "a\\", "a\\\nb", "echo ${1}", "echo $@", "a # c", "a > f", "(a)", "{ a; }", "a\r\nb", "! a", "a\n|| b", "in a",
}

// collected keeps the commands it receives.
type collected []simpleCommand

func (c *collected) command(cmd simpleCommand) {
	cmd.words = append([]word(nil), cmd.words...)
	*c = append(*c, cmd)
}

// comparePlain fails when plain splits src other than the parser does.
func comparePlain(t *testing.T, src string) {
	var l shellLevel
	plain, ok := l.plain(src, 3)
	if !ok {
		return
	}
	plain = append([]simpleCommand(nil), plain...)
	var parsed collected
	p := shellLevel{parser: newShellParser(), sink: &parsed}
	if err := p.splitText(src, src, 3); err != nil {
		t.Fatalf("%q: plain, but the parser says %v", src, err)
	}
	if !reflect.DeepEqual(plain, []simpleCommand(parsed)) && (len(plain) != 0 || len(parsed) != 0) {
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
	if notPlain != 32 {
		t.Errorf("%d cases go to the parser, want 32", notPlain)
	}
}
