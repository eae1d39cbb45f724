package extract

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"sort"
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
	path    string
	hash    plumbing.Hash
	old     plumbing.Hash
	oldPath string
}

// Staged scans what is staged in the index of the repository at target,
// compared with HEAD, reporting only lines the commit would add: new files
// whole, changed files by their added lines (numbered as in the new file).
// Deletions add nothing; a file moved unchanged adds nothing; a file moved
// and edited is compared with where it came from. It works before the
// first commit, when everything staged is new.
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
	head, err := r.headFiles()
	if err != nil {
		return StagedStats{}, err
	}
	files := stagedChanges(idx, head)
	files = r.pairRenames(files, idx, head)

	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(files))
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		stats StagedStats
		next  = make(chan stagedFile)
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wr := openGitDir(dir)
			defer wr.close()
			for f := range next {
				n := e.stagedFile(ctx, wr, target, f)
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
		next <- f
	}
	close(next)
	wg.Wait()
	return stats, ctx.Err()
}

func (e *Extractor) stagedFile(ctx context.Context, r *gitRepo, target string, f stagedFile) int64 {
	origin := Origin{Target: target, Dir: true, Path: f.path}
	data, size, err := r.blob(f.hash, e.opts.Limits.MaxFileSize)
	if err != nil {
		e.sink.Warn(Warning{Origin: origin, Err: err, Fatal: true})
		return 0
	}
	if size > int64(len(data)) {
		e.sink.Warn(Warning{Origin: origin, Limit: "max-file-size",
			Err: fmt.Errorf("%d bytes, over the %d-byte limit; only the first %d scanned", size, len(data), len(data))})
	}
	var olds [][]byte
	if !f.old.IsZero() {
		old, _, err := r.blob(f.old, e.opts.Limits.MaxFileSize)
		if err != nil {
			e.sink.Warn(Warning{Origin: origin, Err: fmt.Errorf("committed version: %v; scanned the whole staged file", err)})
		} else {
			olds = [][]byte{old}
		}
	}
	tctx, cancel := targetContext(ctx, e.opts.Limits.TargetTimeout)
	defer cancel()
	e.added(tctx, origin, f.path, data, olds)
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

// stagedChanges lists index entries whose content HEAD does not have at
// the same path. Conflicted entries (stages 1-3) and submodules are
// skipped: git refuses to commit the former, the latter are other
// repositories.
func stagedChanges(idx *gitIndex, head map[string]plumbing.Hash) []stagedFile {
	var out []stagedFile
	for _, en := range idx.entries {
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

// headFiles maps every file in HEAD's tree to its blob; empty when HEAD
// is unborn (no commit yet).
func (r *gitRepo) headFiles() (map[string]plumbing.Hash, error) {
	files := map[string]plumbing.Hash{}
	ref, err := storer.ResolveReference(r.storage, plumbing.HEAD)
	if err == plumbing.ErrReferenceNotFound {
		return files, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading HEAD: %v", err)
	}
	c, err := r.commit(ref.Hash())
	if err != nil {
		return nil, fmt.Errorf("HEAD: %v", err)
	}
	return files, r.listFiles(c.tree, "", 0, files)
}

// listFiles adds every file below tree to files, by path.
func (r *gitRepo) listFiles(tree plumbing.Hash, prefix string, depth int, files map[string]plumbing.Hash) error {
	if depth > maxTreeDepth {
		return fmt.Errorf("tree %s: nested more than %d levels", tree, maxTreeDepth)
	}
	data, err := r.readTree(tree, nil)
	if err != nil {
		return fmt.Errorf("HEAD's tree %s: %v", tree, err)
	}
	var subs []plumbing.Hash
	var names []string
	err = parseTree(data, func(mode, name []byte, h plumbing.Hash) {
		switch treeEntryKind(mode) {
		case entryTree:
			subs = append(subs, h)
			names = append(names, prefix+string(name)+"/")
		case entryBlob:
			files[prefix+string(name)] = h
		}
	})
	if err != nil {
		return fmt.Errorf("HEAD's tree %s is corrupt: %v", tree, err)
	}
	for i, h := range subs {
		if err := r.listFiles(h, names[i], depth+1, files); err != nil {
			return err
		}
	}
	return nil
}
