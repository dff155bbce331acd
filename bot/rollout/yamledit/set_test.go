package yamledit

import (
	"strings"
	"testing"
)

func TestSet(t *testing.T) {
	tests := []struct {
		name, data, key, value string
		want                   string
	}{
		{"plain", "image:\n  tag: abc   # pinned\n", "image.tag", "0123456789ab",
			"image:\n  tag: 0123456789ab   # pinned\n"},
		{"single-quoted", "tag: 'abc'\n", "tag", "0123456789ab",
			"tag: '0123456789ab'\n"},
		{"double-quoted", "tag: \"abc\" # c\n", "tag", "0123456789ab",
			"tag: \"0123456789ab\" # c\n"},
		{"escapes in the old value", "tag: \"a\\\"b\"\n", "tag", "c",
			"tag: \"c\"\n"},
		{"a doubled quote in the old value", "tag: 'it''s'\n", "tag", "c",
			"tag: 'c'\n"},
		{"a tag that reads as a number is quoted", "tag: abc\n", "tag", "123456789012",
			"tag: \"123456789012\"\n"},
		{"a tag that reads as a float is quoted", "tag: abc\n", "tag", "1e10",
			"tag: \"1e10\"\n"},
		{"single quotes keep a number a string", "tag: 'abc'\n", "tag", "123456789012",
			"tag: '123456789012'\n"},
		{"an old number becomes a string", "tag: 1234567\n", "tag", "7654321",
			"tag: \"7654321\"\n"},
		{"an explicit tag stays", "tag: !!str 1234567\n", "tag", "7654321",
			"tag: !!str 7654321\n"},
		{"an anchor stays", "base: &img quay.io/o/i:abc\nuse: *img\n", "use", "quay.io/o/i:def",
			"base: &img quay.io/o/i:def\nuse: *img\n"},
		{"anchor and tag", "a: &x !!str   old\n", "a", "new",
			"a: &x !!str   new\n"},
		{"a full reference", "image: quay.io/o/i:abc\n", "image", "quay.io/o/i@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
			"image: quay.io/o/i@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"},
		{"a flow mapping", "o: {image: quay.io/o/i:abc, cpu: 4}\n", "o.image", "quay.io/o/i:def",
			"o: {image: quay.io/o/i:def, cpu: 4}\n"},
		{"a flow list", "tags: [abc, def]\n", "tags[1]", "ghi",
			"tags: [abc, ghi]\n"},
		{"characters of several bytes before the value", "ключ: старый\n", "ключ", "new",
			"ключ: new\n"},
		{"a byte order mark", "\ufefftag: abc\n", "tag", "def",
			"\ufefftag: def\n"},
		{"CRLF line ends", "a: 1\r\nimage:\r\n  tag: abc\r\nb: 2\r\n", "image.tag", "def",
			"a: 1\r\nimage:\r\n  tag: def\r\nb: 2\r\n"},
		{"no newline at the end", "tag: abc", "tag", "def",
			"tag: def"},
		{"the same value changes nothing", "tag: abc # c\n", "tag", "abc",
			"tag: abc # c\n"},
		{"a value that would start a comment is quoted", "tag: abc\n", "tag", "#x",
			"tag: \"#x\"\n"},
		{"a value that would be an alias is quoted", "tag: abc\n", "tag", "*x",
			"tag: \"*x\"\n"},
		{"a value that would be a mapping is quoted", "tag: abc\n", "tag", "a: b",
			"tag: \"a: b\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Set([]byte(tt.data), mustKeyPath(t, tt.key), valuesPath, tt.value)
			if err != nil {
				t.Fatalf("Set: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// TestSetStagingValues changes one line of a real-looking values file
// and leaves every other byte as it was.
func TestSetStagingValues(t *testing.T) {
	data := stagingValues(t)
	tests := []struct {
		key, value string
		line       int
		want       string
	}{
		{"jupyterhub.singleuser.image.tag", "fedcba987654", 19,
			"      tag: 'fedcba987654'    # bumped by imagebot"},
		{"jupyterhub.singleuser.profileList[slug=python].kubespawner_override.image", "quay.io/example-org/hub-image:fedcba987654", 4,
			`  python: &python-image "quay.io/example-org/hub-image:fedcba987654"  # the default image`},
		{"jupyterhub.singleuser.profileList[slug=r].kubespawner_override.image", "quay.io/example-org/r-image:0000000", 5,
			"  r: &r-image quay.io/example-org/r-image:0000000"},
		{"jupyterhub.singleuser.profileList[slug=gpu].kubespawner_override.image", "quay.io/example-org/gpu-image:bbbbbbbbbbbb", 10,
			"    image: quay.io/example-org/gpu-image:bbbbbbbbbbbb"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			got, err := Set(data, mustKeyPath(t, tt.key), valuesPath, tt.value)
			if err != nil {
				t.Fatalf("Set: %v", err)
			}
			before, after := strings.Split(string(data), "\n"), strings.Split(string(got), "\n")
			if len(before) != len(after) {
				t.Fatalf("the file went from %d to %d lines", len(before), len(after))
			}
			for i := range before {
				switch {
				case i+1 == tt.line && after[i] != tt.want:
					t.Errorf("line %d is\n%q\nwant\n%q", i+1, after[i], tt.want)
				case i+1 != tt.line && after[i] != before[i]:
					t.Errorf("line %d changed from %q to %q", i+1, before[i], after[i])
				}
			}
		})
	}
}

func TestSetRefuses(t *testing.T) {
	tests := []struct {
		name, data, key, value string
		want                   string
	}{
		{"a block scalar", string(stagingValues(t)), "jupyterhub.singleuser.profileList[slug=julia].kubespawner_override.image", "quay.io/x/y:z",
			"config/staging.values.yaml:35: jupyterhub.singleuser.profileList[slug=julia].kubespawner_override.image: the value is a block scalar (| or >); write it on one line so that imagebot can edit it"},
		{"a plain value over two lines", "tag: abc\n  def\n", "tag", "x",
			"config/staging.values.yaml:1: tag: the value spans lines; write it on one line so that imagebot can edit it"},
		{"a quoted value over two lines", "tag: \"abc\n  def\"\n", "tag", "x",
			"config/staging.values.yaml:1: tag: the value spans lines; write it on one line so that imagebot can edit it"},
		{"a missing key", "image: {}\n", "image.tag", "x",
			`config/staging.values.yaml:1: image has no key "tag"`},
		{"a quote in the new value", "tag: abc\n", "tag", `a"b`,
			`the new value "a\"b" has a quote, backslash or control character`},
		{"a newline in the new value", "tag: abc\n", "tag", "a\nb",
			`the new value "a\nb" has a quote, backslash or control character`},
		{"an empty new value", "tag: abc\n", "tag", "",
			`the new value "" is empty or not UTF-8`},
		{"a new value that is not UTF-8", "tag: abc\n", "tag", "a\xffb",
			`the new value "a\xffb" is empty or not UTF-8`},
		{"a new value that YAML reads as a line break", "tag: abc\n", "tag", "a\u0085b",
			`config/staging.values.yaml:1: tag: no quoting of "a\u0085b" reads back as that string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Set([]byte(tt.data), mustKeyPath(t, tt.key), valuesPath, tt.value)
			if err == nil {
				t.Fatalf("Set = %q, want an error", got)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got  %s\n want %s", err, tt.want)
			}
		})
	}
}

// FuzzSet edits arbitrary YAML at arbitrary key paths: Set never panics,
// and whatever it writes reads back as the new value.
func FuzzSet(f *testing.F) {
	f.Add("image:\n  tag: abc   # pinned\n", "image.tag", "0123456789ab")
	f.Add("base: &img quay.io/o/i:abc\nuse: *img\n", "use", "quay.io/o/i:def")
	f.Add("o: {image: 'x', cpu: 4}\n", "o.image", "1e10")
	f.Add("l: [{k: a, v: b}]\n", "l[k=a].v", "#x")
	f.Add("tag: >\n  folded\n", "tag", "x")
	f.Fuzz(func(t *testing.T, data, key, value string) {
		kp, err := ParseKeyPath(key)
		if err != nil {
			return
		}
		out, err := Set([]byte(data), kp, "values.yaml", value)
		if err != nil {
			return
		}
		got, err := Find(out, kp, "values.yaml")
		if err != nil || got.Value != value {
			t.Fatalf("Set(%q, %s, %q) wrote %q, which reads back as %q, %v", data, kp, value, out, got.Value, err)
		}
	})
}
