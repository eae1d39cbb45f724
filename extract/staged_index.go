package extract

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
)

// A reader for git's index (Documentation/gitformat-index.txt), versions
// 2 to 4, taking only what a pre-commit scan needs: each entry's path,
// mode, blob and stage, and the cache-tree extension. go-git's decoder
// reads every field through encoding/binary.Read, hashes the whole file
// and drops the invalidated cache-tree entries that the others' paths
// depend on; it reads no version or extension that this one does not.
// Like git, this reader does not verify the trailing checksum (git
// writes zeros there with index.skipHash, which feature.manyFiles sets).

// Limits against a hostile or corrupt index. Version 4 paths repeat the
// previous one's start for free, so they could add up to far more than
// the file; real ones, even 2 KiB long, stay within 32 times its size.
const (
	maxIndexSize      = 1 << 30
	maxIndexPath      = 1 << 16
	maxIndexPathRatio = 32
)

const (
	indexEntryFixed = 62     // times, dev, ino, mode, uid, gid, size, hash, flags
	indexExtended   = 0x4000 // flags: a second flags word follows (v3+)
	indexNameMask   = 0xfff  // flags: the path's length, 0xfff when longer
	modeGitlink     = 0o160000
	hashSize        = len(plumbing.Hash{}) // SHA-1: go-git reads no other repositories
)

// indexEntry is one path of the index.
type indexEntry struct {
	path  string
	mode  uint32
	hash  plumbing.Hash
	stage int // 0 when merged, 1-3 for the sides of a conflict
}

// gitIndex is what the pre-commit scan reads of an index.
type gitIndex struct {
	entries []indexEntry // in the index's order: by path, then stage
	// trees maps each directory ("" for the root, "a/b" below) whose
	// cache-tree entry is valid to the tree its staged content makes.
	trees map[string]plumbing.Hash
}

// readIndexFile reads the index at path.
func readIndexFile(path string) (*gitIndex, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, cleanPathError(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, cleanPathError(err)
	}
	if st.Size() > maxIndexSize {
		return nil, fmt.Errorf("%d bytes, over the %d-byte limit", st.Size(), maxIndexSize)
	}
	data := make([]byte, st.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, cleanPathError(err)
	}
	return parseIndex(data)
}

var errIndexTruncated = errors.New("truncated")

// parseIndex reads an index file's content.
func parseIndex(data []byte) (*gitIndex, error) {
	if len(data) < 12+hashSize || string(data[:4]) != "DIRC" {
		return nil, errors.New("not a git index (no DIRC header)")
	}
	version := binary.BigEndian.Uint32(data[4:])
	if version < 2 || version > 4 {
		return nil, fmt.Errorf("index version %d; versions 2 to 4 are supported", version)
	}
	count := binary.BigEndian.Uint32(data[8:])
	body := data[12 : len(data)-hashSize] // the checksum is not verified, as git does not
	if uint64(count) > uint64(len(body)/(indexEntryFixed+2)) {
		return nil, fmt.Errorf("%d entries do not fit in %d bytes", count, len(data))
	}
	idx := &gitIndex{entries: make([]indexEntry, 0, count)}
	p, pathBytes := 0, 0
	var prev []byte // v4: the previous path, which the next is compressed against
	for i := range int(count) {
		start := p
		if len(body)-p < indexEntryFixed {
			return nil, fmt.Errorf("entry %d: %w", i, errIndexTruncated)
		}
		e := indexEntry{mode: binary.BigEndian.Uint32(body[p+24:])}
		copy(e.hash[:], body[p+40:p+60])
		flags := binary.BigEndian.Uint16(body[p+60:])
		e.stage = int(flags>>12) & 3
		p += indexEntryFixed
		if flags&indexExtended != 0 {
			if version < 3 {
				return nil, fmt.Errorf("entry %d: extended flags in a version 2 index", i)
			}
			p += 2
		}
		var name []byte
		if version == 4 {
			strip, n := indexVarint(body[min(p, len(body)):])
			if n == 0 {
				return nil, fmt.Errorf("entry %d: path prefix length: %w", i, errIndexTruncated)
			}
			if strip > uint64(len(prev)) {
				return nil, fmt.Errorf("entry %d: path drops %d bytes of a %d-byte previous path", i, strip, len(prev))
			}
			p += n
			end := bytes.IndexByte(body[p:], 0)
			if end < 0 {
				return nil, fmt.Errorf("entry %d: path: %w", i, errIndexTruncated)
			}
			keep := len(prev) - int(strip)
			if keep+end > maxIndexPath {
				return nil, fmt.Errorf("entry %d: path longer than %d bytes", i, maxIndexPath)
			}
			prev = append(prev[:keep], body[p:p+end]...)
			name = prev
			p += end + 1
		} else {
			n := int(flags & indexNameMask)
			if n == indexNameMask { // longer: NUL-terminated
				n = bytes.IndexByte(body[min(p, len(body)):], 0)
				if n < 0 {
					return nil, fmt.Errorf("entry %d: path: %w", i, errIndexTruncated)
				}
				if n > maxIndexPath {
					return nil, fmt.Errorf("entry %d: path longer than %d bytes", i, maxIndexPath)
				}
			}
			if p+n > len(body) {
				return nil, fmt.Errorf("entry %d: path: %w", i, errIndexTruncated)
			}
			name = body[p : p+n]
			// 1 to 8 NULs end the path and pad the entry to a multiple of 8.
			p = start + (p-start+n+8)&^7
			if p > len(body) {
				return nil, fmt.Errorf("entry %d: padding: %w", i, errIndexTruncated)
			}
		}
		if len(name) == 0 {
			return nil, fmt.Errorf("entry %d: empty path", i)
		}
		if pathBytes += len(name); pathBytes > maxIndexPathRatio*len(data) {
			return nil, fmt.Errorf("entry %d: paths add up to over %d times the index's size", i, maxIndexPathRatio)
		}
		e.path = string(name)
		idx.entries = append(idx.entries, e)
	}
	return idx, idx.readExtensions(body[p:])
}

