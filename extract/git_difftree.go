package extract

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os/exec"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
)

// attributeByDiffTree builds the same attribution as visiting every tree,
// from `git diff-tree -r -c --root` over the commits (about 3x faster on a
// synthetic 20k-commit history). A commit introduces a blob at a path
// exactly when no parent has it there, which is what the diff (combined,
// for merges: paths differing from every parent) lists; the first commit
// in list order to list a pair is the one the tree walk would find. Any
// failure of git returns an error and the caller walks the trees instead.
//
// Long histories are cut into contiguous runs of commits, one git
// process each, read at once and applied in order.
func attributeByDiffTree(ctx context.Context, dir string, list []*gitCommit) (*attribution, error) {
	if GitExecutable == "" {
		return nil, errors.New("no git executable")
	}
	index := make(map[plumbing.Hash]int32, len(list))
	for i, c := range list {
		index[c.hash] = int32(i)
	}
	parts := max(1, min(maxReaders, len(list)/minDiffTreeRun))
	changes := make([][]treeChange, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for k := range parts {
		run := list[k*len(list)/parts : (k+1)*len(list)/parts]
		wg.Go(func() { changes[k], errs[k] = diffTree(ctx, dir, run, index) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	a := newAttribution()
	for _, run := range changes {
		for _, c := range run {
			a.change(c)
		}
	}
	return a, nil
}

// minDiffTreeRun is the fewest commits worth a git process of their own
// (a variable for tests).
var minDiffTreeRun = 2000

// treeChange is a blob a commit lists at a path, and what the first
// parent had there.
type treeChange struct {
	commit    int32
	path      string
	blob, old plumbing.Hash
	oldIsFile bool // not a submodule's commit, nor nothing
}

// change records a blob introduced at a path.
func (a *attribution) change(c treeChange) {
	p := a.pathID(c.path)
	k := objectAtPath{c.blob, p}
	if _, seen := a.seen[k]; seen {
		return
	}
	a.seen[k] = struct{}{}
	base := int32(-1)
	if c.oldIsFile {
		base = a.introducedAt(c.old, p)
	}
	a.use(c.blob, blobUse{path: p, commit: c.commit, base: base})
}

// diffTree lists the changes of a run of commits.
func diffTree(ctx context.Context, dir string, run []*gitCommit, index map[plumbing.Hash]int32) ([]treeChange, error) {
	cmd := exec.CommandContext(ctx, GitExecutable, "--git-dir="+dir, "diff-tree", "--stdin", "-r", "-c", "--root", "--no-abbrev", "--no-renames", "-z")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		w := bufio.NewWriter(stdin)
		for _, c := range run {
			w.WriteString(c.hash.String())
			w.WriteByte('\n')
		}
		w.Flush()
		stdin.Close()
	}()
	changes, perr := readDiffTree(bufio.NewReaderSize(stdout, 256<<10), index)
	if perr != nil {
		io.Copy(io.Discard, stdout)
	}
	if err := cmd.Wait(); err != nil {
		return nil, err
	}
	return changes, perr
}

var errDiffTreeFormat = errors.New("diff-tree: unexpected output")

// readDiffTree reads `diff-tree -z` records: a commit id, then for each
// path ":modes… shas… status", the path.
func readDiffTree(r *bufio.Reader, index map[plumbing.Hash]int32) ([]treeChange, error) {
	var changes []treeChange
	paths := map[string]string{} // one string per path
	commit := int32(-1)
	for {
		rec, err := r.ReadSlice(0)
		if err == io.EOF && len(rec) == 0 {
			return changes, nil
		}
		if err != nil {
			return nil, err
		}
		rec = rec[:len(rec)-1]
		if len(rec) == 0 {
			continue
		}
		if rec[0] != ':' {
			h, ok := parseHash(rec)
			i, known := index[h]
			if !ok || !known {
				return nil, errDiffTreeFormat
			}
			commit = i
			continue
		}
		parents := 0
		for parents < len(rec) && rec[parents] == ':' {
			parents++
		}
		// n parents: n+1 modes, n+1 hashes, the status; the result last.
		fields := bytes.Fields(rec[parents:])
		if commit < 0 || len(fields) != 2*parents+3 {
			return nil, errDiffTreeFormat
		}
		// All read before the path: ReadSlice reuses its buffer.
		isFile := treeEntryKind(fields[parents]) == entryBlob
		c := treeChange{commit: commit, oldIsFile: treeEntryKind(fields[0]) == entryBlob} // the first parent's
		var ok, oldOK bool
		c.blob, ok = parseHash(fields[2*parents+1])
		c.old, oldOK = parseHash(fields[parents+1])
		if !ok || !oldOK {
			return nil, errDiffTreeFormat
		}
		path, err := r.ReadSlice(0)
		if err != nil {
			return nil, errDiffTreeFormat
		}
		if c.blob.IsZero() || !isFile {
			continue // deleted, or a submodule's commit
		}
		path = path[:len(path)-1]
		if p, ok := paths[string(path)]; ok {
			c.path = p
		} else {
			c.path = string(path)
			paths[c.path] = c.path
		}
		changes = append(changes, c)
	}
}

func parseHash(b []byte) (plumbing.Hash, bool) {
	if len(b) != 40 {
		return plumbing.ZeroHash, false
	}
	h := plumbing.NewHash(string(b))
	return h, h.String() == string(b)
}

// introducedAt returns the index of blob h if it was introduced at path
// p, else -1.
func (a *attribution) introducedAt(h plumbing.Hash, p int32) int32 {
	i, ok := a.index[h]
	if !ok {
		return -1
	}
	for _, u := range a.blobs[i].uses {
		if u.path == p {
			return int32(i)
		}
	}
	return -1
}
