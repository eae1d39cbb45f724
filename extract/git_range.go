package extract

import (
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
