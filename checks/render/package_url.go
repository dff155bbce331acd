package render

import (
	"net/url"
	"strings"
)

// packageURL links a package's public page: anaconda.org for conda
// packages (in the channel their URL names), PyPI for PyPI packages.
func packageURL(manager, name, pkgURL string) string {
	if manager == "pypi" {
		return "https://pypi.org/project/" + pathEscape(name) + "/"
	}
	channel := "conda-forge"
	if u, err := url.Parse(pkgURL); err == nil && (u.Host == "conda.anaconda.org" || u.Host == "anaconda.org") {
		if segs := strings.Split(strings.Trim(u.Path, "/"), "/"); len(segs) >= 3 && segs[0] != "" {
			channel = segs[0]
		}
	}
	return "https://anaconda.org/" + pathEscape(channel) + "/" + pathEscape(name)
}

// pathEscape escapes a URL path segment, "@" included, so that nothing in
// a link reads as a mention.
func pathEscape(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), "@", "%40")
}
