package extract

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/go-git/go-git/v5/storage/filesystem/dotgit"
)

// maxOpenPacks keeps pack files open between reads: without it go-git
// reopens the pack for every object (FIELD-NOTES: 6.3 s -> 1.3 s).
const maxOpenPacks = 64

// objectCacheSize is each handle's cache of inflated objects (go-git's
// default is 96 MiB, per handle: one per worker). History scans read
// blobs through git cat-file, so go-git mostly reads commits and trees.
const objectCacheSize = 16 * cache.MiByte

// gitRepo is one opened object database. go-git is not safe for concurrent
// use of one storage, even read-only: each goroutine opens its own.
type gitRepo struct {
	dir     string // the git directory (".git", or the bare repository)
	common  string // where shared refs, logs and objects live (dir unless a linked worktree)
	storage *filesystem.Storage
	// packs, when set, reads commits faster than storage (see commit).
	packs *packSet
	// shared makes the commits read share names and zones; not safe for
	// concurrent use, as go-git's storage is not.
	shared sharedValues
}

// findGitDir returns the git directory of the repository at path: path/.git
// (a directory, or a file saying "gitdir: …" for worktrees and
// submodules), or path itself when it is a bare repository.
func findGitDir(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", cleanPathError(err)
	}
	if !st.IsDir() {
		return "", errors.New("not a directory, so not a git repository")
	}
	dotGit := filepath.Join(path, ".git")
	if st, err := os.Stat(dotGit); err == nil {
		if st.IsDir() {
			return dotGit, nil
		}
		return gitDirFromFile(path, dotGit)
	}
	if isGitDir(path) {
		return path, nil
	}
	return "", errors.New("not a git repository (no .git here, and not a bare repository)")
}

// gitDirFromFile follows a ".git" file ("gitdir: ../.git/worktrees/x").
func gitDirFromFile(base, file string) (string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", cleanPathError(err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	dir, ok := strings.CutPrefix(strings.TrimSpace(line), "gitdir:")
	if !ok {
		return "", errors.New(".git is a file without a gitdir: line")
	}
	dir = strings.TrimSpace(dir)
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(base, dir)
	}
	if !isGitDir(dir) {
		return "", fmt.Errorf(".git points to %s, which is not a git directory", dir)
	}
	return dir, nil
}

func isGitDir(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, "HEAD")); err != nil {
		return false
	}
	if _, err := os.Stat(filepath.Join(dir, "objects")); err == nil {
		return true
	}
	_, err := os.Stat(filepath.Join(dir, "commondir")) // a linked worktree
	return err == nil
}

// openGitDir opens the object database of a git directory found by
// findGitDir, following "commondir" for linked worktrees.
func openGitDir(dir string) *gitRepo {
	var fs billy.Filesystem = osfs.New(dir)
	common := commonDir(dir)
	if common != dir {
		fs = dotgit.NewRepositoryFilesystem(fs, osfs.New(common))
	}
	s := filesystem.NewStorageWithOptions(fs, cache.NewObjectLRU(objectCacheSize), filesystem.Options{MaxOpenDescriptors: maxOpenPacks})
	return &gitRepo{dir: dir, common: common, storage: s}
}

func (r *gitRepo) close() { r.storage.Close() }

// commonDir is where a linked worktree's shared refs, logs, hooks and
// objects live; dir itself for other repositories.
func commonDir(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "commondir"))
	if err != nil {
		return dir
	}
	common := strings.TrimSpace(string(b))
	if !filepath.IsAbs(common) {
		common = filepath.Join(dir, common)
	}
	return common
}

// GitHooksDir returns the directory git runs the hooks of the repository
// at path from (shared by linked worktrees). core.hooksPath is not read.
func GitHooksDir(path string) (string, error) {
	dir, err := findGitDir(path)
	if err != nil {
		return "", err
	}
	return filepath.Join(commonDir(dir), "hooks"), nil
}
