package fakegithub

import (
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
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

// FailAfterHandling makes the next times calls to operationID that reach their handler be
// carried out as usual (a create creates), and then answered status with a GitHub error
// body instead of the handler's answer: a GitHub that did the work but failed to say so.
// A later call replaces the pending fault; a times of 0 cancels it.
func (s *Server) FailAfterHandling(operationID string, times int, status int) {
	s.t.Helper()
	s.mustKnow(operationID)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.afterFaults[operationID] = &fault{remaining: times, status: status}
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

// Faults are failures injected at random into the calls made with an installation access
// token, as a GitHub under load answers them. The App's own /app calls are left alone.
type Faults struct {
	// ServerErrors is the share of calls answered with a 5xx (500, 502, 503 or 504). For
	// half of the writes among them, chosen at random, the fake first carries the write out,
	// as GitHub sometimes does before failing.
	ServerErrors float64
	// SecondaryLimits is the share of calls answered 403 with Retry-After and GitHub's
	// secondary rate limit message.
	SecondaryLimits float64
	// RetryAfter is the wait a secondary limit names, in whole seconds; default 1 s. Until it
	// has passed, every call of the same installation is answered 403 again, with the time
	// left, and marked DuringRateLimit.
	RetryAfter time.Duration
	// Seed makes the draws repeatable.
	Seed uint64
}

// randomFaults is InjectFaults' state.
type randomFaults struct {
	Faults
	rng *rand.Rand
}

// InjectFaults injects f into every later call; a zero Faults stops the injection (rate
// limits already given still run their course).
func (s *Server) InjectFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.ServerErrors == 0 && f.SecondaryLimits == 0 {
		s.random = nil
		return
	}
	if f.RetryAfter <= 0 {
		f.RetryAfter = time.Second
	}
	s.random = &randomFaults{Faults: f, rng: rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15))}
}

// CallsDuringRateLimit returns the calls that arrived before the Retry-After of an
// injected secondary rate limit of their installation had passed.
func (s *Server) CallsDuringRateLimit() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if c.DuringRateLimit {
			out = append(out, c)
		}
	}
	return out
}

// secondaryLimitMessage is GitHub's message for a secondary rate limit.
const secondaryLimitMessage = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."

// injectFault applies the operation's delay, then its pending fault if any, then the
// random faults. It fills in call's Installation. after, when not nil, is the answer to
// give in place of the handler's once the handler has run.
func (s *Server) injectFault(r *http.Request, template, opID string, call *Call) (rep reply, failed bool, after *reply) {
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
	call.Installation = s.tokenInstallation(r)
	if f := s.faults[opID]; f != nil && f.remaining > 0 {
		f.remaining--
		if f.remaining == 0 {
			delete(s.faults, opID)
		}
		rep := errorReply(f.status, http.StatusText(f.status))
		rep.header = f.header.Clone()
		rep.injected = true
		return rep, true, nil
	}
	if f := s.afterFaults[opID]; f != nil && f.remaining > 0 {
		f.remaining--
		if f.remaining == 0 {
			delete(s.afterFaults, opID)
		}
		rep := errorReply(f.status, http.StatusText(f.status))
		rep.injected = true
		return reply{}, false, &rep
	}
	if call.Installation == 0 || template == "/app" || strings.HasPrefix(template, "/app/") {
		return reply{}, false, nil
	}
	now := time.Now()
	if until := s.limitedUntil[call.Installation]; now.Before(until) {
		call.DuringRateLimit, call.RateLimited = true, true
		return s.secondaryLimit(call.Installation, until.Sub(now), now), true, nil
	}
	if s.random == nil {
		return reply{}, false, nil
	}
	switch draw := s.random.rng.Float64(); {
	case draw < s.random.SecondaryLimits:
		call.RateLimited = true
		return s.secondaryLimit(call.Installation, s.random.RetryAfter, now), true, nil
	case draw < s.random.SecondaryLimits+s.random.ServerErrors:
		statuses := []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout}
		status := statuses[s.random.rng.IntN(len(statuses))]
		rep := errorReply(status, http.StatusText(status))
		rep.injected = true
		if r.Method != http.MethodGet && r.Method != http.MethodHead && s.random.rng.IntN(2) == 0 {
			return reply{}, false, &rep
		}
		return rep, true, nil
	}
	return reply{}, false, nil
}

// secondaryLimit answers a secondary rate limit of installation, asking to wait wait
// (rounded up to whole seconds), and keeps it in force until then.
func (s *Server) secondaryLimit(installation int64, wait time.Duration, now time.Time) reply {
	seconds := int64(math.Ceil(wait.Seconds()))
	if until := now.Add(time.Duration(seconds) * time.Second); until.After(s.limitedUntil[installation]) {
		s.limitedUntil[installation] = until
	}
	rep := errorReply(http.StatusForbidden, secondaryLimitMessage)
	rep.header = http.Header{"Retry-After": {strconv.FormatInt(seconds, 10)}}
	rep.injected = true
	return rep
}

// tokenInstallation returns the installation of the access token r carries, 0 when it
// carries none the server minted. It runs with s.mu held.
func (s *Server) tokenInstallation(r *http.Request) int64 {
	_, credential, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if tok := s.tokens[credential]; tok != nil {
		return tok.inst.id
	}
	return 0
}
