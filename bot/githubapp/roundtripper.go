package githubapp

import "net/http"

// roundTripperFunc adapts a function to http.RoundTripper; the middleware
// of this package are built from it.
type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }
