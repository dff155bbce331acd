package fakegithub

import (
	"net/http"
	"time"
)

// fault is a pending injected failure of one operation.
type fault struct {
	remaining int
	status    int
	header    http.Header
}

// Fail makes the next times calls to operationID (an operationId of GitHub's REST
// description, such as "checks/create") answer status with header and a GitHub error body,
// before authentication and without touching state. Typical faults are 502; 403 with
// X-RateLimit-Remaining: 0 and X-RateLimit-Reset; 429 with Retry-After. A later Fail for the
// same operation replaces the pending one, and a times of 0 cancels it. An operationID the
// description lacks fails t.
func (s *Server) Fail(operationID string, times int, status int, header http.Header) {
	s.t.Helper()
	s.mustKnow(operationID)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[operationID] = &fault{remaining: times, status: status, header: header.Clone()}
}

// Delay makes every later call to operationID wait d before it is answered (or until the
// client gives up); a d of 0 removes the delay. An operationID the description lacks fails t.
func (s *Server) Delay(operationID string, d time.Duration) {
	s.t.Helper()
	s.mustKnow(operationID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if d <= 0 {
		delete(s.delays, operationID)
		return
	}
	s.delays[operationID] = d
}

func (s *Server) mustKnow(operationID string) {
	s.t.Helper()
	if s.desc.operations[operationID] == nil {
		s.t.Fatalf("fakegithub: GitHub's REST description has no operation %q", operationID)
	}
}

// injectFault applies the operation's delay, then its pending fault if any.
func (s *Server) injectFault(r *http.Request, opID string) (reply, bool) {
	s.mu.Lock()
	d := s.delays[opID]
	s.mu.Unlock()
	if d > 0 {
		timer := time.NewTimer(d)
		select {
		case <-timer.C:
		case <-r.Context().Done():
			timer.Stop()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults[opID]
	if f == nil || f.remaining <= 0 {
		return reply{}, false
	}
	f.remaining--
	if f.remaining == 0 {
		delete(s.faults, opID)
	}
	rep := errorReply(f.status, http.StatusText(f.status))
	rep.header = f.header.Clone()
	rep.injected = true
	return rep, true
}
