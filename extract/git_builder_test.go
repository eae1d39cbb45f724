package extract_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/keyholesec/keyhole"
	"github.com/keyholesec/keyhole/extract"
	"github.com/keyholesec/keyhole/rules"
	"github.com/keyholesec/keyhole/scanner"
)

// testRepo builds repositories object by object with go-git, so tests
// control every commit's tree, parents and date without the git CLI.
type testRepo struct {
	t     *testing.T
	dir   string
	repo  *git.Repository
	s     storer.Storer
	clock time.Time
}

func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	return &testRepo{t: t, dir: dir, repo: repo, s: repo.Storer, clock: time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)}
}

func (r *testRepo) blob(content string) plumbing.Hash {
	obj := r.s.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	w, _ := obj.Writer()
	w.Write([]byte(content))
	w.Close()
	h, err := r.s.SetEncodedObject(obj)
	if err != nil {
		r.t.Fatal(err)
	}
	return h
}

// tree writes nested trees for files (slash-separated paths).
func (r *testRepo) tree(files map[string]string) plumbing.Hash {
	dirs := map[string]map[string]string{}
	var entries []object.TreeEntry
	for p, content := range files {
		if dir, rest, ok := strings.Cut(p, "/"); ok {
			if dirs[dir] == nil {
				dirs[dir] = map[string]string{}
			}
			dirs[dir][rest] = content
			continue
		}
		entries = append(entries, object.TreeEntry{Name: p, Mode: filemode.Regular, Hash: r.blob(content)})
	}
	for dir, sub := range dirs {
		entries = append(entries, object.TreeEntry{Name: dir, Mode: filemode.Dir, Hash: r.tree(sub)})
	}
	// git orders trees as if directory names ended in "/".
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	sort.Slice(entries, func(i, j int) bool { return key(entries[i]) < key(entries[j]) })
	obj := r.s.NewEncodedObject()
	if err := (&object.Tree{Entries: entries}).Encode(obj); err != nil {
		r.t.Fatal(err)
	}
	h, err := r.s.SetEncodedObject(obj)
	if err != nil {
		r.t.Fatal(err)
	}
	return h
}

// commit writes a commit one hour after the previous one.
func (r *testRepo) commit(msg string, files map[string]string, parents ...plumbing.Hash) plumbing.Hash {
	r.clock = r.clock.Add(time.Hour)
	sig := object.Signature{Name: "Alice Dev", Email: "alice@example.com", When: r.clock}
	c := &object.Commit{Author: sig, Committer: sig, Message: msg, TreeHash: r.tree(files), ParentHashes: parents}
	obj := r.s.NewEncodedObject()
	if err := c.Encode(obj); err != nil {
		r.t.Fatal(err)
	}
	h, err := r.s.SetEncodedObject(obj)
	if err != nil {
		r.t.Fatal(err)
	}
	return h
}

func (r *testRepo) branch(name string, h plumbing.Hash) {
	ref := plumbing.NewHashReference(plumbing.NewBranchReferenceName(name), h)
	if err := r.s.SetReference(ref); err != nil {
		r.t.Fatal(err)
	}
}

// token returns a GitHub PAT the default rules find, different per seed.
func token(seed uint64) string {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	rng := rand.New(rand.NewPCG(seed, 42))
	b := []byte("ghp_")
	for range 36 {
		b = append(b, alnum[rng.IntN(len(alnum))])
	}
	return string(b)
}

var testRules *rules.Ruleset

func defaultRules(t testing.TB) *rules.Ruleset {
	t.Helper()
	if testRules == nil {
		rs, err := rules.Load(rules.Source{Name: keyhole.DefaultRulesName, Data: keyhole.DefaultRules}, nil)
		if err != nil {
			t.Fatal(err)
		}
		testRules = rs
	}
	return testRules
}