// indexVarint decodes the offset encoding of v4 paths (varint.c: each
// continuation adds one, so that every value has a single encoding). It
// returns the bytes used, 0 when truncated or over 64 bits.
func indexVarint(b []byte) (uint64, int) {
	var v uint64
	for i, c := range b {
		if i > 0 {
			if v >= 1<<56 {
				return 0, 0
			}
			v = (v + 1) << 7
		}
		v |= uint64(c & 0x7f)
		if c&0x80 == 0 {
			return v, i + 1
		}
	}
	return 0, 0
}

func (idx *gitIndex) readExtensions(data []byte) error {
	for len(data) > 0 {
		if len(data) < 8 {
			return fmt.Errorf("extension header: %w", errIndexTruncated)
		}
		sig, size := data[:4], binary.BigEndian.Uint32(data[4:])
		if uint64(size) > uint64(len(data)-8) {
			return fmt.Errorf("extension %q: %w", sig, errIndexTruncated)
		}
		ext := data[8 : 8+size]
		data = data[8+size:]
		switch {
		case string(sig) == "TREE":
			trees, err := parseCacheTree(ext)
			if err != nil {
				return fmt.Errorf("cache-tree extension: %v", err)
			}
			idx.trees = trees
		case string(sig) == "link":
			return errors.New("split index (core.splitIndex) is not supported")
		case string(sig) == "sdir":
			return errors.New("sparse index (index.sparse) is not supported")
		case sig[0] < 'A' || sig[0] > 'Z':
			// Optional extensions start with an upper-case letter;
			// git refuses to read past any other it does not know.
			return fmt.Errorf("unknown required extension %q", sig)
		}
	}
	return nil
}

// parseCacheTree reads the cache-tree extension: directories depth first,
// each "path\0entries subtrees\n" then, when entries >= 0 (valid), the
// tree's hash; each path is relative to its parent.
func parseCacheTree(data []byte) (map[string]plumbing.Hash, error) {
	trees := map[string]plumbing.Hash{}
	var node func(prefix string, depth int) error
	node = func(prefix string, depth int) error {
		if depth > maxTreeDepth {
			return fmt.Errorf("nested more than %d levels", maxTreeDepth)
		}
		nul := bytes.IndexByte(data, 0)
		nl := bytes.IndexByte(data, '\n')
		if nul < 0 || nl < nul {
			return errIndexTruncated
		}
		name := string(data[:nul])
		counts := bytes.Fields(data[nul+1 : nl])
		data = data[nl+1:]
		if len(counts) != 2 {
			return fmt.Errorf("entry %q: no entry and subtree counts", name)
		}
		entries, err1 := strconv.Atoi(string(counts[0]))
		subtrees, err2 := strconv.Atoi(string(counts[1]))
		if err1 != nil || err2 != nil || subtrees < 0 || subtrees > len(data)/3 {
			return fmt.Errorf("entry %q: bad counts %q", name, data[nul+1:nl])
		}
		dir := prefix + name
		if depth == 0 {
			dir = ""
		}
		if entries >= 0 {
			if len(data) < hashSize {
				return fmt.Errorf("entry %q: hash: %w", name, errIndexTruncated)
			}
			trees[dir] = plumbing.Hash(data[:hashSize])
			data = data[hashSize:]
		}
		if depth > 0 {
			dir += "/"
		}
		for range subtrees {
			if err := node(dir, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if len(data) == 0 {
		return trees, nil
	}
	if err := node("", 0); err != nil {
		return nil, err
	}
	if len(data) > 0 {
		return nil, fmt.Errorf("%d bytes after the last entry", len(data))
	}
	return trees, nil
}
