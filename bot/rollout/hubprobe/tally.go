package hubprobe

// Tally is what an Observation says about one new image.
type Tally struct {
	// Live is true when at least one user server runs the new image.
	Live bool
	// New counts user servers that run the new image.
	New int
	// Old counts user servers that run any other digest; they move to the
	// new image only when their users restart them.
	Old int
	// Starting counts user servers whose image the runtime has not resolved
	// yet.
	Starting int
	// NodesWithNew counts nodes where a puller pulled the new image or a
	// user server runs it.
	NodesWithNew int
	// NodesTotal counts nodes with a puller or a user server.
	NodesTotal int
}

// Tally counts the servers and nodes on the new image and on others. isNew
// reports whether a digest is the new image's; it should accept both the
// index digest and the platform manifest digest, since a node may report
// either.
func (o Observation) Tally(isNew func(digest string) bool) Tally {
	var t Tally
	nodes := make(map[string]bool) // node name → holds the new image
	see := func(node string, isNewDigest bool) {
		if node != "" {
			nodes[node] = nodes[node] || isNewDigest
		}
	}
	for _, s := range o.Servers {
		switch {
		case s.Digest == "":
			t.Starting++
			see(s.Node, false)
		case isNew(s.Digest):
			t.New++
			see(s.Node, true)
		default:
			t.Old++
			see(s.Node, false)
		}
	}
	for _, p := range o.Pullers {
		see(p.Node, p.Digest != "" && isNew(p.Digest))
	}
	t.Live = t.New > 0
	t.NodesTotal = len(nodes)
	for _, hasNew := range nodes {
		if hasNew {
			t.NodesWithNew++
		}
	}
	return t
}
