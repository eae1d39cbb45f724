package extract

import (
	"bytes"
	"hash/maphash"
	"sort"

	"github.com/go-git/go-git/v5/plumbing"
)

// Rename detection for staged files, bounded so a pre-commit hook stays
// fast: at most maxRenameCandidates deleted files are compared, each read
// up to maxRenameBytes.
const (
	maxRenameCandidates = 100
	maxRenameBytes      = 1 << 20
	minRenameSimilarity = 0.5 // git's default for rename detection
)

// pairRenames drops new files that have the content of a deleted file
// (moved unchanged: nothing is added; copies, whose source is still
// there, stay), and pairs each other new file with the deleted file it
// shares most lines with, if that is at least half, so that only the
// lines an edited move adds are reported. head and entries may leave
// out directories that are the same in both: nothing there is deleted.
func (r *gitRepo) pairRenames(files []stagedFile, entries []indexEntry, head map[string]plumbing.Hash) []stagedFile {
	staged := map[string]bool{}
	for _, en := range entries {
		staged[en.path] = true
	}
	var deleted []string
	moved := map[plumbing.Hash]int{} // deleted files by content, each the source of one move
	for p, h := range head {
		if !staged[p] {
			deleted = append(deleted, p)
			moved[h]++
		}
	}
	sort.Strings(deleted) // so that ties in similarity go the same way every run
	out := files[:0]
	var candidates []lineSet
	for _, f := range files {
		if f.old.IsZero() && moved[f.hash] > 0 {
			moved[f.hash]--
			continue
		}
		if f.old.IsZero() && len(deleted) > 0 && len(deleted) <= maxRenameCandidates {
			if candidates == nil {
				candidates = r.lineSets(deleted, head)
			}
			if from, ok := r.renameSource(f.hash, candidates); ok {
				f.old = head[from]
			}
		}
		out = append(out, f)
	}
	return out
}

// lineSet is a file's lines as hashes, for similarity.
type lineSet struct {
	path  string
	lines map[uint64]int
	n     int
}

var lineSeed = maphash.MakeSeed()

func (r *gitRepo) lineSets(paths []string, head map[string]plumbing.Hash) []lineSet {
	var out []lineSet
	for _, p := range paths {
		data, _, err := r.blob(head[p], maxRenameBytes)
		if err == nil {
			out = append(out, newLineSet(p, data))
		}
	}
	return out
}

func newLineSet(path string, data []byte) lineSet {
	s := lineSet{path: path, lines: map[uint64]int{}}
	for _, line := range bytes.Split(data, []byte{'\n'}) {
		s.lines[maphash.Bytes(lineSeed, line)]++
		s.n++
	}
	return s
}

// renameSource returns the candidate most similar to blob h.
func (r *gitRepo) renameSource(h plumbing.Hash, candidates []lineSet) (string, bool) {
	data, _, err := r.blob(h, maxRenameBytes)
	if err != nil {
		return "", false
	}
	added := newLineSet("", data)
	best, bestScore := "", minRenameSimilarity
	for _, c := range candidates {
		common := 0
		for k, n := range added.lines {
			common += min(n, c.lines[k])
		}
		if score := float64(common) / float64(max(added.n, c.n)); score >= bestScore {
			best, bestScore = c.path, score
		}
	}
	return best, best != ""
}
