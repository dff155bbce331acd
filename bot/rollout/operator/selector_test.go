package operator

import "testing"

func TestValidateSelector(t *testing.T) {
	tests := []struct {
		sel  string
		want string // "" when valid
	}{
		{"component=singleuser-server", ""},
		{"component==singleuser-server", ""},
		{"component=singleuser-server,hub.jupyter.org/network-access-hub=true", ""},
		{"app!=test, tier in (a, b), !legacy, release", ""},
		{"tier notin (a,b),env", ""},
		{"app.kubernetes.io/name=jupyterhub", ""},
		{"empty=", ""},
		{"", "the selector is empty"},
		{"  ", "the selector is empty"},
		{"component: singleuser-server", `"component: singleuser-server": "component: singleuser-server" is not a label key (up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)`},
		{"a=b,,c", `"": "" is not a label key (up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)`},
		{"a=b c", `"a=b c": "a=b c" is not a label key (up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)`},
		{"a=-b", `"a=-b": "-b" is not a label value (up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)`},
		{"tier in (a, b_)", `"tier in (a, b_)": "b_" is not a label value (up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)`},
		{"Example.com/a=b", `"Example.com/a=b": "Example.com" is not a label key prefix (a lower-case DNS subdomain)`},
		{"!a=b", `"!a=b": "a=b" is not a label key (up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)`},
	}
	for _, tt := range tests {
		err := validateSelector(tt.sel)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("validateSelector(%q)\n got  %q\n want %q", tt.sel, got, tt.want)
		}
	}
}
