package fakegithub

import "slices"

// SetPermission gives login a role on the repository: "admin", "maintain", "write",
// "triage" or "read" ("" removes it). The owner starts as admin.
func (r *Repo) SetPermission(login, role string) {
	r.s.t.Helper()
	if !slices.Contains([]string{"admin", "maintain", "write", "triage", "read", ""}, role) {
		r.s.t.Fatalf("fakegithub: unknown repository role %q", role)
	}
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	if role == "" {
		delete(r.roles, login)
		return
	}
	r.roles[login] = role
}

// getCollaboratorPermission reports a user's role with GitHub's legacy permission name
// (maintain reads as write, triage as read); a user without a role has "none".
func getCollaboratorPermission(s *Server, req *request) reply {
	login := req.params["username"]
	role := req.repo.roles[login]
	permission := map[string]string{"admin": "admin", "maintain": "write", "write": "write", "triage": "read", "read": "read", "": "none"}[role]
	rank := map[string]int{"read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}[role]
	user := s.userJSON(login)
	user["role_name"] = role
	user["permissions"] = object{
		"pull": rank >= 1, "triage": rank >= 2, "push": rank >= 3, "maintain": rank >= 4, "admin": rank >= 5,
	}
	return ok(object{"permission": permission, "role_name": role, "user": user})
}
