package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// SignatureHeader carries GitHub's HMAC-SHA256 of the body.
const SignatureHeader = "X-Hub-Signature-256"

// Verify reports whether header is the HMAC-SHA256 of body under secret,
// in GitHub's "sha256=<hex>" form. The comparison takes constant time.
func Verify(secret, body []byte, header string) bool {
	got, ok := parseSignature(header)
	return ok && hmac.Equal(got, Sign(secret, body))
}

// parseSignature reads the raw HMAC from a "sha256=<hex>" header.
func parseSignature(header string) ([]byte, bool) {
	hexSig, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return nil, false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil || len(got) != sha256.Size {
		return nil, false
	}
	return got, true
}

// Sign computes the raw HMAC-SHA256 of body under secret.
func Sign(secret, body []byte) []byte {
	mac := hmac.New(sha256.New, secret)
	mac.Write(body)
	return mac.Sum(nil)
}

// SignatureFor returns the header value GitHub would send for body; tests
// and tools use it to sign deliveries.
func SignatureFor(secret, body []byte) string {
	return "sha256=" + hex.EncodeToString(Sign(secret, body))
}
