package extract_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/keyholesec/keyhole/extract"
	"github.com/keyholesec/keyhole/scanner"
)

// stagingRepo is a repository with a worktree, changed through go-git's
// index as `git add`, `git rm` and `git mv` would.
type stagingRepo struct {
	t   *testing.T
	dir string
	wt  *git.Worktree
}

func newStagingRepo(t *testing.T) *stagingRepo {
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	return &stagingRepo{t: t, dir: dir, wt: wt}
}

func (r *stagingRepo) add(path string, content []byte) {
	p := filepath.Join(r.dir, filepath.FromSlash(path))
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, content, 0o644); err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.wt.Add(path); err != nil {
		r.t.Fatal(err)
	}
}

func (r *stagingRepo) commit() {
	sig := &object.Signature{Name: "A", Email: "a@example.com", When: time.Now()}
	if _, err := r.wt.Commit("c", &git.CommitOptions{Author: sig}); err != nil {
		r.t.Fatal(err)
	}
}

func scanStaged(t *testing.T, dir string) *scanner.Result {
	t.Helper()
	sess := newSession(t)
	if _, err := sess.Extractor().Staged(t.Context(), dir, extract.StagedOptions{}); err != nil {
		t.Fatal(err)
	}
	return sess.Result()
}

// lines numbers text from 1, one line per string.
func lines(ls ...string) []byte { return []byte(strings.Join(ls, "\n") + "\n") }

func TestStagedBeforeFirstCommit(t *testing.T) {
	r := newStagingRepo(t)
	s := token(20)
	r.add("app/config.env", lines("A=1", "TOKEN="+s))
	expectFindings(t, scanStaged(t, r.dir), where{"app/config.env", "", s, 2})
}

func TestStagedOnlyAddedLines(t *testing.T) {
	r := newStagingRepo(t)
	old, added := token(21), token(22)
	r.add("config.env", lines("OLD="+old, "x=1"))
	r.add("untouched.env", lines("K="+old))
	r.commit()
	// The old secret stays on what becomes line 3; a new one is inserted.
	r.add("config.env", lines("# header", "NEW="+added, "OLD="+old, "x=2"))
	expectFindings(t, scanStaged(t, r.dir), where{"config.env", "", added, 2})
}

func TestStagedEncodedSecretOnAddedLineOnly(t *testing.T) {
	r := newStagingRepo(t)
	enc := func(s string) string {
		var b bytes.Buffer
		for _, c := range []byte("token=" + s) {
			b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
		}
		return b.String()
	}
	old, added := token(23), token(24)
	r.add("urls.txt", lines("a="+enc(old)))
	r.commit()
	r.add("urls.txt", lines("b="+enc(added), "a="+enc(old)))
	res := scanStaged(t, r.dir)
	expectFindings(t, res, where{"urls.txt", "", added, 1})
}

func TestStagedRenameDeleteAndBinary(t *testing.T) {
	r := newStagingRepo(t)
	s1, s2, s3 := token(25), token(26), token(27)
	body := lines("one", "two", "three", "four", "KEY="+s1, "six")
	r.add("moved.txt", body)
	r.add("edited.txt", body)
	r.add("gone.txt", lines("G="+s1))
	r.add("app.zip", zipWith(t, map[string]string{"res/a.xml": "<k>" + s1 + "</k>\n"}))
	r.commit()

	// A move without edits, a move with one added line, a deletion, and a
	// changed archive that gains one member with a secret.
	if _, err := r.wt.Move("moved.txt", "dir/moved.txt"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.wt.Move("edited.txt", "dir/edited.txt"); err != nil {
		t.Fatal(err)
	}
	r.add("dir/edited.txt", lines("one", "two", "NEW="+s2, "three", "four", "KEY="+s1, "six"))
	if _, err := r.wt.Remove("gone.txt"); err != nil {
		t.Fatal(err)
	}
	r.add("app.zip", zipWith(t, map[string]string{"res/a.xml": "<k>" + s1 + "</k>\n", "res/b.xml": "<k>" + s3 + "</k>\n"}))

	expectFindings(t, scanStaged(t, r.dir),
		where{"dir/edited.txt", "", s2, 3},
		where{"app.zip!res/b.xml", "", s3, 1})
}

func TestStagedNothing(t *testing.T) {
	r := newStagingRepo(t)
	r.add("a.txt", lines("T="+token(28)))
	r.commit()
	res := scanStaged(t, r.dir)
	if len(res.Findings) != 0 || len(res.Warnings) != 0 {
		t.Errorf("nothing staged: %+v", res)
	}
}

func TestStagedNotARepository(t *testing.T) {
	_, err := newSession(t).Extractor().Staged(t.Context(), t.TempDir(), extract.StagedOptions{})
	if err == nil {
		t.Error("no error outside a repository")
	}
}

func zipWith(t *testing.T, files map[string]string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range []string{"res/a.xml", "res/b.xml"} {
		if content, ok := files[name]; ok {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: time.Unix(0, 0)})
			w.Write([]byte(content))
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// cliRepo is a repository changed through the git executable, so that
// the index carries what real `git add` writes (the cache-tree extension
// among others), which go-git's worktree does not.
type cliRepo struct {
	t   testing.TB
	dir string
}

func newCLIRepo(t testing.TB) *cliRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git executable")
	}
	r := &cliRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q")
	r.git("config", "gc.auto", "0") // no gc in the background while a test reads
	return r
}

