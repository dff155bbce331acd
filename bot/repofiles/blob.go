package repofiles

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/imagebot/imagebot/checks/lock"
)

// TooLargeError is ReadFile's error for a file larger than lock.MaxSize, the
// most the checks read. A file whose size the tree listed is refused without
// a call; one whose size was not listed is refused as soon as its download
// outgrows the limit.
type TooLargeError struct {
	Path string
	Size int64 // in bytes; 0 when only known to exceed the limit
}

func (e *TooLargeError) Error() string {
	if e.Size > 0 {
		return fmt.Sprintf("%s is %d bytes, larger than the %d MiB imagebot reads", e.Path, e.Size, lock.MaxSize>>20)
	}
	return fmt.Sprintf("%s is larger than the %d MiB imagebot reads", e.Path, lock.MaxSize>>20)
}

// maxBlobResponse bounds the JSON of a blob of lock.MaxSize bytes: its
// base64 form, a newline (escaped as two bytes) after every 60 characters of
// it, as GitHub sends it, and the other fields, which take far less than
// 64 KiB.
const (
	maxBase64       = (lock.MaxSize + 2) / 3 * 4
	maxBlobResponse = maxBase64 + 2*(maxBase64/60+1) + 64<<10
)

// errResponseTooLarge stops a blob download at maxBlobResponse bytes.
var errResponseTooLarge = errors.New("response larger than a blob imagebot reads")

// blob returns a file's content: from the snapshot's memory, then the cache,
// then GitHub (one read, whose content is then cached); once the snapshot
// is sealed, from memory only. It refuses a blob larger than lock.MaxSize,
// before any call when e.Size says so.
func (r *reader) blob(e Entry) ([]byte, error) {
	if data, ok := r.blobs[e.SHA]; ok {
		return data, nil
	}
	if e.Size > lock.MaxSize {
		return nil, &TooLargeError{Path: e.Path, Size: e.Size}
	}
	if tl, ok := r.tooLarge[e.SHA]; ok {
		return nil, &TooLargeError{Path: e.Path, Size: tl.Size}
	}
	if r.sealed {
		return nil, fmt.Errorf("%s: %w", e.Path, ErrNotFetched)
	}
	data, ok, err := r.cache.Blob(r.ctx, e.SHA)
	if err != nil {
		return nil, fmt.Errorf("%s: blob %s from the cache: %w", e.Path, e.SHA, err)
	}
	if !ok {
		if data, err = r.fetchBlob(e); err != nil {
			return nil, err
		}
		if err := r.cache.PutBlob(r.ctx, e.SHA, data); err != nil {
			return nil, fmt.Errorf("%s: blob %s into the cache: %w", e.Path, e.SHA, err)
		}
	}
	r.blobs[e.SHA] = data
	return data, nil
}

// fetchBlob downloads a blob with GET /repos/{owner}/{repo}/git/blobs/{sha},
// reading at most maxBlobResponse bytes of the response, and checks that the
// content hashes to its id.
func (r *reader) fetchBlob(e Entry) ([]byte, error) {
	req, err := r.gh.NewRequest(http.MethodGet, fmt.Sprintf("repos/%v/%v/git/blobs/%v", r.owner, r.repo, e.SHA), nil)
	if err != nil {
		return nil, fmt.Errorf("%s: blob %s: %w", e.Path, e.SHA, err)
	}
	r.snap.Reads++
	body := &boundedBuffer{limit: maxBlobResponse}
	if _, err := r.gh.Do(r.ctx, req, body); err != nil {
		if errors.Is(err, errResponseTooLarge) {
			return nil, &TooLargeError{Path: e.Path}
		}
		return nil, fmt.Errorf("%s: blob %s: %w", e.Path, e.SHA, err)
	}
	var blob struct {
		Content  string `json:"content"`
		Encoding string `json:"encoding"`
		Size     int64  `json:"size"`
	}
	if err := json.Unmarshal(body.buf.Bytes(), &blob); err != nil {
		return nil, fmt.Errorf("%s: blob %s: %w", e.Path, e.SHA, err)
	}
	if blob.Size > lock.MaxSize {
		return nil, &TooLargeError{Path: e.Path, Size: blob.Size}
	}
	if blob.Encoding != "base64" {
		return nil, fmt.Errorf("%s: blob %s: encoding %q, want base64", e.Path, e.SHA, blob.Encoding)
	}
	data, err := base64.StdEncoding.DecodeString(blob.Content) // skips GitHub's newlines
	if err != nil {
		return nil, fmt.Errorf("%s: blob %s: %w", e.Path, e.SHA, err)
	}
	if id := blobID(data); id != e.SHA {
		return nil, fmt.Errorf("%s: blob %s: GitHub sent content whose id is %s", e.Path, e.SHA, id)
	}
	return data, nil
}

// blobID is git's object id of a blob.
func blobID(data []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(data))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// boundedBuffer collects a response body, failing with errResponseTooLarge
// once it would exceed limit bytes. It is only an io.Writer (not an
// io.ReaderFrom), so that io.Copy goes through Write.
type boundedBuffer struct {
	buf   bytes.Buffer
	limit int
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	if b.buf.Len()+len(p) > b.limit {
		return 0, errResponseTooLarge
	}
	return b.buf.Write(p)
}
