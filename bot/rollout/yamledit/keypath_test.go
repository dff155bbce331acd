package yamledit

import (
	"reflect"
	"testing"
)

func TestParseKeyPath(t *testing.T) {
	key := func(k string) Step { return Step{Kind: ByKey, Key: k} }
	index := func(i int) Step { return Step{Kind: ByIndex, Index: i} }
	field := func(f, v string) Step { return Step{Kind: ByField, Key: f, Value: v} }
	tests := []struct {
		in   string
		want KeyPath
		text string // String(), when it differs from in
		why  string
	}{
		{"tag", KeyPath{key("tag")}, "", ""},
		{"jupyterhub.singleuser.image.tag", KeyPath{key("jupyterhub"), key("singleuser"), key("image"), key("tag")}, "", ""},
		{"jupyterhub.singleuser.profileList[slug=python].kubespawner_override.image",
			KeyPath{key("jupyterhub"), key("singleuser"), key("profileList"), field("slug", "python"), key("kubespawner_override"), key("image")}, "", ""},
		{"basehub.jupyterhub.singleuser.profileList[slug=climate].profile_options.image.choices.pangeo.kubespawner_override.image",
			KeyPath{key("basehub"), key("jupyterhub"), key("singleuser"), key("profileList"), field("slug", "climate"),
				key("profile_options"), key("image"), key("choices"), key("pangeo"), key("kubespawner_override"), key("image")},
			"", "one choice of a profile's image option, under a wrapper chart (2i2c)"},
		{"profiles[0].image", KeyPath{key("profiles"), index(0), key("image")}, "", ""},
		{"[2]", KeyPath{index(2)}, "", "a values file whose root is a list"},
		{"a[1][0]", KeyPath{key("a"), index(1), index(0)}, "", "a list of lists"},
		{"profileList[slug=python-3.12].image", KeyPath{key("profileList"), field("slug", "python-3.12"), key("image")}, "", "a selector value may hold dots"},
		{`hub.config."image.tag"`, KeyPath{key("hub"), key("config"), key("image.tag")}, "", "a quoted key holds a dot"},
		{`"a b"."c\"d"."e\\f"`, KeyPath{key("a b"), key(`c"d`), key(`e\f`)}, `"a b"."c\"d".e\f`, "escapes in quoted keys; a backslash alone needs no quotes"},
		{`"plain".x`, KeyPath{key("plain"), key("x")}, "plain.x", "needless quotes are dropped"},
		{`l["display name"="Python 3"]`, KeyPath{key("l"), field("display name", "Python 3")}, "", "quoted field and value"},
		{`l[k="a]b"]`, KeyPath{key("l"), field("k", "a]b")}, "", "a quoted value holds a bracket"},
		{"l[id=7]", KeyPath{key("l"), field("id", "7")}, "", "a field whose value is a number"},
		{"ключ.значение", KeyPath{key("ключ"), key("значение")}, "", "keys beyond ASCII"},
		{"a-b.c_d.0", KeyPath{key("a-b"), key("c_d"), key("0")}, "", "a key of digits is a key, not an index"},
		{`""`, KeyPath{key("")}, "", "an empty key can be quoted"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseKeyPath(tt.in)
			if err != nil {
				t.Fatalf("ParseKeyPath(%q): %v (%s)", tt.in, err, tt.why)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseKeyPath(%q) = %#v, want %#v (%s)", tt.in, got, tt.want, tt.why)
			}
			text := tt.text
			if text == "" {
				text = tt.in
			}
			if got.String() != text {
				t.Errorf("String() = %q, want %q", got.String(), text)
			}
			again, err := ParseKeyPath(got.String())
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Errorf("String() %q does not read back: %v, %v", got.String(), again, err)
			}
		})
	}
}

func TestParseKeyPathErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "the key path is empty; write one such as jupyterhub.singleuser.image.tag"},
		{".a", `key path ".a": missing key at character 1`},
		{"a..b", `key path "a..b": missing key at character 3`},
		{"a.", `key path "a.": missing key at character 3`},
		{"a b", `key path "a b": expected "." or "[" at character 2`},
		{"a[0]b", `key path "a[0]b": expected "." or "[" at character 5`},
		{"a[]", `key path "a[]": missing field before "=" (write [field=value] or [N]) at character 3`},
		{"a[slug]", `key path "a[slug]": expected "=" after the field "slug" at character 7`},
		{"a[slug=]", `key path "a[slug=]": missing value after "=" at character 8`},
		{"a[slug=python", `key path "a[slug=python": expected "]" at character 14`},
		{"a[slug=py thon]", `key path "a[slug=py thon]": expected "]" at character 10`},
		{"a[-1]", `key path "a[-1]": expected "=" after the field "-1" at character 5`},
		{"a[01]", `key path "a[01]": "01" is not a list index (0, 1, 2, …) at character 3`},
		{"a[1234567]", `key path "a[1234567]": "1234567" is not a list index (0, 1, 2, …) at character 3`},
		{`a."b`, `key path "a.\"b": the quoted key is not closed at character 3`},
		{`a."b\n"`, `key path "a.\"b\\n\"": only \" and \\ may follow a backslash in a quoted key at character 5`},
		{"a.'b'", `key path "a.'b'": missing key at character 3`},
	}
	for _, tt := range tests {
		got, err := ParseKeyPath(tt.in)
		if err == nil {
			t.Errorf("ParseKeyPath(%q) = %v, want an error", tt.in, got)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("ParseKeyPath(%q) error\n got  %s\n want %s", tt.in, err, tt.want)
		}
	}
}

func FuzzParseKeyPath(f *testing.F) {
	for _, s := range []string{"a.b[slug=x].c", `"a.b"[0]`, `l["k"="v"]`, "a[0][1]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kp, err := ParseKeyPath(s)
		if err != nil {
			return
		}
		again, err := ParseKeyPath(kp.String())
		if err != nil || !reflect.DeepEqual(again, kp) {
			t.Fatalf("%q parses to %#v, whose String %q reads back as %#v, %v", s, kp, kp.String(), again, err)
		}
	})
}
