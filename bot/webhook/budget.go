package webhook

import (
	"errors"
	"hash"
	"io"
	"net/http"

	"golang.org/x/sync/semaphore"
)

// DefaultBodyBudget bounds the bytes that all request bodies being read or
// handled hold at once.
const DefaultBodyBudget = 64 << 20

// smallBody is the largest body that may use the whole budget; larger ones
// (and bodies of unknown length) share what the reserve leaves, so that
// big unsigned bodies cannot crowd out GitHub's usual few-kilobyte ones.
const smallBody = 1 << 20

// readChunk is how much of a body of unknown length is taken from the
// budget at a time.
const readChunk = 64 << 10

var (
	// errBusy means the budget has no room for the body now.
	errBusy = errors.New("the webhook body budget is full")
	// errTooLarge means the body is over MaxBody.
	errTooLarge = errors.New("payload larger than 25 MB")
)

// bodyBudget bounds the memory held by request bodies, most of all those not
// yet authenticated: a body is given room before a byte of it is read, and
// refused (never queued) when there is none. Bodies over smallBody draw on
// both all and large, so that a reserve of an eighth of the budget stays
// for small ones.
type bodyBudget struct {
	all, large *semaphore.Weighted
	total      int64
}

func newBodyBudget(total int64) *bodyBudget {
	return &bodyBudget{all: semaphore.NewWeighted(total), large: semaphore.NewWeighted(total - total/8), total: total}
}

// largeRoom is the most that large bodies may hold together.
func (b *bodyBudget) largeRoom() int64 { return b.total - b.total/8 }

// take reserves n bytes without waiting, and returns what releases them.
func (b *bodyBudget) take(n int64, large bool) (release func(), ok bool) {
	if large {
		if !b.large.TryAcquire(n) {
			return nil, false
		}
		if !b.all.TryAcquire(n) {
			b.large.Release(n)
			return nil, false
		}
		return func() { b.all.Release(n); b.large.Release(n) }, true
	}
	if !b.all.TryAcquire(n) {
		return nil, false
	}
	return func() { b.all.Release(n) }, true
}

// read reads r's body into memory within the budget, writing every byte to
// mac as it goes, so that the body is held once and its signature is known
// when the last byte arrives. A body with a Content-Length gets its room in
// one step before reading; one without (chunked) gets it a chunk at a time.
// release gives the room back; call it once the body is no longer needed.
func (b *bodyBudget) read(r *http.Request, mac hash.Hash) (body []byte, release func(), err error) {
	n := r.ContentLength
	if n > MaxBody {
		return nil, nil, errTooLarge
	}
	if n < 0 {
		return b.readChunked(r.Body, mac)
	}
	giveBack, ok := b.take(n, n > smallBody)
	if !ok {
		return nil, nil, errBusy
	}
	body, put := buffer(n)
	if _, err := io.ReadFull(io.TeeReader(r.Body, mac), body); err != nil {
		put()
		giveBack()
		return nil, nil, err
	}
	return body, func() { put(); giveBack() }, nil
}

// readChunked reads a body of unknown length in chunks, taking room for
// each (as a large body) before reading it, then joins them: room for the
// joined copy is taken too, and the chunks' room given back once it is made.
func (b *bodyBudget) readChunked(r io.Reader, mac hash.Hash) ([]byte, func(), error) {
	var chunks [][]byte
	var releases []func()
	releaseChunks := func() {
		for _, f := range releases {
			f()
		}
	}
	total := 0
	for {
		release, ok := b.take(readChunk, true)
		if !ok {
			releaseChunks()
			return nil, nil, errBusy
		}
		releases = append(releases, release)
		chunk := make([]byte, readChunk)
		n, err := io.ReadFull(r, chunk)
		mac.Write(chunk[:n])
		chunks = append(chunks, chunk[:n])
		total += n
		if total > MaxBody {
			releaseChunks()
			return nil, nil, errTooLarge
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			releaseChunks()
			return nil, nil, err
		}
	}
	release, ok := b.take(int64(total), total > smallBody)
	if !ok {
		releaseChunks()
		return nil, nil, errBusy
	}
	body := make([]byte, 0, total)
	for _, c := range chunks {
		body = append(body, c...)
	}
	releaseChunks()
	return body, release, nil
}