func (r *cliRepo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Dev", "GIT_AUTHOR_EMAIL=dev@example.com",
		"GIT_COMMITTER_NAME=Dev", "GIT_COMMITTER_EMAIL=dev@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (r *cliRepo) write(path string, content []byte) {
	r.t.Helper()
	p := filepath.Join(r.dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// BenchmarkStaged is the pre-commit case of bench/git.sh: 10 files
// changed, one with a secret, among 10k files in 100 directories.
func BenchmarkStaged(b *testing.B) {
	r := newCLIRepo(b)
	for i := range 10000 {
		var body strings.Builder
		for j := range 30 {
			fmt.Fprintf(&body, "line %d of file %d\n", j, i)
		}
		r.write(fmt.Sprintf("pkg%d/file%d.txt", i%100, i), []byte(body.String()))
	}
	r.git("add", "-A")
	r.git("commit", "-q", "-m", "base")
	r.git("gc", "-q")
	for i := range 10 {
		p := fmt.Sprintf("pkg%d/file%d.txt", i, i)
		old, err := os.ReadFile(filepath.Join(r.dir, p))
		if err != nil {
			b.Fatal(err)
		}
		extra := fmt.Sprintf("edit %d\n", i)
		if i == 3 {
			extra += "GITHUB_TOKEN=" + token(3) + "\n"
		}
		r.write(p, append(old, extra...))
	}
	r.git("add", "-A")
	for b.Loop() {
		sess, err := scanner.NewSession(defaultRules(b), scanner.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := sess.Extractor().Staged(b.Context(), r.dir, extract.StagedOptions{}); err != nil {
			b.Fatal(err)
		}
		if n := len(sess.Result().Findings); n != 1 {
			b.Fatalf("%d findings, want 1", n)
		}
	}
}

// unreadable deletes the loose objects of revisions (HEAD:path, :path);
// a scan that succeeds without a warning did not read them.
func (r *cliRepo) unreadable(revs ...string) {
	r.t.Helper()
	hashes := strings.Fields(r.git(append([]string{"rev-parse"}, revs...)...))
	for _, h := range hashes {
		if err := os.Remove(filepath.Join(r.dir, ".git", "objects", h[:2], h[2:])); err != nil {
			r.t.Fatal(err)
		}
	}
}

// cliBase commits three directories of two files, each with a secret.
func cliBase(t *testing.T) (*cliRepo, map[string]string) {
	r := newCLIRepo(t)
	secrets := map[string]string{}
	for i, p := range []string{"a/one.txt", "a/two.txt", "b/one.txt", "b/two.txt", "c/d/one.txt", "c/d/two.txt"} {
		secrets[p] = token(uint64(40 + i))
		r.write(p, lines("path "+p, "KEY="+secrets[p], "end"))
	}
	r.git("add", ".")
	r.git("commit", "-q", "-m", "base")
	return r, secrets
}

// With nothing staged, not even HEAD's root tree is read.
func TestStagedCLINothingStaged(t *testing.T) {
	r, _ := cliBase(t)
	r.unreadable("HEAD:")
	res := scanStaged(t, r.dir)
	if len(res.Findings) != 0 || len(res.Warnings) != 0 {
		t.Errorf("nothing staged: %+v", res)
	}
}

func TestStagedCLIChangeInOneDirectory(t *testing.T) {
	r, secrets := cliBase(t)
	s := token(50)
	r.write("b/one.txt", lines("path b/one.txt", "KEY="+secrets["b/one.txt"], "NEW="+s, "end"))
	r.git("add", "b/one.txt")
	r.unreadable("HEAD:a", "HEAD:c", "HEAD:c/d")
	expectFindings(t, scanStaged(t, r.dir), where{"b/one.txt", "", s, 3})
}

func TestStagedCLINewFileInNewDirectory(t *testing.T) {
	r, _ := cliBase(t)
	s := token(51)
	r.write("e/f/new.txt", lines("x", "KEY="+s))
	r.git("add", "e")
	r.unreadable("HEAD:a", "HEAD:b", "HEAD:c")
	expectFindings(t, scanStaged(t, r.dir), where{"e/f/new.txt", "", s, 2})
}

func TestStagedCLIDeletion(t *testing.T) {
	r, _ := cliBase(t)
	r.git("rm", "-q", "c/d/one.txt")
	r.unreadable("HEAD:a", "HEAD:b")
	expectFindings(t, scanStaged(t, r.dir))
}

// A move adds nothing; a move with an edit adds the edit.
func TestStagedCLIMoveBetweenDirectories(t *testing.T) {
	r, secrets := cliBase(t)
	s := token(52)
	r.git("mv", "a/one.txt", "b/moved.txt")
	r.git("mv", "a/two.txt", "c/moved.txt")
	r.write("c/moved.txt", lines("path a/two.txt", "KEY="+secrets["a/two.txt"], "NEW="+s, "end"))
	r.git("add", "c/moved.txt")
	r.unreadable("HEAD:c/d")
	expectFindings(t, scanStaged(t, r.dir), where{"c/moved.txt", "", s, 3})
}

// A copy is a new file, scanned whole even when its source lies in a
// directory the scan never reads.
func TestStagedCLICopyFromUntouchedDirectory(t *testing.T) {
	r, secrets := cliBase(t)
	src, err := os.ReadFile(filepath.Join(r.dir, "c", "d", "one.txt"))
	if err != nil {
		t.Fatal(err)
	}
	r.write("b/copy.txt", src)
	r.git("add", "b/copy.txt")
	r.unreadable("HEAD:a", "HEAD:c", "HEAD:c/d")
	expectFindings(t, scanStaged(t, r.dir), where{"b/copy.txt", "", secrets["c/d/one.txt"], 2})
}

// TestStagedCLIIndexFile scans the temporary index git gives hooks of
// `git commit PATH`, not the repository's own.
func TestStagedCLIIndexFile(t *testing.T) {
	r, secrets := cliBase(t)
	s := token(53)
	r.write("a/one.txt", lines("path a/one.txt", "KEY="+secrets["a/one.txt"], "NEW="+s, "end"))
	alt := filepath.Join(t.TempDir(), "index")
	cmd := exec.Command("sh", "-c", "git read-tree HEAD && git add a/one.txt")
	cmd.Dir, cmd.Env = r.dir, append(os.Environ(), "GIT_INDEX_FILE="+alt)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	expectFindings(t, scanStaged(t, r.dir))
	sess := newSession(t)
	if _, err := sess.Extractor().Staged(t.Context(), r.dir, extract.StagedOptions{IndexFile: alt}); err != nil {
		t.Fatal(err)
	}
	expectFindings(t, sess.Result(), where{"a/one.txt", "", s, 3})
}

// TestStagedCLIUnreadableBlobs: a staged blob that cannot be read is a
// fatal warning for its file alone; a committed one that cannot be read
// makes the whole staged file count as added.
func TestStagedCLIUnreadableBlobs(t *testing.T) {
	r, secrets := cliBase(t)
	s1, s2, s3 := token(54), token(55), token(56)
	r.write("b/one.txt", lines("path b/one.txt", "KEY="+secrets["b/one.txt"], "NEW="+s1, "end"))
	r.write("a/new.txt", lines("KEY="+s2))
	r.write("c/new.txt", lines("KEY="+s3))
	r.git("add", ".")
	r.unreadable("HEAD:b/one.txt", ":a/new.txt")
	res := scanStaged(t, r.dir)
	expectFindings(t, res,
		where{"b/one.txt", "", secrets["b/one.txt"], 2},
		where{"b/one.txt", "", s1, 3},
		where{"c/new.txt", "", s3, 1})
	var got []string
	for _, w := range res.Warnings {
		got = append(got, fmt.Sprintf("%s fatal=%v %s", w.Path, w.Fatal, w.Message))
	}
	if len(got) != 2 || !strings.HasPrefix(got[0], "a/new.txt fatal=true object ") ||
		!strings.HasPrefix(got[1], "b/one.txt fatal=false committed version: object ") {
		t.Errorf("warnings:\n%s", strings.Join(got, "\n"))
	}
}
