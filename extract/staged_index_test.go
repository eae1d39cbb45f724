package extract

import (
	"bytes"
	"crypto/sha1"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// gitIn runs the git executable in dir, skipping the test without one.
func gitIn(t testing.TB, dir string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git executable")
	}
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Dev", "GIT_AUTHOR_EMAIL=dev@example.com",
		"GIT_COMMITTER_NAME=Dev", "GIT_COMMITTER_EMAIL=dev@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func writeFile(t testing.TB, dir, path, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// indexSamples writes indexes with git: every version, an entry with
// extended flags (intent to add), a conflict, a submodule, a path over
// the 12-bit length field, nested directories and the cache tree. It
// returns each index's content by name, and the repository.
func indexSamples(t testing.TB) (map[string][]byte, string) {
	dir := t.TempDir()
	gitIn(t, dir, "init", "-q")
	writeFile(t, dir, "a/b/x.txt", "x\n")
	writeFile(t, dir, "a/y.txt", "y\n")
	writeFile(t, dir, "c/z.txt", "z\n")
	writeFile(t, dir, "top.txt", "top\n")
	gitIn(t, dir, "add", ".")
	gitIn(t, dir, "commit", "-q", "-m", "one")
	blob := strings.TrimSpace(gitIn(t, dir, "rev-parse", "HEAD:top.txt"))
	head := strings.TrimSpace(gitIn(t, dir, "rev-parse", "HEAD"))
	var long []string
	for i := range 20 {
		long = append(long, strings.Repeat(strconv.Itoa(i%10), 240))
	}
	gitIn(t, dir, "update-index", "--add", "--cacheinfo", "100644,"+blob+","+strings.Join(long, "/"))
	gitIn(t, dir, "update-index", "--add", "--cacheinfo", "160000,"+head+",sub")
	gitIn(t, dir, "update-index", "--add", "--cacheinfo", "100755,"+blob+",a/b/run.sh")
	out := map[string][]byte{}
	read := func(name string) {
		b, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = b
	}
	read("v2")
	gitIn(t, dir, "update-index", "--index-version", "4")
	read("v4")
	gitIn(t, dir, "update-index", "--index-version", "2")
	writeFile(t, dir, "c/new.txt", "new\n")
	gitIn(t, dir, "add", "-N", "c/new.txt") // intent to add: extended flags, so version 3
	read("v3")
	gitIn(t, dir, "update-index", "--index-version", "4")
	read("v4-extended")
	gitIn(t, dir, "update-index", "--index-version", "2")
	gitIn(t, dir, "update-index", "--force-remove", "top.txt")
	info := fmt.Sprintf("100644 %s 1\ttop.txt\n100644 %s 2\ttop.txt\n100644 %s 3\ttop.txt\n", blob, blob, blob)
	cmd := exec.Command("git", "update-index", "--index-info")
	cmd.Dir, cmd.Stdin = dir, strings.NewReader(info)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git update-index --index-info: %v\n%s", err, b)
	}
	read("conflict")
	return out, dir
}

// lsFiles parses `git ls-files -s -z` of index file.
func lsFiles(t *testing.T, dir string, file []byte) []indexEntry {
	t.Helper()
	name := filepath.Join(t.TempDir(), "index")
	if err := os.WriteFile(name, file, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("git", "ls-files", "-s", "-z")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), "GIT_INDEX_FILE="+name)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var es []indexEntry
	for rec := range strings.SplitSeq(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		meta, path, _ := strings.Cut(rec, "\t")
		f := strings.Fields(meta)
		mode, _ := strconv.ParseUint(f[0], 8, 32)
		stage, _ := strconv.Atoi(f[2])
		es = append(es, indexEntry{path: path, mode: uint32(mode), hash: plumbing.NewHash(f[1]), stage: stage})
	}
	return es
}

func TestParseIndexAsGitReadsIt(t *testing.T) {
	samples, dir := indexSamples(t)
	for name, file := range samples {
		t.Run(name, func(t *testing.T) {
			idx, err := parseIndex(file)
			if err != nil {
				t.Fatal(err)
			}
			want := lsFiles(t, dir, file)
			if !slices.Equal(idx.entries, want) {
				t.Errorf("entries:\n%v\nwant (git ls-files):\n%v", idx.entries, want)
			}
			if v := int(file[7]); v != map[string]int{"v2": 2, "v3": 3, "conflict": 3}[name] && !strings.HasPrefix(name, "v4") {
				t.Errorf("git wrote version %d; the sample is meant to cover another", v)
			}
		})
	}
}

// TestCacheTreeValidDirectories checks that the cache tree gives each
// valid directory its full path, also below invalidated ones.
func TestCacheTreeValidDirectories(t *testing.T) {
	dir := t.TempDir()
	gitIn(t, dir, "init", "-q")
	for _, p := range []string{"a/b/x", "a/y", "c/d/z", "c/w", "top"} {
		writeFile(t, dir, p, p+"\n")
	}
	gitIn(t, dir, "add", ".")
	gitIn(t, dir, "commit", "-q", "-m", "one")
	treeOf := func(path string) plumbing.Hash {
		return plumbing.NewHash(strings.TrimSpace(gitIn(t, dir, "rev-parse", "HEAD:"+path)))
	}
	check := func(want ...string) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
		if err != nil {
			t.Fatal(err)
		}
		idx, err := parseIndex(b)
		if err != nil {
			t.Fatal(err)
		}
		exp := map[string]plumbing.Hash{}
		for _, p := range want {
			exp[p] = treeOf(p)
		}
		if fmt.Sprint(idx.trees) != fmt.Sprint(exp) {
			t.Errorf("valid trees %v, want %v", idx.trees, exp)
		}
	}
	check("", "a", "a/b", "c", "c/d")
	writeFile(t, dir, "a/b/x", "changed\n")
	gitIn(t, dir, "add", "a/b/x")
	check("c", "c/d") // after the invalidated root, a and a/b
	gitIn(t, dir, "commit", "-q", "-m", "two")
	writeFile(t, dir, "c/w", "changed\n")
	gitIn(t, dir, "add", "c/w")
	check("a", "a/b", "c/d")
}

