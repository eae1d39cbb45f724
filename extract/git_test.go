package extract_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/keyholesec/keyhole/extract"
)

func TestGitSecretAddedThenDeleted(t *testing.T) {
	r := newTestRepo(t)
	s := token(1)
	c1 := r.commit("add config", map[string]string{"README": "hello\n", "deploy/config.env": "USER=x\nGITHUB_TOKEN=" + s + "\n"})
	c2 := r.commit("edit config, keep token", map[string]string{"README": "hello\n", "deploy/config.env": "USER=y\nGITHUB_TOKEN=" + s + "\n"}, c1)
	c3 := r.commit("remove token", map[string]string{"README": "hello\n", "deploy/config.env": "USER=y\n"}, c2)
	r.branch("main", c3)

	res := scanHistory(t, r.dir, extract.GitOptions{})
	// c2's version is another blob with the same secret at the same path:
	// one finding, attributed to the commit that introduced it.
	expectFindings(t, res, where{"deploy/config.env", c1.String(), s, 2})
	for _, f := range res.Findings {
		if f.Rule == "github-pat" && (f.Author != "Alice Dev" || f.Email != "alice@example.com" || f.Date == nil || f.Target != r.dir) {
			t.Errorf("provenance: %+v", f)
		}
	}
}

func TestGitSameSecretInTwoBranches(t *testing.T) {
	r := newTestRepo(t)
	s := token(2)
	base := r.commit("base", map[string]string{"README": "hi\n"})
	a := r.commit("feature a", map[string]string{"README": "hi\n", "app/config.yml": "token: " + s + "\n"}, base)
	b := r.commit("feature b", map[string]string{"README": "hi\n", "app/config.yml": "# b\ntoken: " + s + "\n", "other.yml": "t: " + s + "\n"}, base)
	r.branch("main", base)
	r.branch("feature-a", a)
	r.branch("feature-b", b)

	res := scanHistory(t, r.dir, extract.GitOptions{})
	expectFindings(t, res,
		where{"app/config.yml", a.String(), s, 1},
		where{"other.yml", b.String(), s, 1})
}

func TestGitRenameAndSharedBlob(t *testing.T) {
	r := newTestRepo(t)
	s := token(3)
	content := "key = " + s + "\n"
	c1 := r.commit("add", map[string]string{"old.txt": content})
	// The same blob at a new path, and again in a second directory.
	c2 := r.commit("rename", map[string]string{"new.txt": content}, c1)
	c3 := r.commit("copy", map[string]string{"new.txt": content, "copy/new.txt": content}, c2)
	r.branch("main", c3)

	res := scanHistory(t, r.dir, extract.GitOptions{})
	expectFindings(t, res,
		where{"old.txt", c1.String(), s, 1},
		where{"new.txt", c2.String(), s, 1},
		where{"copy/new.txt", c3.String(), s, 1})
}

func TestGitMerge(t *testing.T) {
	r := newTestRepo(t)
	s1, s2 := token(4), token(5)
	base := r.commit("base", map[string]string{"a.txt": "a\n"})
	side := r.commit("side adds a secret", map[string]string{"a.txt": "a\n", "side.txt": "\n\nx=" + s1 + "\n"}, base)
	main := r.commit("main moves on", map[string]string{"a.txt": "a2\n"}, base)
	// The merge brings side.txt in unchanged and adds a secret of its own.
	merge := r.commit("merge side", map[string]string{"a.txt": "a2\n", "side.txt": "\n\nx=" + s1 + "\n", "merge.txt": "y=" + s2 + "\n"}, main, side)
	r.branch("main", merge)

	res := scanHistory(t, r.dir, extract.GitOptions{})
	expectFindings(t, res,
		where{"side.txt", side.String(), s1, 3},
		where{"merge.txt", merge.String(), s2, 1})
}

func TestGitCommitMessage(t *testing.T) {
	r := newTestRepo(t)
	s := token(6)
	c1 := r.commit("init", map[string]string{"a.txt": "a\n"})
	c2 := r.commit("rotate the token\n\nold one was "+s+"\n", map[string]string{"a.txt": "b\n"}, c1)
	r.branch("main", c2)

	res := scanHistory(t, r.dir, extract.GitOptions{})
	expectFindings(t, res, where{extract.CommitMessagePath, c2.String(), s, 3})
}

