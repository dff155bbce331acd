package fakegithub

// AppCredentials are the secrets that apps/create-from-manifest hands out for a manifest
// code: what GitHub generates when an App is registered from a manifest.
type AppCredentials struct {
	ClientID      string
	ClientSecret  string
	WebhookSecret string
	PEM           string // the App's private key, PEM-encoded
}

// AddManifestCode makes code redeemable once at POST /app-manifests/{code}/conversions for
// the App (see WithApp) with creds. A code that was already added fails t.
func (s *Server) AddManifestCode(code string, creds AppCredentials) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.manifests[code]; dup {
		s.t.Fatalf("fakegithub: manifest code %q already added", code)
	}
	s.manifests[code] = creds
}

// createInstallationToken mints an installation access token, optionally restricted to
// some of the installation's repositories, that expires an hour after the server's clock.
func createInstallationToken(s *Server, req *request) reply {
	in := s.installations[intParam(req, "installation_id")]
	if in == nil {
		return notFound()
	}
	var body struct {
		Repositories  []string `json:"repositories"`
		RepositoryIDs []int64  `json:"repository_ids"`
	}
	if rep := decodeBody(req, &body); rep.failed() {
		return rep
	}
	var scope map[*Repo]bool
	if body.Repositories != nil || body.RepositoryIDs != nil {
		scope = map[*Repo]bool{}
		for _, name := range body.Repositories {
			r := s.repos[repoKey(in.account, name)]
			if r == nil || !in.hasRepo(r) {
				return validationFailed("There is at least one repository that does not exist or is not accessible to the parent installation.")
			}
			scope[r] = true
		}
		for _, id := range body.RepositoryIDs {
			var found *Repo
			for _, r := range in.repos {
				if r.id == id {
					found = r
				}
			}
			if found == nil {
				return validationFailed("There is at least one repository that does not exist or is not accessible to the parent installation.")
			}
			scope[found] = true
		}
	}
	tok, it := s.mintToken(in, scope)
	out := object{
		"token":                tok,
		"expires_at":           ts(it.expires),
		"permissions":          installationPermissions,
		"repository_selection": "selected",
	}
	if scope != nil {
		var repos []object
		for _, r := range in.repos {
			if scope[r] {
				repos = append(repos, s.repoJSON(r))
			}
		}
		out["repositories"] = repos
	}
	return created(out)
}

func getInstallation(s *Server, req *request) reply {
	in := s.installations[intParam(req, "installation_id")]
	if in == nil {
		return notFound()
	}
	return ok(s.installationJSON(in))
}

// createFromManifest redeems a manifest code once.
func createFromManifest(s *Server, req *request) reply {
	code := req.params["code"]
	creds, found := s.manifests[code]
	if !found {
		return notFound()
	}
	delete(s.manifests, code)
	out := s.appJSON(s.app.id)
	out["client_id"] = creds.ClientID
	out["client_secret"] = creds.ClientSecret
	out["webhook_secret"] = creds.WebhookSecret
	out["pem"] = creds.PEM
	return created(out)
}
