package extract

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/klauspost/compress/zlib"
)

// packedRepo builds a repository whose files change over commits, so
// that git stores most versions as deltas, and packs it with repack's
// extra arguments. It returns the git directory.
func packedRepo(t testing.TB, commits int, repack ...string) string {
	t.Helper()
	dir := t.TempDir()
	git := func(args ...string) { gitIn(t, dir, args...) }
	git("init", "-q")
	var log []string
	for c := range commits {
		log = append(log, fmt.Sprintf("change %d: %s", c, strings.Repeat("word ", c%7+3)))
		os.WriteFile(filepath.Join(dir, "CHANGELOG"), []byte(strings.Join(log, "\n")+"\n"), 0o644)
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.txt", c%3)), bytes.Repeat([]byte(fmt.Sprintf("line %d\n", c)), 50+c), 0o644)
		git("add", "-A")
		git("commit", "-q", "-m", fmt.Sprintf("commit %d\n\nbody %d", c, c))
	}
	git(append([]string{"repack", "-a", "-d", "-f", "-q"}, repack...)...)
	return filepath.Join(dir, ".git")
}

// openTestPack opens the one pack of a git directory.
func openTestPack(t testing.TB, gitDir string) *pack {
	t.Helper()
	idx, data := readTestPack(t, gitDir)
	return openPackBytes(t, idx, data)
}

// readTestPack reads the one pack of a git directory and its index.
func readTestPack(t testing.TB, gitDir string) (idx, data []byte) {
	t.Helper()
	idxs, _ := filepath.Glob(filepath.Join(gitDir, "objects", "pack", "*.idx"))
	if len(idxs) != 1 {
		t.Fatalf("%d pack indexes", len(idxs))
	}
	idx, err := os.ReadFile(idxs[0])
	if err != nil {
		t.Fatal(err)
	}
	data, err = os.ReadFile(strings.TrimSuffix(idxs[0], ".idx") + ".pack")
	if err != nil {
		t.Fatal(err)
	}
	return idx, data
}

