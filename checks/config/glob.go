package config

import (
	"fmt"
	"path"
	"strings"
)

// ValidateGlob reports whether a glob is well formed: path.Match syntax
// per segment, with "**" standing for any number of whole segments.
func ValidateGlob(glob string) error {
	if glob == "" || strings.HasPrefix(glob, "/") {
		return fmt.Errorf("%q must be a non-empty path relative to the repository root", glob)
	}
	if strings.Count(glob, "**") > 2 {
		return fmt.Errorf("%q uses \"**\" more than twice", glob)
	}
	for _, seg := range strings.Split(glob, "/") {
		if seg == "**" {
			continue
		}
		if strings.Contains(seg, "**") {
			return fmt.Errorf("%q: \"**\" must be a whole path segment", glob)
		}
		if _, err := path.Match(seg, ""); err != nil {
			return fmt.Errorf("%q is not a valid glob: %v", glob, err)
		}
	}
	return nil
}

// MatchGlob matches a slash-separated path against a glob whose segments
// use path.Match syntax and where "**" matches zero or more segments.
func MatchGlob(glob, name string) bool {
	return matchSegments(strings.Split(glob, "/"), strings.Split(name, "/"))
}

func matchSegments(glob, name []string) bool {
	for len(glob) > 0 {
		if glob[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchSegments(glob[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(glob[0], name[0]); !ok {
			return false
		}
		glob, name = glob[1:], name[1:]
	}
	return len(name) == 0
}