// TestParseIndexSkipHash reads an index whose checksum is zeros, as git
// writes it with index.skipHash (set by feature.manyFiles).
func TestParseIndexSkipHash(t *testing.T) {
	samples, _ := indexSamples(t)
	file := bytes.Clone(samples["v4"])
	clear(file[len(file)-hashSize:])
	if _, err := parseIndex(file); err != nil {
		t.Error(err)
	}
}

func TestParseIndexRejects(t *testing.T) {
	samples, _ := indexSamples(t)
	v2, v4 := samples["v2"], samples["v4"]
	entriesEnd := func(file []byte) int { // where the extensions start
		return bytes.Index(file, []byte("TREE"))
	}
	withExtension := func(file []byte, sig string, data []byte) []byte {
		n := entriesEnd(file)
		out := append(bytes.Clone(file[:n]), sig...)
		out = append(out, byte(len(data)>>24), byte(len(data)>>16), byte(len(data)>>8), byte(len(data)))
		out = append(out, data...)
		return append(out, file[n:]...)
	}
	patched := func(file []byte, at int, b ...byte) []byte {
		out := bytes.Clone(file)
		copy(out[at:], b)
		return out
	}
	for _, c := range []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "not a git index"},
		{"other file", []byte("PACK\x00\x00\x00\x02\x00\x00\x00\x01" + strings.Repeat("\x00", 20)), "not a git index"},
		{"version 5", patched(v2, 7, 5), "index version 5"},
		{"too many entries", patched(v2, 8, 0x10, 0, 0, 0), "do not fit"},
		{"truncated entry", append(patched(v2[:12+70], 8, 0, 0, 0, 1), make([]byte, hashSize)...), "truncated"},
		{"extended flags in v2", patched(v2, 12+60, v2[12+60]|0x40), "extended flags in a version 2 index"},
		// The second v4 entry drops more than the first path's length.
		{"v4 prefix too long", patched(v4, bytes.Index(v4, []byte("a/b/run.sh\x00"))+len("a/b/run.sh\x00")+62, 0x7f), "previous path"},
		{"v4 paths adding up", v4Growing(5000), "paths add up"},
		{"split index", withExtension(v2, "link", make([]byte, 20)), "split index"},
		{"sparse index", withExtension(v2, "sdir", nil), "sparse index"},
		{"unknown required extension", withExtension(v2, "abcd", nil), "unknown required extension"},
		{"extension past the end", patched(v2, entriesEnd(v2)+4, 0x7f), "truncated"},
		{"cache tree bad counts", withExtension(v2, "TREE", []byte("\x00x 0\n")), "bad counts"},
		{"cache tree too deep", withExtension(v2, "TREE", []byte(strings.Repeat("d\x00-1 1\n", maxTreeDepth+2))), "nested"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseIndex(c.file)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
		})
	}
}

// v4Growing is a version 4 index of n entries, each path the previous
// one plus a byte.
func v4Growing(n int) []byte {
	b := []byte{'D', 'I', 'R', 'C', 0, 0, 0, 4, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
	for range n {
		b = append(b, make([]byte, indexEntryFixed)...)
		b = append(b, 0, 'x', 0) // keep the whole previous path, add "x"
	}
	return append(b, make([]byte, hashSize)...)
}

// FuzzParseIndex checks that no input panics, and that entries read as
// go-git reads them whenever go-git reads the file too (its checksum
// fixed up first, as go-git verifies it).
func FuzzParseIndex(f *testing.F) {
	samples, _ := indexSamples(f)
	for _, name := range slices.Sorted(maps.Keys(samples)) {
		f.Add(samples[name])
	}
	f.Fuzz(func(t *testing.T, file []byte) {
		idx, err := parseIndex(file)
		if err != nil {
			return
		}
		fixed := bytes.Clone(file)
		sum := sha1.Sum(fixed[:len(fixed)-hashSize])
		copy(fixed[len(fixed)-hashSize:], sum[:])
		var ref index.Index
		if index.NewDecoder(bytes.NewReader(fixed)).Decode(&ref) != nil {
			return
		}
		if len(ref.Entries) != len(idx.entries) {
			t.Fatalf("%d entries, go-git reads %d", len(idx.entries), len(ref.Entries))
		}
		for i, r := range ref.Entries {
			want := indexEntry{path: r.Name, mode: uint32(r.Mode), hash: r.Hash, stage: int(r.Stage)}
			if idx.entries[i] != want {
				t.Fatalf("entry %d: %+v, go-git reads %+v", i, idx.entries[i], want)
			}
		}
	})
}
