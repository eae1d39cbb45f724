package extract

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// revisions turns a range into the commits to walk from and the commits
// whose history to leave out: "" is every ref; "A..B" is B but not A
// (either side defaults to HEAD, as in git); a single revision is its
// history.
func (r *gitRepo) revisions(spec string, warn func(error)) (include, exclude []plumbing.Hash, err error) {
	if spec == "" {
		include, err = r.tips(warn)
		return include, nil, err
	}
	if strings.Contains(spec, "...") {
		return nil, nil, fmt.Errorf("range %q: symmetric ranges (A...B) are not supported; use A..B", spec)
	}
	from, to, isRange := strings.Cut(spec, "..")
	if !isRange {
		from, to = "", spec
	}
	repo, err := git.Open(r.storage, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("range %q: %v", spec, err)
	}
	resolve := func(rev string) (plumbing.Hash, error) {
		if rev == "" {
			rev = "HEAD"
		}
		h, err := repo.ResolveRevision(plumbing.Revision(rev))
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("range %q: cannot resolve %q: %v", spec, rev, err)
		}
		c, err := r.peel(*h)
		if err == nil && c.IsZero() {
			err = errors.New("not a commit")
		}
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("range %q: %q: %v", spec, rev, err)
		}
		return c, nil
	}
	b, err := resolve(to)
	if err != nil {
		return nil, nil, err
	}
	include = []plumbing.Hash{b}
	if isRange {
		a, err := resolve(from)
		if err != nil {
			return nil, nil, err
		}
		exclude = []plumbing.Hash{a}
	}
	return include, exclude, nil
}

// introduced scans, for a range, what one blob added where it was first
// introduced: its lines that no parent had at that path. Content the
// range only moved or copied (the blob existed before, or earlier in the
// range at another path) adds nothing.
func (s *gitScan) introduced(ctx context.Context, r *gitRepo, b *blobUses) {
	if s.att.known[b.hash] {
		return
	}
	u := b.uses[0]
	c, path := s.set.list[u.commit], s.att.paths[u.path]
	origin := s.origin(c, path)
	max := s.e.opts.Limits.MaxFileSize
	var olds [][]byte
	for _, p := range c.parents {
		pc, err := r.commit(p)
		if err != nil {
			continue // reported by the walk
		}
		if h, ok := r.blobAt(pc.tree, path); ok {
			if old, _, err := r.blob(h, max); err == nil {
				olds = append(olds, old)
			}
		}
	}
	data, ok := s.read(r, gitWork{blob: b}, origin)
	if !ok {
		return
	}
	tctx, cancel := targetContext(ctx, s.e.opts.Limits.TargetTimeout)
	defer cancel()
	s.e.added(tctx, origin, path, data, olds)
}
