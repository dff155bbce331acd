package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"sync"
)

// bodies pools the buffers of bodies up to smallBody, so that the usual
// few-kilobyte delivery reuses one instead of allocating it. A buffer goes
// back to the pool only once its delivery is answered: nothing keeps a
// payload's bytes past its handlers (Fields clones its strings, and jobs
// are encoded at the commit).
var bodies = sync.Pool{New: func() any { return new([]byte) }}

// buffer returns a buffer of n bytes and what gives it back.
func buffer(n int64) (buf []byte, put func()) {
	if n > smallBody {
		return make([]byte, n), func() {}
	}
	p := bodies.Get().(*[]byte)
	if int64(cap(*p)) < n {
		*p = make([]byte, n)
	}
	return (*p)[:n], func() { bodies.Put(p) }
}

// macs pools the HMAC-SHA256 states keyed with one secret.
type macs struct{ pool sync.Pool }

func newMACs(secret []byte) *macs {
	m := &macs{}
	m.pool.New = func() any { return hmac.New(sha256.New, secret) }
	return m
}

// get returns a fresh HMAC state; put it back when done.
func (m *macs) get() hash.Hash {
	mac := m.pool.Get().(hash.Hash)
	mac.Reset()
	return mac
}

func (m *macs) put(mac hash.Hash) { m.pool.Put(mac) }