// scanHistory scans a repository's history as `keyhole git` does, with
// go-git alone, and when there is a git executable again through git, and
// on a copy repacked by git, whose pack files are read directly: all must
// find the same.
func scanHistory(t *testing.T, dir string, opts extract.GitOptions) *scanner.Result {
	t.Helper()
	defer extract.ReadPacks(false)()
	res := scanHistoryWith(t, "", dir, opts)
	if _, err := exec.LookPath("git"); err != nil {
		return res
	}
	want := findingsText(res)
	if got := findingsText(scanHistoryWith(t, "git", dir, opts)); got != want {
		t.Errorf("through git:\n%s\nwith go-git alone:\n%s", got, want)
	}
	// Messages the walk does not keep are read again: by go-git, cat-file
	// or from packs.
	restore := extract.KeepMessages(0)
	defer restore()
	for _, git := range []string{"", "git"} {
		if got := findingsText(scanHistoryWith(t, git, dir, opts)); got != want {
			t.Errorf("no messages kept (git executable %q):\n%s\nkept:\n%s", git, got, want)
		}
	}
	packed, ok := repacked(t, dir)
	if !ok {
		return res
	}
	extract.ReadPacks(true)
	if got := findingsText(scanHistoryWith(t, "git", packed, opts)); got != want {
		t.Errorf("from pack files, no messages kept:\n%s\nwith go-git alone:\n%s", got, want)
	}
	restore()
	for _, git := range []string{"git", ""} {
		if got := findingsText(scanHistoryWith(t, git, packed, opts)); got != want {
			t.Errorf("from pack files (git executable %q):\n%s\nwith go-git alone:\n%s", git, got, want)
		}
	}
	return res
}

// repacked copies a repository and packs all its objects with fresh
// deltas, as a clone has them; false when git cannot (a corrupt object).
func repacked(t *testing.T, dir string) (string, bool) {
	t.Helper()
	packed := t.TempDir()
	if err := os.CopyFS(packed, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("git", "-C", packed, "repack", "-a", "-d", "-f", "-q").CombinedOutput()
	if err != nil {
		t.Logf("not compared on a packed copy: git repack: %v: %s", err, out)
		return "", false
	}
	return packed, true
}

func scanHistoryWith(t *testing.T, git, dir string, opts extract.GitOptions) *scanner.Result {
	t.Helper()
	defer func(old string) { extract.GitExecutable = old }(extract.GitExecutable)
	extract.GitExecutable = git
	sess := newSession(t)
	if _, err := sess.Extractor().Git(context.Background(), dir, opts); err != nil {
		t.Fatal(err)
	}
	return sess.Result()
}

// findingsText lists findings with their provenance, sorted.
func findingsText(res *scanner.Result) string {
	var lines []string
	for _, f := range res.Findings {
		lines = append(lines, fmt.Sprintf("%s %s:%d @%s %s", f.Rule, f.Path, f.Line, f.Commit, f.Secret))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// where is what a test expects of a finding.
type where struct {
	path, commit, secret string
	line                 int
}

func (w where) String() string {
	return fmt.Sprintf("%s:%d @%.7s %.8s", w.path, w.line, w.commit, w.secret)
}

// expectFindings compares the github-pat findings with want, ignoring order.
func expectFindings(t *testing.T, res *scanner.Result, want ...where) {
	t.Helper()
	var got []string
	for _, f := range res.Findings {
		if f.Rule == "github-pat" {
			got = append(got, where{f.Path, f.Commit, f.Secret, f.Line}.String())
		}
	}
	var exp []string
	for _, w := range want {
		exp = append(exp, w.String())
	}
	sort.Strings(got)
	sort.Strings(exp)
	if strings.Join(got, "\n") != strings.Join(exp, "\n") {
		t.Errorf("findings:\n  %s\nwant:\n  %s\nwarnings: %v", strings.Join(got, "\n  "), strings.Join(exp, "\n  "), res.Warnings)
	}
}

func newSession(t *testing.T) *scanner.Session {
	t.Helper()
	sess, err := scanner.NewSession(defaultRules(t), scanner.Options{FirstSeen: true, NoRedact: true})
	if err != nil {
		t.Fatal(err)
	}
	return sess
}