func TestGitUnreachable(t *testing.T) {
	r := newTestRepo(t)
	s1, s2 := token(7), token(8)
	c1 := r.commit("init", map[string]string{"a.txt": "a\n"})
	r.branch("main", c1)
	// A blob added to the index and never committed, and a commit that
	// a reset left behind.
	orphan := r.blob("leaked=" + s1 + "\n")
	dangling := r.commit("oops", map[string]string{"a.txt": "a\n", "creds.txt": "t=" + s2 + "\n"}, c1)

	expectFindings(t, scanHistory(t, r.dir, extract.GitOptions{}))
	res := scanHistory(t, r.dir, extract.GitOptions{Unreachable: true})
	expectFindings(t, res,
		where{extract.UnreachablePrefix + orphan.String(), "", s1, 1},
		where{"creds.txt", dangling.String(), s2, 1})
}

func TestGitTagsAndStash(t *testing.T) {
	r := newTestRepo(t)
	s1, s2 := token(9), token(10)
	c1 := r.commit("init", map[string]string{"a.txt": "a\n"})
	tagged := r.commit("release", map[string]string{"a.txt": "a\n", "release.txt": s1 + "\n"}, c1)
	stash := r.commit("WIP on main", map[string]string{"a.txt": "a\n", "wip.txt": s2 + "\n"}, c1)
	r.branch("main", c1)
	if _, err := r.repo.CreateTag("v1", tagged, nil); err != nil {
		t.Fatal(err)
	}
	// An older stash entry lives only in the stash's reflog.
	newer := r.commit("WIP 2", map[string]string{"a.txt": "b\n"}, c1)
	r.s.SetReference(plumbing.NewHashReference("refs/stash", newer))
	logs := filepath.Join(r.dir, ".git", "logs", "refs")
	os.MkdirAll(logs, 0o755)
	z := plumbing.ZeroHash.String()
	os.WriteFile(filepath.Join(logs, "stash"), []byte(z+" "+stash.String()+" A <a@b> 1 +0000\tWIP\n"+stash.String()+" "+newer.String()+" A <a@b> 2 +0000\tWIP 2\n"), 0o644)

	res := scanHistory(t, r.dir, extract.GitOptions{})
	expectFindings(t, res,
		where{"release.txt", tagged.String(), s1, 1},
		where{"wip.txt", stash.String(), s2, 1})
}

func TestGitEmptyRepository(t *testing.T) {
	r := newTestRepo(t)
	res := scanHistory(t, r.dir, extract.GitOptions{})
	if len(res.Findings) != 0 || len(res.Warnings) != 0 {
		t.Errorf("empty repository: %+v", res)
	}
}

func TestGitNotARepository(t *testing.T) {
	dir := t.TempDir()
	sess := newSession(t)
	_, err := sess.Extractor().Git(t.Context(), dir, extract.GitOptions{})
	if err == nil || !strings.Contains(err.Error(), "not a git repository") {
		t.Errorf("got %v", err)
	}
}

