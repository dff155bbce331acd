package yamledit

import (
	"errors"
	"os"
	"testing"
)

const valuesPath = "config/staging.values.yaml"

// stagingValues is a hub's values file with comments, anchors, aliases, a
// merge key, flow mappings and a block scalar.
func stagingValues(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/staging.values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustKeyPath(t *testing.T, s string) KeyPath {
	t.Helper()
	kp, err := ParseKeyPath(s)
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

func TestFind(t *testing.T) {
	tests := []struct {
		key  string
		raw  string
		line int
		why  string
	}{
		{"jupyterhub.singleuser.image.tag", "0123456789ab", 19, "a single-quoted tag with a comment after it"},
		{"jupyterhub.singleuser.image.name", "quay.io/example-org/hub-image", 18, ""},
		{"jupyterhub.singleuser.profileList[slug=python].kubespawner_override.image", "quay.io/example-org/hub-image:0123456789ab", 4, "an alias leads to its anchor's line"},
		{"jupyterhub.singleuser.profileList[slug=r].kubespawner_override.image", "quay.io/example-org/r-image:fedcba987654", 5, "an alias in a flow mapping"},
		{"jupyterhub.singleuser.profileList[1].kubespawner_override.cpu_limit", "4", 28, "an index, then a flow mapping"},
		{"jupyterhub.singleuser.profileList[0].display_name", "Python (default)", 21, ""},
		{`jupyterhub.singleuser.profileList["display_name"="Python (default)"].slug`, "python", 22, "a quoted selector"},
		{"jupyterhub.singleuser.profileList[slug=gpu].kubespawner_override.image", "quay.io/example-org/gpu-image:aaaaaaaaaaaa", 10, "through a << merge key"},
		{"jupyterhub.singleuser.profileList[slug=gpu].cpu_limit", "2", 8, "a merged value"},
		{"jupyterhub.singleuser.profileList[slug=julia].kubespawner_override.image", "quay.io/example-org/julia-image:1111111", 35, "a folded block scalar reads"},
		{`jupyterhub.hub.config."KubeSpawner.image.tag"`, "not-a-key-path", 15, "a key with dots"},
	}
	data := stagingValues(t)
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			n, err := Find(data, mustKeyPath(t, tt.key), valuesPath)
			if err != nil {
				t.Fatalf("find: %v", err)
			}
			if n.Value != tt.raw || n.Line != tt.line {
				t.Errorf("got %q at line %d, want %q at line %d (%s)", n.Value, n.Line, tt.raw, tt.line, tt.why)
			}
		})
	}
}

func TestFindErrors(t *testing.T) {
	staging := string(stagingValues(t))
	tests := []struct {
		name, data, key string
		want            string
		keyError        bool
	}{
		{"missing key", staging, "jupyterhub.singleuser.image.digest",
			`config/staging.values.yaml:18: jupyterhub.singleuser.image has no key "digest"`, true},
		{"missing first key", staging, "hub.config",
			`config/staging.values.yaml:3: the top level has no key "hub"`, true},
		{"no item matches the selector", staging, "jupyterhub.singleuser.profileList[slug=scipy].kubespawner_override.image",
			`config/staging.values.yaml:21: jupyterhub.singleuser.profileList has no item [slug=scipy]; its items' slug values are: python, r, gpu, julia`, true},
		{"no item has the field", staging, "jupyterhub.singleuser.profileList[name=python].image",
			`config/staging.values.yaml:21: jupyterhub.singleuser.profileList has no item with the field "name", so it has no item [name=python]`, true},
		{"index past the end", staging, "jupyterhub.singleuser.profileList[4]",
			`config/staging.values.yaml:21: jupyterhub.singleuser.profileList has 4 items, so it has no item [4]`, true},
		{"a mapping is not a value", staging, "jupyterhub.singleuser.image",
			`config/staging.values.yaml:18: jupyterhub.singleuser.image is a mapping, not a single value; point the key path at the image's tag or at its full reference`, true},
		{"a value has no keys", staging, "jupyterhub.singleuser.image.tag.name",
			`config/staging.values.yaml:19: jupyterhub.singleuser.image.tag is a single value, not a mapping, so it has no key "name"`, true},
		{"a list has no keys", staging, "jupyterhub.singleuser.profileList.python.image",
			`config/staging.values.yaml:21: jupyterhub.singleuser.profileList is a list, not a mapping, so it has no key "python"; pick one of its items with [field=value] or [N]`, true},
		{"a mapping is not a list", staging, "jupyterhub[0]",
			`config/staging.values.yaml:13: jupyterhub is a mapping, not a list, so it has no item [0]`, true},
		{"selector on a mapping", staging, "jupyterhub.singleuser[slug=python]",
			`config/staging.values.yaml:17: jupyterhub.singleuser is a mapping, not a list, so it has no item [slug=python]`, true},
		{"two items match", "profiles:\n  - {slug: a, image: x}\n  - {slug: a, image: y}\n", "profiles[slug=a].image",
			`config/staging.values.yaml:2: profiles has 2 items [slug=a] (at lines 2, 3); the selector must pick exactly one`, true},
		{"a key twice", "image:\n  tag: a\n  tag: b\n", "image.tag",
			`config/staging.values.yaml:2: image has the key "tag" twice, at lines 2 and 3`, true},
		{"no value", "image:\n  tag:\n  name: x\n", "image.tag",
			`config/staging.values.yaml:2: image.tag has no value`, true},
		{"a mapping that merges itself", "a: &a {x: 1, <<: *a}\n", "a.y",
			`config/staging.values.yaml:1: a has no key "y"`, true},
		{"many items listed", "l: [{k: a}, {k: b}, {k: c}, {k: d}, {k: e}, {k: f}, {k: g}, {k: h}, {k: i}, {k: j}, {k: k}]\n", "l[k=z]",
			`config/staging.values.yaml:1: l has no item [k=z]; its items' k values are: a, b, c, d, e, f, g, h, i, j, …`, true},
		{"empty file", "# nothing yet\n", "image.tag", `config/staging.values.yaml:1: the file is empty`, true},
		{"not YAML", "image: [\n", "image.tag", `config/staging.values.yaml is not valid YAML: yaml: line 1: did not find expected node content`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := Find([]byte(tt.data), mustKeyPath(t, tt.key), valuesPath)
			if err == nil {
				t.Fatalf("find = %q, want an error", n.Value)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got  %s\n want %s", err, tt.want)
			}
			var ke *KeyError
			if errors.As(err, &ke) != tt.keyError {
				t.Errorf("errors.As(*KeyError) = %v, want %v", !tt.keyError, tt.keyError)
			}
		})
	}
}
