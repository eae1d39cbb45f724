package extract

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// StagedOptions control a pre-commit scan.
type StagedOptions struct {
	// IndexFile is the index to read instead of the repository's own:
	// git sets GIT_INDEX_FILE for hooks of `git commit -a` or
	// `git commit PATH`, which stage into a temporary index.
	IndexFile string
	Workers   int // 0 means one per CPU
}

// StagedStats count what a pre-commit scan read.
type StagedStats struct {
	Files int // staged files with content to scan
	Bytes int64
}

// stagedFile is one file the next commit would add or change, with the
// version it replaces (zero when new).
type stagedFile struct {
	path string
	hash plumbing.Hash
	old  plumbing.Hash
}

// Staged scans what is staged in the index of the repository at target,
// compared with HEAD, reporting only lines the commit would add: new files
// whole, changed files by their added lines (numbered as in the new file).
// Deletions add nothing. A file moved unchanged (its content is that of a
// deleted file) adds nothing; a copy (its source still there) is scanned
// whole like any new file, as `git diff --cached` shows it; a file moved
// and edited is compared with where it came from. It works before the
// first commit, when everything staged is new.
//
// Directories whose staged tree, as the index's cache tree records it,
// is HEAD's own hold nothing staged and are not read at all.
func (e *Extractor) Staged(ctx context.Context, target string, opts StagedOptions) (StagedStats, error) {
	dir, err := findGitDir(target)
	if err != nil {
		return StagedStats{}, err
	}
	r := openGitDir(dir)
	defer r.close()
	idx, err := r.index(opts.IndexFile)
	if err != nil {
		return StagedStats{}, err
	}
	head, same, err := r.headFiles(idx.trees)
	if err != nil {
		return StagedStats{}, err
	}
	entries := entriesOutside(idx.entries, same)
	files := stagedChanges(entries, head)
	files = r.pairRenames(files, entries, head)

	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(files))
	// One goroutine reads every blob through the one storage (go-git is
	// not safe for concurrent use, and each storage decodes the pack
	// index anew); the workers scan.
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		stats StagedStats
		next  = make(chan stagedContent)
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				n := e.stagedFile(ctx, target, c)
				mu.Lock()
				stats.Files++
				stats.Bytes += n
				mu.Unlock()
			}
		}()
	}
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		next <- r.stagedContent(f, e.opts.Limits.MaxFileSize)
	}
	close(next)
	wg.Wait()
	return stats, ctx.Err()
}

// stagedContent is a staged file's content and that of the version it
// replaces, read up to the file size limit.
type stagedContent struct {
	stagedFile
	data, oldData []byte
	size          int64 // of the whole staged blob
	err           error // reading the staged blob
	oldErr        error // reading the committed one
}

func (r *gitRepo) stagedContent(f stagedFile, max int64) stagedContent {
	c := stagedContent{stagedFile: f}
	c.data, c.size, c.err = r.blob(f.hash, max)
	if c.err == nil && !f.old.IsZero() {
		c.oldData, _, c.oldErr = r.blob(f.old, max)
	}
	return c
}

func (e *Extractor) stagedFile(ctx context.Context, target string, c stagedContent) int64 {
	origin := Origin{Target: target, Dir: true, Path: c.path}
	if c.err != nil {
		e.sink.Warn(Warning{Origin: origin, Err: c.err, Fatal: true})
		return 0
	}
	data := c.data
	if c.size > int64(len(data)) {
		e.sink.Warn(Warning{Origin: origin, Limit: "max-file-size",
			Err: fmt.Errorf("%d bytes, over the %d-byte limit; only the first %d scanned", c.size, len(data), len(data))})
	}
	var olds [][]byte
	switch {
	case c.oldErr != nil:
		e.sink.Warn(Warning{Origin: origin, Err: fmt.Errorf("committed version: %v; scanned the whole staged file", c.oldErr)})
	case !c.old.IsZero():
		olds = [][]byte{c.oldData}
	}
	tctx, cancel := targetContext(ctx, e.opts.Limits.TargetTimeout)
	defer cancel()
	e.added(tctx, origin, c.path, data, olds)
	return int64(len(data))
}