func TestGitCorruptAndMissingObjects(t *testing.T) {
	r := newTestRepo(t)
	s1, s2 := token(11), token(12)
	c1 := r.commit("init", map[string]string{"good.txt": "k=" + s1 + "\n", "bad.txt": "k=" + s2 + "\n"})
	c2 := r.commit("more", map[string]string{"good.txt": "k=" + s1 + "\n", "bad.txt": "k=" + s2 + "\n", "b.txt": "b\n"}, c1)
	r.branch("main", c2)
	bad := r.blob("k=" + s2 + "\n")
	obj := filepath.Join(r.dir, ".git", "objects", bad.String()[:2], bad.String()[2:])
	os.Chmod(obj, 0o644)
	if err := os.WriteFile(obj, []byte("not zlib at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A missing parent: the history behind it is skipped with a warning.
	orphanChild := r.commit("child of nothing", map[string]string{"c.txt": "k=" + s1 + "\n"}, plumbing.NewHash("1111111111111111111111111111111111111111"))
	r.branch("broken", orphanChild)

	res := scanHistory(t, r.dir, extract.GitOptions{})
	expectFindings(t, res,
		where{"good.txt", c1.String(), s1, 1},
		where{"c.txt", orphanChild.String(), s1, 1})
	var text []string
	for _, w := range res.Warnings {
		text = append(text, w.Path+": "+w.Message)
		if strings.Contains(w.Message, s2) || strings.Contains(w.Message, s1) {
			t.Errorf("warning quotes a secret: %s", w.Message)
		}
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{"bad.txt: ", "1111111111111111111111111111111111111111 is missing"} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
}

// Later versions of a text file are scanned only where they differ from
// the version before (with a few lines around): what that version
// already had was found there. Whatever the versions, the findings are
// those of scanning every version whole, which scanHistory checks
// against go-git alone.
func TestGitVersionsScannedWhereTheyDiffer(t *testing.T) {
	r := newTestRepo(t)
	s1, s2, s3 := token(11), token(12), token(13)
	key1, key2 := pemKey(1), pemKey(2)
	filler := func(from, to int) string {
		var b strings.Builder
		for i := from; i < to; i++ {
			fmt.Fprintf(&b, "setting_%d = value %d\n", i, i)
		}
		return b.String()
	}
	v1 := filler(0, 40)
	v2 := filler(0, 20) + "GITHUB_TOKEN=" + s1 + "\n" + filler(20, 40)
	v3 := strings.Replace(v2, "setting_2 = value 2", "setting_2 = changed", 1)
	// The token line moves to the end and a second token comes in.
	v4 := strings.Replace(v3, "GITHUB_TOKEN="+s1+"\n", "", 1) + "GITHUB_TOKEN=" + s1 + "\nOTHER=" + s2 + "\n"
	v5 := v4 + key1
	v6 := strings.Replace(v5, key1, key2, 1) // the key's body replaced whole
	// revert.env goes back to its first content, which stays its first
	// commit's.
	s4 := token(14)
	commit := func(msg, conf, revert string, parents ...plumbing.Hash) plumbing.Hash {
		return r.commit(msg, map[string]string{"app.conf": conf, "revert.env": revert}, parents...)
	}
	c1 := commit("v1", v1, "T="+s4+"\n")
	c2 := commit("v2", v2, "T=none\n", c1)
	c3 := commit("v3", v3, "T=none\n", c2)
	c4 := commit("v4", v4, "T=none\n", c3)
	c5 := commit("v5", v5, "T=none\n", c4)
	c6 := commit("v6", v6, "T="+s4+"\n", c5)
	// Both sides change the file; the merge takes the side's line and adds
	// a token of its own.
	side := commit("side", strings.Replace(v6, "setting_30 = value 30", "setting_30 = side", 1), "T="+s4+"\n", c6)
	main := commit("main", strings.Replace(v6, "setting_5 = value 5", "setting_5 = main", 1), "T="+s4+"\n", c6)
	merged := strings.Replace(strings.Replace(v6, "setting_30 = value 30", "setting_30 = side", 1), "setting_5 = value 5", "setting_5 = main\nMERGED="+s3, 1)
	merge := commit("merge", merged, "T="+s4+"\n", main, side)
	r.branch("main", merge)

	// diff-tree in two runs, as for long histories.
	defer extract.SplitDiffTree(4)()
	res := scanHistory(t, r.dir, extract.GitOptions{})
	expectFindings(t, res,
		where{"revert.env", c1.String(), s4, 1},
		where{"app.conf", c2.String(), s1, 21},
		where{"app.conf", c4.String(), s2, 42},
		where{"app.conf", merge.String(), s3, 7})
	var keys []string
	for _, f := range res.Findings {
		if f.Rule == "private-key" {
			keys = append(keys, fmt.Sprintf("%d@%s", f.Line, f.Commit))
		}
	}
	if want := []string{"43@" + c5.String(), "43@" + c6.String()}; strings.Join(keys, " ") != strings.Join(want, " ") &&
		strings.Join(keys, " ") != want[1]+" "+want[0] {
		t.Errorf("private keys at %v, want %v", keys, want)
	}
}

// pemKey is a PEM block of random base64 lines, different per seed.
func pemKey(seed uint64) string {
	const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	rng := rand.New(rand.NewPCG(seed, 7))
	var b strings.Builder
	b.WriteString("-----BEGIN RSA PRIVATE KEY-----\n")
	for range 12 {
		for range 64 {
			b.WriteByte(b64[rng.IntN(len(b64))])
		}
		b.WriteByte('\n')
	}
	b.WriteString("-----END RSA PRIVATE KEY-----\n")
	return b.String()
}

// A pack damaged in one blob's data: the pack reader leaves that blob to
// git and go-git, which name what is wrong; everything else is found.
func TestGitDamagedPack(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git executable")
	}
	r := newTestRepo(t)
	s1, s2 := token(11), token(12)
	c1 := r.commit("init", map[string]string{"good.txt": "k=" + s1 + "\n", "bad.txt": "k=" + s2 + "\n"})
	r.branch("main", c1)
	dir, ok := repacked(t, r.dir)
	if !ok {
		t.Fatal("git could not repack")
	}
	bad := r.blob("k=" + s2 + "\n")
	idxs, _ := filepath.Glob(filepath.Join(dir, ".git", "objects", "pack", "*.idx"))
	idx, err := os.Open(idxs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	cmd := exec.Command("git", "show-index")
	cmd.Stdin = idx
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var offset int64 = -1
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[1] == bad.String() {
			offset, _ = strconv.ParseInt(f[0], 10, 64)
		}
	}
	if offset < 0 {
		t.Fatalf("%s not in the pack:\n%s", bad, out)
	}
	packPath := strings.TrimSuffix(idxs[0], ".idx") + ".pack"
	data, err := os.ReadFile(packPath)
	if err != nil {
		t.Fatal(err)
	}
	for k := offset + 4; k < offset+8; k++ { // past the entry and zlib headers
		data[k] ^= 0x5a
	}
	os.Chmod(packPath, 0o644)
	if err := os.WriteFile(packPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	defer extract.ReadPacks(true)()
	for _, git := range []string{"git", ""} {
		res := scanHistoryWith(t, git, dir, extract.GitOptions{})
		expectFindings(t, res, where{"good.txt", c1.String(), s1, 1})
		var warned bool
		for _, w := range res.Warnings {
			warned = warned || w.Path == "bad.txt"
			if strings.Contains(w.Message, s2) {
				t.Errorf("warning quotes a secret: %s", w.Message)
			}
		}
		if !warned {
			t.Errorf("git executable %q: no warning names bad.txt: %v", git, res.Warnings)
		}
	}
}

// Objects spread over two packs (the second made after more commits, as
// fetches leave them) and loose objects: each is read from wherever it
// is, with the same findings as go-git alone.
func TestGitSeveralPacksAndLooseObjects(t *testing.T) {
	r := newCLIRepo(t)
	var want []where
	for phase, repack := range []bool{true, true, false} {
		for k := range 3 {
			s := token(uint64(40 + 3*phase + k))
			r.write("config.env", []byte(fmt.Sprintf("# phase %d\nTOKEN_%d=%s\n", phase, k, s)))
			r.git("add", "-A")
			r.git("commit", "-q", "-m", fmt.Sprintf("phase %d, %d", phase, k))
			want = append(want, where{"config.env", strings.TrimSpace(r.git("rev-parse", "HEAD")), s, 2})
		}
		if repack {
			r.git("repack", "-d", "-q") // the loose objects into a new pack
		}
	}
	packs, _ := filepath.Glob(filepath.Join(r.dir, ".git", "objects", "pack", "*.pack"))
	if len(packs) != 2 {
		t.Fatalf("%d packs, want 2", len(packs))
	}
	defer extract.ReadPacks(false)()
	alone := scanHistoryWith(t, "", r.dir, extract.GitOptions{})
	expectFindings(t, alone, want...)
	extract.ReadPacks(true)
	for _, git := range []string{"git", ""} {
		if got := findingsText(scanHistoryWith(t, git, r.dir, extract.GitOptions{})); got != findingsText(alone) {
			t.Errorf("from packs (git executable %q):\n%s\ngo-git alone:\n%s", git, got, findingsText(alone))
		}
	}
}
