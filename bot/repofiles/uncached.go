package repofiles

// Uncached reports how many files of the snapshot, and how many bytes, are
// neither in the cache nor read yet: what reading every file would fetch
// from GitHub. Blobs it finds in the cache are kept in memory for the
// ReadFile calls that follow, so asking costs no extra cache reads later.
// A symbolic link counts as its target, not as the file it leads to.
func (s *Snapshot) Uncached() (files int, bytes int64, err error) {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	seen := map[string]bool{}
	for _, t := range []*tree{s.base, s.head} {
		for _, e := range t.entries {
			if seen[e.SHA] {
				continue
			}
			seen[e.SHA] = true
			if _, ok := s.r.blobs[e.SHA]; ok {
				continue
			}
			data, ok, err := s.r.cache.Blob(s.r.ctx, e.SHA)
			if err != nil {
				return 0, 0, err
			}
			if ok {
				s.r.blobs[e.SHA] = data
				continue
			}
			files++
			bytes += e.Size
		}
	}
	return files, bytes, nil
}
