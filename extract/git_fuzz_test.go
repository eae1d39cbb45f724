package extract

import (
	"bufio"
	"bytes"
	"fmt"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// FuzzGitTree feeds raw tree objects to the parser: it must never panic
// and must report only entries that lie inside the data.
func FuzzGitTree(f *testing.F) {
	h := plumbing.NewHash("0123456789abcdef0123456789abcdef01234567")
	var tree bytes.Buffer
	for _, e := range []string{"100644 a.txt", "40000 dir", "160000 sub", "120000 link"} {
		tree.WriteString(e)
		tree.WriteByte(0)
		tree.Write(h[:])
	}
	f.Add(tree.Bytes())
	f.Add([]byte("100644 x\x00short"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		total := 0
		parseTree(data, func(mode, name []byte, _ plumbing.Hash) {
			total += len(mode) + 1 + len(name) + 1 + len(plumbing.ZeroHash)
			treeEntryKind(mode)
		})
		if total > len(data) {
			t.Fatalf("entries cover %d bytes of %d", total, len(data))
		}
	})
}

// FuzzAddedLines diffs arbitrary old and new text: the blanked result
// keeps the new text's line count and only ever holds its own lines.
func FuzzAddedLines(f *testing.F) {
	f.Add([]byte("a\nb\nc\n"), []byte("a\nx\nc"))
	f.Add([]byte(""), []byte("only new\n"))
	f.Add([]byte("\x00\xff\n"), []byte("\n\n\x00"))
	f.Fuzz(func(t *testing.T, old, new []byte) {
		lines := make([]bool, bytes.Count(new, []byte{'\n'})+1)
		for i := range lines {
			lines[i] = true
		}
		keepAdded(lines, old, new)
		out, _ := blankUnadded(new, lines)
		if bytes.Count(out, []byte{'\n'}) != bytes.Count(new, []byte{'\n'}) {
			t.Fatalf("line count changed: %q -> %q", new, out)
		}
		if bytes.Equal(old, new) && len(bytes.TrimSpace(out)) > 0 {
			t.Fatalf("identical text has added lines: %q", out)
		}
	})
}

// FuzzDiffTree feeds diff-tree output to its reader: it must never panic,
// and every change it returns names a commit it was told of. Hashes must
// read as go-git reads them.
func FuzzDiffTree(f *testing.F) {
	c := "0123456789abcdef0123456789abcdef01234567"
	b := "89abcdef0123456789abcdef0123456789abcdef"
	z := "0000000000000000000000000000000000000000"
	f.Add([]byte(c + "\x00:100644 100644 " + b + " " + c + " M\x00a.txt\x00"))
	f.Add([]byte(c + "\x00::100644 100644 100644 " + b + " " + b + " " + c + " MM\x00m.txt\x00"))
	f.Add([]byte(c + "\x00:000000 100644 " + z + " " + b + " A\x00new\x00:160000 160000 " + b + " " + c + " M\x00sub\x00"))
	f.Add([]byte(":100644 100644 " + b + " " + c + " M\x00early\x00"))
	index := map[plumbing.Hash]int32{plumbing.NewHash(c): 0, plumbing.NewHash(b): 1}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) >= 40 { // parseHash reads what go-git writes back alike
			h, ok := parseHash(data[:40])
			want := plumbing.NewHash(string(data[:40]))
			if wantOK := want.String() == string(data[:40]); ok != wantOK || ok && h != want {
				t.Fatalf("parseHash(%q) = %v, %v; go-git: %v, %v", data[:40], h, ok, want, wantOK)
			}
		}
		changes, err := readDiffTree(bufio.NewReader(bytes.NewReader(data)), func(h plumbing.Hash) (int32, bool) {
			i, ok := index[h]
			return i, ok
		})
		if err != nil {
			return
		}
		a := newAttribution(len(changes))
		for _, ch := range changes {
			if ch.commit != 0 && ch.commit != 1 {
				t.Fatalf("change of unknown commit %d", ch.commit)
			}
			a.change(ch)
		}
	})
}

// parseCommitHeaders must read a commit as go-git does whenever it reads
// it at all.
func FuzzCommitHeaders(f *testing.F) {
	f.Add([]byte("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nparent 1111111111111111111111111111111111111111\nparent 2222222222222222222222222222222222222222\nauthor Alice Dev <alice@example.com> 1700000000 +0530\ncommitter Bob <bob@example.com> 1700000100 -0800\nmergetag object 3333333333333333333333333333333333333333\n type commit\n\ngpgsig -----BEGIN PGP SIGNATURE-----\n abc\n -----END PGP SIGNATURE-----\n\nmessage\n\nbody\n"))
	f.Add([]byte("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor <> 0 +0000\ncommitter x <y> 1 -0000\n\n"))
	f.Add([]byte("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor No Email 12 +0100\ncommitter  <a@b> notanumber +9999\nencoding latin1\n\nmsg"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, ok := parseCommitHeaders(plumbing.ZeroHash, data)
		if !ok {
			return
		}
		obj := &plumbing.MemoryObject{}
		obj.SetType(plumbing.CommitObject)
		obj.Write(data)
		want, err := object.DecodeCommit(nil, obj)
		if err != nil {
			return // go-git refuses it; the walk reads what it can of it
		}
		got := fmt.Sprintf("%v %v %q %q %v %v", c.tree, c.parents, c.author, c.email, c.authored, c.committed)
		exp := fmt.Sprintf("%v %v %q %q %v %v", want.TreeHash, want.ParentHashes, want.Author.Name, want.Author.Email, want.Author.When, want.Committer.When)
		if got != exp {
			t.Fatalf("read\n%s\ngo-git reads\n%s", got, exp)
		}
	})
}
