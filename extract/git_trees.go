package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
)

// Attribution without per-commit diffs (FIELD-NOTES: ~450 s on a large
// history against ~36 s): commits are visited parents first, and each
// tree is read once per path it appears at. The first commit whose tree
// holds a blob at a path is the one that introduced that content there.

// blobUse is one place a blob was introduced: a path, by a commit.
type blobUse struct {
	path   int32 // index into attribution.paths
	commit int32 // index into commitSet.list
	// base is the blob the commit's first parent had at path (an index
	// into attribution.blobs), introduced there before; -1 if none.
	base int32
}

// blobUses is a blob with every path it was introduced at, in order.
type blobUses struct {
	hash plumbing.Hash
	uses []blobUse
}

type objectAtPath struct {
	hash plumbing.Hash
	path int32
}

// attribution maps blobs to where and by whom they were introduced.
type attribution struct {
	paths   []string
	pathIDs map[string]int32
	seen    map[objectAtPath]struct{} // trees and blobs already visited at a path
	index   map[plumbing.Hash]int     // blob -> position in blobs
	blobs   []blobUses                // in order of introduction
	known   map[plumbing.Hash]bool    // blobs in boundary trees (before a range)
	buf     []byte
	broken  map[plumbing.Hash]bool // unreadable trees, reported once
}

// newAttribution sizes its maps for blobs introduced at about n places,
// so that building them does not grow them again and again.
func newAttribution(n int) *attribution {
	a := &attribution{pathIDs: map[string]int32{}, seen: make(map[objectAtPath]struct{}, n),
		index: make(map[plumbing.Hash]int, n), blobs: make([]blobUses, 0, n),
		known: map[plumbing.Hash]bool{}, broken: map[plumbing.Hash]bool{}}
	a.pathID("")
	return a
}

func (a *attribution) pathID(p string) int32 {
	if id, ok := a.pathIDs[p]; ok {
		return id
	}
	id := int32(len(a.paths))
	a.paths = append(a.paths, p)
	a.pathIDs[p] = id
	return id
}

// maxTreeDepth bounds nesting: a hostile repository can hold trees
// thousands of levels deep.
const maxTreeDepth = 512

// visit walks the tree of a commit, recording blobs first seen at a path
// for commit (when record; boundary trees are only marked as known).
func (a *attribution) visit(r *gitRepo, tree plumbing.Hash, commit int32, record bool, warn func(error)) {
	a.walk(r, tree, 0, commit, record, 0, warn)
}

func (a *attribution) walk(r *gitRepo, tree plumbing.Hash, dir, commit int32, record bool, depth int, warn func(error)) {
	key := objectAtPath{tree, dir}
	if _, ok := a.seen[key]; ok {
		return
	}
	a.seen[key] = struct{}{}
	if depth > maxTreeDepth {
		warn(fmt.Errorf("tree %s: nested more than %d levels; the rest was not scanned", tree, maxTreeDepth))
		return
	}
	data, err := r.readTree(tree, a.buf[:0])
	a.buf = data
	if err != nil {
		if !a.broken[tree] {
			a.broken[tree] = true
			warn(fmt.Errorf("tree %s at %q: %v; the files in it were not scanned", tree, a.paths[dir], err))
		}
		return
	}
	// data is reused by the next read: collect subtrees first.
	type sub struct {
		hash plumbing.Hash
		path int32
	}
	var subs []sub
	err = parseTree(data, func(mode, name []byte, h plumbing.Hash) {
		switch treeEntryKind(mode) {
		case entryTree:
			subs = append(subs, sub{h, a.pathID(a.join(dir, name))})
		case entryBlob:
			path := a.pathID(a.join(dir, name))
			k := objectAtPath{h, path}
			if _, ok := a.seen[k]; ok {
				return
			}
			a.seen[k] = struct{}{}
			if record {
				a.use(h, blobUse{path: path, commit: commit, base: -1})
			} else {
				a.known[h] = true
			}
		}
	})
	if err != nil {
		warn(fmt.Errorf("tree %s at %q is corrupt: %v; part of it was not scanned", tree, a.paths[dir], err))
	}
	for _, s := range subs {
		a.walk(r, s.hash, s.path, commit, record, depth+1, warn)
	}
}

func (a *attribution) use(h plumbing.Hash, u blobUse) {
	if i, ok := a.index[h]; ok {
		a.blobs[i].uses = append(a.blobs[i].uses, u)
		return
	}
	a.index[h] = len(a.blobs)
	a.blobs = append(a.blobs, blobUses{hash: h, uses: []blobUse{u}})
}

func (a *attribution) join(dir int32, name []byte) string {
	if dir == 0 {
		return string(name)
	}
	return a.paths[dir] + "/" + string(name)
}

// readTree reads a raw tree object into buf.
func (r *gitRepo) readTree(h plumbing.Hash, buf []byte) ([]byte, error) {
	obj, err := r.storage.EncodedObject(plumbing.TreeObject, h)
	if err != nil {
		return buf, objectError(h, err)
	}
	rd, err := obj.Reader()
	if err != nil {
		return buf, err
	}
	defer rd.Close()
	b := bytes.NewBuffer(buf)
	_, err = io.Copy(b, rd)
	return b.Bytes(), err
}

type entryKind int

const (
	entryOther entryKind = iota // submodules: another repository's commit
	entryTree
	entryBlob // files, executables and symlinks
)

func treeEntryKind(mode []byte) entryKind {
	switch string(mode) {
	case "40000", "040000":
		return entryTree
	case "160000":
		return entryOther
	}
	return entryBlob
}

var errTreeTruncated = errors.New("entry runs past the end")

// parseTree reads a raw tree object: entries of "mode name\0" and a
// 20-byte hash.
func parseTree(data []byte, fn func(mode, name []byte, h plumbing.Hash)) error {
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		nul := bytes.IndexByte(data, 0)
		if sp < 0 || nul < sp || nul+21 > len(data) {
			return errTreeTruncated
		}
		var h plumbing.Hash
		copy(h[:], data[nul+1:nul+21])
		fn(data[:sp], data[sp+1:nul], h)
		data = data[nul+21:]
	}
	return nil
}

// blobAt finds the blob at path in tree.
func (r *gitRepo) blobAt(tree plumbing.Hash, path string) (plumbing.Hash, bool) {
	var buf []byte
	for depth := 0; depth <= maxTreeDepth; depth++ {
		name, rest, isDir := strings.Cut(path, "/")
		data, err := r.readTree(tree, buf[:0])
		if err != nil {
			return plumbing.ZeroHash, false
		}
		buf = data
		var found plumbing.Hash
		var kind entryKind
		parseTree(data, func(mode, n []byte, h plumbing.Hash) {
			if string(n) == name {
				found, kind = h, treeEntryKind(mode)
			}
		})
		switch {
		case found.IsZero():
			return plumbing.ZeroHash, false
		case !isDir:
			return found, kind == entryBlob
		case kind != entryTree:
			return plumbing.ZeroHash, false
		}
		tree, path = found, rest
	}
	return plumbing.ZeroHash, false
}
