package extract

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// File is a regular file found under a target.
type File struct {
	Origin Origin
	Path   string // on disk
	Size   int64
}

// Walk calls fn for every regular file of target in lexical order: the
// target itself when it is a file, every file below it when it is a
// directory. It skips .git directories, never follows a symlink (what a
// link inside the tree points to is scanned where it lives; one pointing
// out of the tree or into a loop is not followed), and never opens FIFOs
// or devices. Problems with single entries go to warn; the walk goes on.
func Walk(ctx context.Context, target string, warn func(Warning), fn func(File)) error {
	st, err := os.Stat(target)
	if err != nil {
		return cleanPathError(err)
	}
	if !st.IsDir() {
		if !st.Mode().IsRegular() {
			return errors.New("not a regular file or directory")
		}
		fn(File{Origin: Origin{Target: target}, Path: target, Size: st.Size()})
		return nil
	}
	return walkDir(ctx, target, "", warn, fn)
}

func walkDir(ctx context.Context, root, rel string, warn func(Warning), fn func(File)) error {
	dir := filepath.Join(root, filepath.FromSlash(rel))
	entries, err := os.ReadDir(dir)
	if err != nil { // what it holds could not be scanned: an error for the run
		warn(Warning{Origin: Origin{Target: root, Dir: true, Path: rel}, Err: cleanPathError(err), Fatal: true})
		return nil
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := e.Name()
		childRel := name
		if rel != "" {
			childRel = rel + "/" + name
		}
		switch t := e.Type(); {
		case t.IsDir():
			if name == ".git" {
				continue
			}
			if err := walkDir(ctx, root, childRel, warn, fn); err != nil {
				return err
			}
		case t.IsRegular():
			info, err := e.Info()
			if err != nil {
				if !errors.Is(err, fs.ErrNotExist) { // vanished since listed: nothing to scan
					warn(Warning{Origin: Origin{Target: root, Dir: true, Path: childRel}, Err: cleanPathError(err)})
				}
				continue
			}
			fn(File{Origin: Origin{Target: root, Dir: true, Path: childRel}, Path: filepath.Join(dir, name), Size: info.Size()})
		}
		// Symlinks, FIFOs, sockets and devices are not opened.
	}
	return nil
}
