package extract_test

import (
	"strings"
	"testing"

	"github.com/keyholesec/keyhole/extract"
)

func TestGitRangeExcludesOlderSecret(t *testing.T) {
	r := newTestRepo(t)
	s1, s2, s3, s4 := token(30), token(31), token(32), token(33)
	c1 := r.commit("old secret", map[string]string{"a.txt": "A=" + s1 + "\n"})
	c2 := r.commit("add b", map[string]string{"a.txt": "A=" + s1 + "\n", "b.txt": "B=" + s2 + "\n"}, c1)
	// c3 edits a.txt (which still holds s1), adds s3 to it, and moves b.txt.
	c3 := r.commit("edit a\n\nmessage with "+s4, map[string]string{"a.txt": "# a\nA=" + s1 + "\nC=" + s3 + "\n", "moved/b.txt": "B=" + s2 + "\n"}, c2)
	r.branch("main", c3)

	expectFindings(t, scanHistory(t, r.dir, extract.GitOptions{Range: c1.String() + ".." + c3.String()}),
		where{"b.txt", c2.String(), s2, 1},
		where{"a.txt", c3.String(), s3, 3},
		where{extract.CommitMessagePath, c3.String(), s4, 3})
	// "A.." means A..HEAD; HEAD is refs/heads/master in a new repository.
	r.branch("master", c3)
	expectFindings(t, scanHistory(t, r.dir, extract.GitOptions{Range: c2.String() + ".."}),
		where{"a.txt", c3.String(), s3, 3},
		where{extract.CommitMessagePath, c3.String(), s4, 3})
	// A single revision is its whole history.
	expectFindings(t, scanHistory(t, r.dir, extract.GitOptions{Range: c2.String()}),
		where{"a.txt", c1.String(), s1, 1},
		where{"b.txt", c2.String(), s2, 1})
}

func TestGitRangeMergeReportsOnlyWhatNoParentHad(t *testing.T) {
	r := newTestRepo(t)
	s1, s2 := token(34), token(35)
	base := r.commit("base", map[string]string{"a.txt": "x\n"})
	upstream := r.commit("upstream secret", map[string]string{"a.txt": "x\n", "u.txt": s1 + "\n"}, base)
	pr := r.commit("pr", map[string]string{"a.txt": "x\ny\n"}, base)
	// Merging upstream into the PR branch brings u.txt in; the merge
	// itself adds s2 to a.txt.
	merge := r.commit("merge upstream", map[string]string{"a.txt": "x\ny\n" + s2 + "\n", "u.txt": s1 + "\n"}, pr, upstream)
	r.branch("main", merge)
	expectFindings(t, scanHistory(t, r.dir, extract.GitOptions{Range: upstream.String() + ".." + merge.String()}),
		where{"a.txt", merge.String(), s2, 3})
}

func TestGitRangeErrors(t *testing.T) {
	r := newTestRepo(t)
	r.branch("main", r.commit("c", map[string]string{"a": "a"}))
	for spec, want := range map[string]string{
		"main...main":  "symmetric",
		"nosuch..main": "cannot resolve",
	} {
		_, err := newSession(t).Extractor().Git(t.Context(), r.dir, extract.GitOptions{Range: spec})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", spec, err, want)
		}
	}
}