// index reads the repository's index, or file when set. A repository
// with nothing ever staged has no index file: nothing is staged.
func (r *gitRepo) index(file string) (*gitIndex, error) {
	name := file
	if name == "" {
		name = filepath.Join(r.dir, "index")
	}
	idx, err := readIndexFile(name)
	if file == "" && errors.Is(err, fs.ErrNotExist) {
		return &gitIndex{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the index %s: %v", name, err)
	}
	return idx, nil
}

// entriesOutside drops the entries below the directories in same.
func entriesOutside(entries []indexEntry, same map[string]bool) []indexEntry {
	if same[""] {
		return nil
	}
	if len(same) == 0 {
		return entries
	}
	var out []indexEntry
	skip := "\x00" // the directory of the last entry dropped, with a slash; no path starts so
	for _, en := range entries {
		if strings.HasPrefix(en.path, skip) {
			continue
		}
		if d, ok := sameAncestor(en.path, same); ok {
			skip = d + "/"
			continue
		}
		out = append(out, en)
	}
	return out
}

// sameAncestor returns the directory of path that is in same, if any.
func sameAncestor(path string, same map[string]bool) (string, bool) {
	for i := range len(path) {
		if path[i] == '/' && same[path[:i]] {
			return path[:i], true
		}
	}
	return "", false
}

// stagedChanges lists index entries whose content HEAD does not have at
// the same path. Conflicted entries (stages 1-3) and submodules are
// skipped: git refuses to commit the former, the latter are other
// repositories.
func stagedChanges(entries []indexEntry, head map[string]plumbing.Hash) []stagedFile {
	var out []stagedFile
	for _, en := range entries {
		if en.stage != 0 || en.mode == modeGitlink {
			continue
		}
		old, ok := head[en.path]
		if ok && old == en.hash {
			continue
		}
		out = append(out, stagedFile{path: en.path, hash: en.hash, old: old})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

// headFiles maps the files in HEAD's tree to their blobs, except below
// directories whose tree is the one staged (staged maps directories to
// their staged trees), which it returns: nothing there differs from HEAD.
// Both are empty when HEAD is unborn (no commit yet).
func (r *gitRepo) headFiles(staged map[string]plumbing.Hash) (files map[string]plumbing.Hash, same map[string]bool, err error) {
	files, same = map[string]plumbing.Hash{}, map[string]bool{}
	ref, err := storer.ResolveReference(r.storage, plumbing.HEAD)
	if err == plumbing.ErrReferenceNotFound {
		return files, same, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading HEAD: %v", err)
	}
	c, err := r.commit(ref.Hash())
	if err != nil {
		return nil, nil, fmt.Errorf("HEAD: %v", err)
	}
	l := headLister{r: r, staged: staged, files: files, same: same}
	return files, same, l.list(c.tree, "", 0)
}

type headLister struct {
	r      *gitRepo
	staged map[string]plumbing.Hash
	files  map[string]plumbing.Hash
	same   map[string]bool
}

// list adds the files below tree, the directory dir ("" for the root),
// to files, or dir to same when its tree is the staged one.
func (l *headLister) list(tree plumbing.Hash, dir string, depth int) error {
	if h, ok := l.staged[dir]; ok && h == tree {
		l.same[dir] = true
		return nil
	}
	if depth > maxTreeDepth {
		return fmt.Errorf("tree %s: nested more than %d levels", tree, maxTreeDepth)
	}
	data, err := l.r.readTree(tree, nil)
	if err != nil {
		return fmt.Errorf("HEAD's tree %s: %v", tree, err)
	}
	prefix := dir
	if dir != "" {
		prefix += "/"
	}
	var subs []plumbing.Hash
	var names []string
	err = parseTree(data, func(mode, name []byte, h plumbing.Hash) {
		switch treeEntryKind(mode) {
		case entryTree:
			subs = append(subs, h)
			names = append(names, prefix+string(name))
		case entryBlob:
			l.files[prefix+string(name)] = h
		}
	})
	if err != nil {
		return fmt.Errorf("HEAD's tree %s is corrupt: %v", tree, err)
	}
	for i, h := range subs {
		if err := l.list(h, names[i], depth+1); err != nil {
			return err
		}
	}
	return nil
}