func openPackBytes(t testing.TB, idx, data []byte) *pack {
	t.Helper()
	index, err := parsePackIndex(idx)
	if err != nil {
		t.Fatal(err)
	}
	p, err := openPack(data, index)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// readAll resolves every entry of p, by object name.
func readAll(p *pack, readers int) map[plumbing.Hash]string {
	wanted := make([]bool, len(p.entries))
	for e := range wanted {
		wanted[e] = true
	}
	var mu sync.Mutex
	got := map[plumbing.Hash]string{}
	p.resolve(context.Background(), wanted, readers, 1<<20, func(e int32, kind uint8, data *sharedBytes) {
		mu.Lock()
		defer mu.Unlock()
		got[p.name(e)] = fmt.Sprintf("%d %s", kind, data.b)
	})
	return got
}

// name is entry e's object name, from the index.
func (p *pack) name(e int32) plumbing.Hash {
	for i, at := range p.byIndex {
		if at == e {
			return plumbing.Hash(p.index.names[i*hashLen : (i+1)*hashLen])
		}
	}
	panic("entry not in the index")
}

// TestPackReadsWhatGitStored reads every object of packs whose deltas name
// their bases by offset (as git writes them) and by object name (as older
// packs and some servers do) and compares each with git cat-file's.
func TestPackReadsWhatGitStored(t *testing.T) {
	for _, tc := range []struct {
		name   string
		repack []string
	}{
		{"offset bases", nil},
		{"named bases", []string{"--depth=5"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "named bases" {
				t.Setenv("GIT_CONFIG_COUNT", "1")
				t.Setenv("GIT_CONFIG_KEY_0", "repack.useDeltaBaseOffset")
				t.Setenv("GIT_CONFIG_VALUE_0", "false")
			}
			gitDir := packedRepo(t, 40, tc.repack...)
			p := openTestPack(t, gitDir)
			kinds := map[uint8]int{}
			for e := range p.entries {
				p.readHeader(int32(e))
				kinds[p.entries[e].kind]++
			}
			want := map[uint8]int{packOfsDelta: 1, packRefDelta: 0}
			if tc.name == "named bases" {
				want = map[uint8]int{packOfsDelta: 0, packRefDelta: 1}
			}
			for k, n := range want {
				if (kinds[k] > 0) != (n > 0) {
					t.Fatalf("entry kinds %v: the pack is not the kind this test needs", kinds)
				}
			}
			stored := catAll(t, gitDir)
			// From bytes in memory, and as a history scan reads: headers
			// from the mapped pack, data with system calls.
			idxs, _ := filepath.Glob(filepath.Join(gitDir, "objects", "pack", "*.idx"))
			loaded, unmap, err := loadPack(idxs[0])
			if err != nil {
				t.Fatal(err)
			}
			defer unmap()
			for _, read := range []struct {
				how     string
				p       *pack
				readers int
			}{{"1 reader", openTestPack(t, gitDir), 1}, {"2 readers", openTestPack(t, gitDir), 2}, {"loaded, 2 readers", loaded, 2}} {
				got := readAll(read.p, read.readers)
				if len(got) != len(stored) {
					t.Fatalf("%s: %d of %d objects read", read.how, len(got), len(stored))
				}
				for h, content := range stored {
					if got[h] != content {
						t.Fatalf("%s: %s read as %q, git has %q", read.how, h, got[h], content)
					}
				}
			}
		})
	}
}

// catAll reads every object of a repository with git cat-file, as readAll
// lists them.
func catAll(t *testing.T, gitDir string) map[plumbing.Hash]string {
	t.Helper()
	out, err := exec.Command("git", "--git-dir="+gitDir, "cat-file", "--batch-all-objects", "--batch").Output()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{"commit": packCommit, "tree": packTree, "blob": packBlob, "tag": packTag}
	all := map[plumbing.Hash]string{}
	for len(out) > 0 {
		header, rest, _ := bytes.Cut(out, []byte("\n"))
		var name, kind string
		var size int
		if _, err := fmt.Sscan(string(header), &name, &kind, &size); err != nil || len(rest) <= size {
			t.Fatalf("cat-file: %q", header)
		}
		all[plumbing.NewHash(name)] = fmt.Sprintf("%d %s", kinds[kind], rest[:size])
		out = rest[size+1:]
	}
	return all
}

// TestPackDamage damages one entry's compressed data: that entry and the
// deltas built on it are not delivered, and every other object still is.
func TestPackDamage(t *testing.T) {
	gitDir := packedRepo(t, 40)
	p := openTestPack(t, gitDir)
	all := readAll(p, 2)
	// The largest whole object with deltas on it.
	victim := int32(-1)
	for e := range p.entries {
		en := p.entries[e]
		if en.base < 0 && en.kind == packBlob && (victim < 0 || en.size > p.entries[victim].size) {
			for _, c := range p.entries {
				if c.base == int32(e) {
					victim = int32(e)
					break
				}
			}
		}
	}
	if victim < 0 {
		t.Fatal("no blob with deltas on it")
	}
	lost := map[plumbing.Hash]bool{p.name(victim): true}
	for changed := true; changed; {
		changed = false
		for e, en := range p.entries {
			if en.base >= 0 && lost[p.name(en.base)] && !lost[p.name(int32(e))] {
				lost[p.name(int32(e))], changed = true, true
			}
		}
	}
	data := bytes.Clone(p.data)
	at := p.entries[victim].offset + int64(p.entries[victim].header) + 4
	data[at] ^= 0xff
	data[at+1] ^= 0x55
	idx, _ := readTestPack(t, gitDir)
	damaged := openPackBytes(t, idx, data) // a new index: openPack takes its offsets
	got := readAll(damaged, 2)
	for h, content := range all {
		if _, ok := got[h]; ok == lost[h] {
			t.Errorf("%s (damaged or built on it: %v): delivered %v", h, lost[h], ok)
		} else if ok && got[h] != content {
			t.Errorf("%s: read differently from the damaged pack", h)
		}
	}
}

func TestApplyDelta(t *testing.T) {
	base := []byte("0123456789abcdef")
	// Sizes 16 -> 9; copy 4 bytes from 10; insert "XYZ"; copy 2 from 0.
	delta := []byte{16, 9, 0x80 | 0x01 | 0x10, 10, 4, 3, 'X', 'Y', 'Z', 0x80 | 0x10, 2}
	out, err := applyDelta(base, delta, 100)
	if err != nil || string(out.b) != "abcdXYZ01" {
		t.Fatalf("got %q, %v", out.bytes(), err)
	}
	for name, d := range map[string][]byte{
		"base size":         {15, 9},
		"over the limit":    {16, 200, 1},
		"copy out of range": {16, 4, 0x80 | 0x01 | 0x10, 14, 4},
		"truncated insert":  {16, 4, 4, 'a'},
		"short result":      {16, 4, 1, 'a'},
		"reserved":          {16, 1, 0},
	} {
		if _, err := applyDelta(base, d, 100); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func FuzzApplyDelta(f *testing.F) {
	f.Add([]byte("0123456789abcdef"), []byte{16, 9, 0x91, 10, 4, 3, 'X', 'Y', 'Z', 0x90, 2})
	f.Fuzz(func(t *testing.T, base, delta []byte) {
		out, err := applyDelta(base, delta, 1<<16)
		if err != nil {
			return
		}
		_, rest, _ := deltaSize(delta)
		n, _, _ := deltaSize(rest)
		if uint64(len(out.b)) != n {
			t.Fatalf("result of %d bytes, header says %d", len(out.b), n)
		}
	})
}

// FuzzPack reads packs whose bytes are damaged anywhere past the header,
// and indexes damaged anywhere: no panic, no hang, bounded allocation.
func FuzzPack(f *testing.F) {
	idx, data := tinyPack()
	f.Add(idx, data, uint32(100), byte(0xff))
	f.Fuzz(func(t *testing.T, idx, data []byte, at uint32, flip byte) {
		index, err := parsePackIndex(idx)
		if err != nil || len(data) < 12+hashLen {
			return
		}
		data = bytes.Clone(data)
		data[int(at)%len(data)] ^= flip
		copy(data[len(data)-hashLen:], index.pack) // past the checksum check
		p, err := openPack(data, index)
		if err != nil {
			return
		}
		readAll(p, 2)
	})
}

// TestTinyPack checks the fuzzer's seed: a blob, a delta on it by offset,
// and one on that by object name, all read back.
func TestTinyPack(t *testing.T) {
	idx, data := tinyPack()
	p := openPackBytes(t, idx, data)
	var got []string
	for _, content := range readAll(p, 1) {
		got = append(got, content)
	}
	sort.Strings(got)
	want := []string{"3 hello, world\n", "3 hello, pack\n", "3 hello, packs\n"}
	sort.Strings(want)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("read %q, want %q", got, want)
	}
}

// tinyPack writes a pack and its index by hand: "hello, world\n" whole,
// "hello, pack\n" as a delta on it by offset, "hello, packs\n" as a delta
// on that by object name.
func tinyPack() (idx, data []byte) {
	blobName := func(s string) plumbing.Hash {
		return plumbing.ComputeHash(plumbing.BlobObject, []byte(s))
	}
	zip := func(b []byte) []byte {
		var z bytes.Buffer
		w := zlib.NewWriter(&z)
		w.Write(b)
		w.Close()
		return z.Bytes()
	}
	type object struct {
		name   plumbing.Hash
		offset int
	}
	var objects []object
	pack := []byte("PACK\x00\x00\x00\x02\x00\x00\x00\x03")
	add := func(name string, header, body []byte) {
		objects = append(objects, object{blobName(name), len(pack)})
		pack = append(append(pack, header...), zip(body)...)
	}
	add("hello, world\n", []byte{packBlob<<4 | 13}, []byte("hello, world\n"))
	// Copy "hello, " (7 bytes from 0), insert "pack\n".
	d1 := []byte{13, 12, 0x90, 7, 5, 'p', 'a', 'c', 'k', '\n'}
	add("hello, pack\n", []byte{packOfsDelta<<4 | byte(len(d1)), byte(len(pack) - objects[0].offset)}, d1)
	d2 := []byte{12, 13, 0x90, 11, 2, 's', '\n'}
	base := blobName("hello, pack\n")
	add("hello, packs\n", append([]byte{packRefDelta<<4 | byte(len(d2))}, base[:]...), d2)
	sum := sha1.Sum(pack)
	pack = append(pack, sum[:]...)

	sort.Slice(objects, func(a, b int) bool { return bytes.Compare(objects[a].name[:], objects[b].name[:]) < 0 })
	idx = []byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}
	for b := range 256 {
		n := 0
		for _, o := range objects {
			if int(o.name[0]) <= b {
				n++
			}
		}
		idx = binary.BigEndian.AppendUint32(idx, uint32(n))
	}
	for _, o := range objects {
		idx = append(idx, o.name[:]...)
	}
	for range objects {
		idx = binary.BigEndian.AppendUint32(idx, 0) // CRCs, not checked
	}
	for _, o := range objects {
		idx = binary.BigEndian.AppendUint32(idx, uint32(o.offset))
	}
	idx = append(idx, sum[:]...)
	idxSum := sha1.Sum(idx)
	return append(idx, idxSum[:]...), pack
}

// find must return what a binary search of the whole index returns, for
// names it holds and names it does not, in full and sparse buckets.
func TestPackIndexFind(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 3, 300, 20000} {
		names := make([]plumbing.Hash, n)
		for i := range names {
			for k := range names[i] {
				names[i][k] = byte(rng.Uint32())
			}
			if i > 0 && rng.IntN(50) == 0 { // runs of near neighbours
				names[i] = names[i-1]
				names[i][19]++
			}
		}
		slices.SortFunc(names, func(a, b plumbing.Hash) int { return bytes.Compare(a[:], b[:]) })
		names = slices.Compact(names)
		x := &packIndex{}
		for _, h := range names {
			x.names = append(x.names, h[:]...)
			for b := int(h[0]); b < 256; b++ {
				x.fanout[b]++
			}
		}
		check := func(h plumbing.Hash) {
			want := sort.Search(len(names), func(i int) bool { return bytes.Compare(names[i][:], h[:]) >= 0 })
			wantOK := want < len(names) && names[want] == h
			if got, ok := x.find(h); ok != wantOK || ok && got != want {
				t.Fatalf("%d names: find(%v) = %d, %v; want %d, %v", len(names), h, got, ok, want, wantOK)
			}
		}
		for _, h := range names {
			check(h)
			h[19]++ // a neighbour, mostly absent
			check(h)
		}
		for range 2000 {
			var h plumbing.Hash
			for k := range h {
				h[k] = byte(rng.Uint32())
			}
			check(h)
		}
	}
}
