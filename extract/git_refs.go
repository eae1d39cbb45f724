package extract

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// maxTagChain bounds tags of tags of tags.
const maxTagChain = 16

// tips returns the commits every ref points to: branches, tags (peeled),
// remotes, HEAD, and every stash entry (older entries live only in the
// stash's reflog). Refs that cannot be resolved are reported and skipped.
func (r *gitRepo) tips(warn func(error)) ([]plumbing.Hash, error) {
	iter, err := r.storage.IterReferences()
	if err != nil {
		return nil, fmt.Errorf("reading refs: %v", err)
	}
	var out []plumbing.Hash
	seen := map[plumbing.Hash]bool{}
	add := func(name string, h plumbing.Hash) {
		c, err := r.peel(h)
		switch {
		case err != nil:
			warn(fmt.Errorf("ref %s: %v; skipped", name, err))
		case !c.IsZero() && !seen[c]:
			seen[c] = true
			out = append(out, c)
		}
	}
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		if ref.Type() == plumbing.SymbolicReference {
			// HEAD -> refs/heads/x is listed under its own name; an unborn
			// branch resolves to nothing, which is not a problem.
			if res, err := storer.ResolveReference(r.storage, ref.Name()); err == nil {
				add(ref.Name().String(), res.Hash())
			}
			return nil
		}
		add(ref.Name().String(), ref.Hash())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading refs: %v", err)
	}
	if head, err := r.storage.Reference(plumbing.HEAD); err == nil && head.Type() == plumbing.HashReference {
		add("HEAD", head.Hash()) // detached
	}
	stash := r.stashEntries()
	for i, h := range stash {
		add(fmt.Sprintf("stash@{%d}", len(stash)-1-i), h)
	}
	sortHashes(out)
	return out, nil
}

// sortHashes gives walks a deterministic starting order.
func sortHashes(hs []plumbing.Hash) {
	slices.SortFunc(hs, func(a, b plumbing.Hash) int { return bytes.Compare(a[:], b[:]) })
}

// peel follows annotated tags to what they point at. It returns the zero
// hash for a tag of a tree or blob (not a commit: nothing to attribute).
func (r *gitRepo) peel(h plumbing.Hash) (plumbing.Hash, error) {
	for range maxTagChain {
		if kind, data, ok := r.packs.object(h, maxCommitSize); ok {
			switch kind {
			case packCommit:
				return h, nil
			case packTree, packBlob:
				return plumbing.ZeroHash, nil
			}
			// A tag's first header names its target.
			if line, _, _ := bytes.Cut(data, []byte{'\n'}); kind == packTag && len(line) == 47 && bytes.HasPrefix(line, []byte("object ")) && plumbing.IsHash(string(line[7:])) {
				h = plumbing.NewHash(string(line[7:]))
				continue
			}
		}
		obj, err := r.storage.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return plumbing.ZeroHash, objectError(h, err)
		}
		switch obj.Type() {
		case plumbing.CommitObject:
			return h, nil
		case plumbing.TagObject:
			tag, err := object.DecodeTag(r.storage, obj)
			if err != nil {
				return plumbing.ZeroHash, fmt.Errorf("tag %s: %v", h, err)
			}
			h = tag.Target
		default:
			return plumbing.ZeroHash, nil
		}
	}
	return plumbing.ZeroHash, errors.New("tag chain too long")
}

// stashEntries reads the stash reflog: one "old new who when\tmessage"
// line per entry, newest last.
func (r *gitRepo) stashEntries() []plumbing.Hash {
	f, err := os.Open(filepath.Join(r.common, "logs", "refs", "stash"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []plumbing.Hash
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && plumbing.IsHash(fields[1]) {
			out = append(out, plumbing.NewHash(fields[1]))
		}
	}
	return out
}

// shallowCommits lists the commits whose parents a shallow clone lacks.
func (r *gitRepo) shallowCommits() map[plumbing.Hash]bool {
	b, err := os.ReadFile(filepath.Join(r.common, "shallow"))
	if err != nil {
		return nil
	}
	out := map[plumbing.Hash]bool{}
	for _, line := range strings.Fields(string(b)) {
		if plumbing.IsHash(line) {
			out[plumbing.NewHash(line)] = true
		}
	}
	return out
}

// objectError says what is wrong with an object without quoting it.
func objectError(h plumbing.Hash, err error) error {
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return fmt.Errorf("object %s is missing", h)
	}
	return fmt.Errorf("object %s: %v", h, err)
}
