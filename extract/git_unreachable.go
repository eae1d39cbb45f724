package extract

import (
	"fmt"

	"github.com/go-git/go-git/v5/plumbing"
)

// Objects no ref reaches: commits left by a reset or a dropped stash, and
// blobs that were added to the index but never committed. Dangling commits
// are walked like refs (so their blobs get a commit and a path); blobs
// that no commit reaches at all are scanned by hash.

// danglingCommits returns every commit in the object database that the
// walk from tips would not reach: the tips of unreachable history.
func (r *gitRepo) danglingCommits(tips []plumbing.Hash, warn func(error)) []plumbing.Hash {
	all := map[plumbing.Hash][]plumbing.Hash{} // commit -> parents
	err := r.eachObject(plumbing.CommitObject, func(h plumbing.Hash) {
		c, err := r.commit(h)
		if err != nil {
			warn(err)
			return
		}
		all[h] = c.parents
	})
	if err != nil {
		warn(fmt.Errorf("listing commits for --unreachable: %v", err))
	}
	// Everything reachable from the tips, or a parent of another commit,
	// is not a tip of its own.
	reached := map[plumbing.Hash]bool{}
	stack := append([]plumbing.Hash(nil), tips...)
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if reached[h] {
			continue
		}
		reached[h] = true
		stack = append(stack, all[h]...)
	}
	isParent := map[plumbing.Hash]bool{}
	for h, parents := range all {
		if !reached[h] {
			for _, p := range parents {
				isParent[p] = true
			}
		}
	}
	var out []plumbing.Hash
	for h := range all {
		if !reached[h] && !isParent[h] {
			out = append(out, h)
		}
	}
	sortHashes(out)
	return out
}

// orphanBlobs returns every blob no walked commit introduced.
func (r *gitRepo) orphanBlobs(att *attribution, warn func(error)) []plumbing.Hash {
	var out []plumbing.Hash
	err := r.eachObject(plumbing.BlobObject, func(h plumbing.Hash) {
		if _, ok := att.index[h]; !ok {
			out = append(out, h)
		}
	})
	if err != nil {
		warn(fmt.Errorf("listing blobs for --unreachable: %v", err))
	}
	sortHashes(out)
	return out
}

// eachObject calls fn for every object of type t, loose or packed.
func (r *gitRepo) eachObject(t plumbing.ObjectType, fn func(plumbing.Hash)) error {
	iter, err := r.storage.IterEncodedObjects(t)
	if err != nil {
		return err
	}
	defer iter.Close()
	return iter.ForEach(func(o plumbing.EncodedObject) error {
		fn(o.Hash())
		return nil
	})
}
