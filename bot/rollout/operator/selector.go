package operator

import (
	"fmt"
	"regexp"
	"strings"
)

// Patterns of Kubernetes label selectors, as kubectl's -l reads them.
var (
	labelNamePattern   = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)$`)
	labelPrefixPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)
	setRequirement     = regexp.MustCompile(`^(\S+)\s+(in|notin)\s*\(([^()]*)\)$`)
	valueRequirement   = regexp.MustCompile(`^([^\s=!<>]+)\s*(==|=|!=|<|>)\s*(\S*)$`)
)

// validateSelector checks a label selector such as
// "component=singleuser-server,app!=test" or "tier in (a, b)": each
// comma-separated requirement is "key", "!key", "key=value", "key==value",
// "key!=value", "key in (values)", "key notin (values)", "key<n" or
// "key>n", with keys and values as Kubernetes allows them in labels.
func validateSelector(sel string) error {
	if strings.TrimSpace(sel) == "" {
		return fmt.Errorf("the selector is empty")
	}
	for _, req := range splitOutsideParens(sel) {
		req = strings.TrimSpace(req)
		var key string
		var values []string
		if m := setRequirement.FindStringSubmatch(req); m != nil {
			key, values = m[1], strings.Split(m[3], ",")
		} else if m := valueRequirement.FindStringSubmatch(req); m != nil {
			key, values = m[1], []string{m[3]}
		} else {
			key = strings.TrimPrefix(req, "!")
		}
		if err := validateLabelKey(key); err != nil {
			return fmt.Errorf("%q: %v", req, err)
		}
		for _, v := range values {
			if v = strings.TrimSpace(v); v != "" && !labelNamePattern.MatchString(v) {
				return fmt.Errorf("%q: %q is not a label value (up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)", req, v)
			}
		}
	}
	return nil
}

// validateLabelKey checks a label key: a name, optionally after a DNS
// subdomain prefix and "/".
func validateLabelKey(key string) error {
	name := key
	if prefix, rest, found := strings.Cut(key, "/"); found {
		if len(prefix) > 253 || !labelPrefixPattern.MatchString(prefix) {
			return fmt.Errorf("%q is not a label key prefix (a lower-case DNS subdomain)", prefix)
		}
		name = rest
	}
	if !labelNamePattern.MatchString(name) {
		return fmt.Errorf("%q is not a label key (up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)", key)
	}
	return nil
}

// splitOutsideParens splits a selector at the commas that are not inside
// a set's parentheses.
func splitOutsideParens(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}
