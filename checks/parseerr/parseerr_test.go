package parseerr

import "testing"

func TestError(t *testing.T) {
	tests := []struct {
		err  Error
		want string
	}{
		{Error{Path: "conda-lock.yml", Line: 3, Msg: "bad"}, "conda-lock.yml:3: bad"},
		{Error{Path: "uv.lock", Msg: "too large"}, "uv.lock: too large"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.err, got, tt.want)
		}
	}
}
