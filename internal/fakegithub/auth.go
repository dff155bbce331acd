package fakegithub

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// authenticate checks the Authorization header for the operation's path template, as
// GitHub does: /app and everything under /app/ take the App's JWT, a manifest conversion
// takes nothing, and every other operation takes an installation access token ("token X" or
// "Bearer X"). It returns the installation token the request carries, nil for the other
// two. Tokens do not expire in the fake.
func (s *Server) authenticate(r *http.Request, template string) (*installationToken, reply, bool) {
	if strings.HasPrefix(template, "/app-manifests/") {
		return nil, reply{}, true
	}
	scheme, credential, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if credential == "" {
		return nil, errorReply(http.StatusUnauthorized, "Requires authentication"), false
	}
	if template == "/app" || strings.HasPrefix(template, "/app/") {
		if !strings.EqualFold(scheme, "Bearer") {
			return nil, errorReply(http.StatusUnauthorized, "A JSON web token could not be decoded"), false
		}
		if problem := s.jwtProblem(credential); problem != "" {
			return nil, errorReply(http.StatusUnauthorized, problem), false
		}
		return nil, reply{}, true
	}
	if !strings.EqualFold(scheme, "token") && !strings.EqualFold(scheme, "Bearer") {
		return nil, errorReply(http.StatusUnauthorized, "Bad credentials"), false
	}
	tok := s.tokens[credential]
	if tok == nil {
		return nil, errorReply(http.StatusUnauthorized, "Bad credentials"), false
	}
	return tok, reply{}, true
}

// undecodableJWT is GitHub's message for a malformed App JWT.
const undecodableJWT = "A JSON web token could not be decoded"

// jwtProblem checks an App JWT (RS256, issuer equal to the App id, and, when WithAppKey was
// given, a valid signature) and returns GitHub's message for what is wrong, or "".
func (s *Server) jwtProblem(jwt string) string {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return undecodableJWT
	}
	var header struct {
		Alg string `json:"alg"`
	}
	var claims struct {
		Iss json.RawMessage `json:"iss"`
	}
	for i, dst := range []any{&header, &claims} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil || json.Unmarshal(raw, dst) != nil {
			return undecodableJWT
		}
	}
	if header.Alg != "RS256" {
		return undecodableJWT
	}
	if iss := strings.Trim(string(claims.Iss), `"`); iss != strconv.FormatInt(s.app.id, 10) {
		return fmt.Sprintf("'Issuer' claim ('iss') must be the App id %d, got %s", s.app.id, claims.Iss)
	}
	if s.app.key != nil {
		sig, err := base64.RawURLEncoding.DecodeString(parts[2])
		if err != nil {
			return undecodableJWT
		}
		digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
		if rsa.VerifyPKCS1v15(s.app.key, crypto.SHA256, digest[:], sig) != nil {
			return "'Signature' could not be verified with the App's public key"
		}
	}
	return ""
}

// repoAccess finds the repository of a /repos/{owner}/{repo} call and checks that the
// caller, holding tok, may use it: repositories are public, so any installation may read
// them, but only an installation with access may write.
func (s *Server) repoAccess(tok *installationToken, method, owner, name string) (*Repo, reply, bool) {
	repo := s.repos[repoKey(owner, name)]
	if repo == nil {
		return nil, errorReply(http.StatusNotFound, "Not Found"), false
	}
	if method == http.MethodGet || tok.covers(repo) {
		return repo, reply{}, true
	}
	return nil, errorReply(http.StatusForbidden, "Resource not accessible by integration"), false
}

// covers reports whether the token may write to repo.
func (t *installationToken) covers(repo *Repo) bool {
	if !t.inst.hasRepo(repo) {
		return false
	}
	return t.repos == nil || t.repos[repo]
}

// actor is the login a write is attributed to: the App's bot user.
func (s *Server) actor() string { return s.app.slug + "[bot]" }
