package joblog

import (
	"reflect"
	"testing"
)

func TestAttrs(t *testing.T) {
	for _, tt := range []struct {
		args string
		want []any
	}{
		{`{"installation_id": 42, "owner": "o", "repo": "r", "number": 9, "head_sha": "abc", "delivery": "d"}`,
			[]any{"delivery", "d", "installation", int64(42), "repo", "o/r", "pr", 9, "sha", "abc"}},
		{`{"repo": "o/r", "number": 3, "installation": 5}`, // a rollout poll: the repository as "owner/name"
			[]any{"installation", int64(5), "repo", "o/r", "pr", 3}},
		{`{"merge_sha": "def", "repo": "o/r"}`, []any{"repo", "o/r", "sha", "def"}},
		{`{}`, nil},  // a periodic job acts on nothing in particular
		{`[1]`, nil}, // not an object
	} {
		if got := Attrs([]byte(tt.args)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Attrs(%s) = %v, want %v", tt.args, got, tt.want)
		}
	}
}
