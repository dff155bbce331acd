package fakegithub

import (
	"net/http"
	"net/url"
	"slices"
	"time"
)

// Call is one request the server received.
type Call struct {
	Method string
	// Path is the unescaped request path without the /api/v3 prefix, such as
	// /repos/o/r/contents/.github/imagebot.yml.
	Path  string
	Query url.Values
	// OperationID is the matched operation of GitHub's REST description, "" when none
	// matched.
	OperationID string
	// Status is the status code the server answered.
	Status int
	// Body is the request body as sent.
	Body []byte
	// At is when the request arrived.
	At time.Time
	// Installation is the installation whose access token the request
	// carried; 0 for the App's own calls and unauthenticated ones.
	Installation int64
	// RateLimited is set on an answer that is an injected secondary rate
	// limit (see InjectFaults), and on every call of its installation that
	// arrived before the rate limit's Retry-After had passed.
	RateLimited bool
	// DuringRateLimit is set on a call that arrived before the Retry-After of
	// an injected secondary rate limit of its installation had passed: a call
	// GitHub asks clients not to make.
	DuringRateLimit bool
}

// opCreateInstallationToken is the installation-token exchange, which Reads and Writes
// leave out and InstallationTokens counts.
const opCreateInstallationToken = "apps/create-installation-access-token"

// Calls returns every call answered since New or the last Reset, in the order the answers
// were given.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Reads returns the GET and HEAD calls, leaving out installation-token requests.
func (s *Server) Reads() []Call { return s.filterCalls(true) }

// Writes returns the calls with any other method, leaving out installation-token requests.
func (s *Server) Writes() []Call { return s.filterCalls(false) }

func (s *Server) filterCalls(reads bool) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if c.OperationID == opCreateInstallationToken {
			continue
		}
		if isRead := c.Method == http.MethodGet || c.Method == http.MethodHead; isRead == reads {
			out = append(out, c)
		}
	}
	return out
}

// InstallationTokens is the number of apps/create-installation-access-token calls since New
// or the last Reset, whatever their outcome.
func (s *Server) InstallationTokens() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenCalls
}

// Reset forgets the recorded calls and the installation-token count. State (repositories,
// comments, …), pending faults and delays stay.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
	s.tokenCalls = 0
}
