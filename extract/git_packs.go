package extract

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
)

// packSet is a repository's pack files, mapped, to read objects from by
// name. Packs that cannot be read are left out: other readers read their
// objects, and name what is wrong.
type packSet struct {
	packs []*pack
	unmap []func()
	// z reads from the mapping: the walk reads commits, which git writes
	// together at the front of a pack in about the order walked. A page
	// fault maps 64 KB of them where pread took a system call each (100k
	// commits: 0.1 s). The mapping is given back when the scan reads it.
	z inflater
}

func openPacks(gitDir string) *packSet {
	ps := &packSet{z: inflater{mapped: true}}
	idxs, _ := filepath.Glob(filepath.Join(commonDir(gitDir), "objects", "pack", "pack-*.idx"))
	for _, path := range idxs {
		if p, unmap, err := loadPack(path); err == nil {
			ps.packs = append(ps.packs, p)
			ps.unmap = append(ps.unmap, unmap)
		}
	}
	return ps
}

func (ps *packSet) close() {
	for _, unmap := range ps.unmap {
		unmap()
	}
}

// loadPack maps a pack and its index, and opens the pack to read from.
func loadPack(idxPath string) (*pack, func(), error) {
	idx, unmapIdx, err := mapFile(idxPath)
	if err != nil {
		return nil, nil, err
	}
	data, unmapData, err := mapFile(strings.TrimSuffix(idxPath, ".idx") + ".pack")
	if err != nil {
		unmapIdx()
		return nil, nil, err
	}
	unmap := func() { unmapIdx(); unmapData() }
	index, err := parsePackIndex(idx)
	if err != nil {
		unmap()
		return nil, nil, err
	}
	p, err := openPack(data, index)
	if err != nil {
		unmap()
		return nil, nil, err
	}
	// The index was read whole for the offsets; lookups touch a few pages
	// of its names each, mapped again as they do (about 20 MB of 28 for
	// 758k objects).
	releasePages(idx)
	p.release = func() { releasePages(data) }
	if f, err := os.Open(strings.TrimSuffix(idxPath, ".idx") + ".pack"); err == nil {
		p.file = f
		unmap = func() { unmapIdx(); unmapData(); f.Close() }
	}
	return p, unmap, nil
}

// readHeaders reads every entry's header in the background, while the
// history's attribution is built on one core: 80 ms on a 758k-object
// pack that the scan no longer waits for. Nothing else may read the
// packs, nor close them, until wait returns; it may be called again.
func (ps *packSet) readHeaders() (wait func()) {
	if ps == nil {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, p := range ps.packs {
			p.readHeaders()
		}
	}()
	return func() { <-done }
}

// object reads object h, up to max bytes, from the first pack that holds
// it readably. Not safe for concurrent use, nor while a pack resolves.
func (ps *packSet) object(h plumbing.Hash, max int64) (kind uint8, data []byte, ok bool) {
	if ps == nil {
		return 0, nil, false
	}
	for _, p := range ps.packs {
		if i, found := p.index.find(h); found {
			if kind, data, ok := p.object(p.byIndex[i], max, &ps.z); ok {
				return kind, data, true
			}
		}
	}
	return 0, nil, false
}

// object reads entry e whole, building it from its delta chain.
func (p *pack) object(e int32, max int64, z *inflater) (uint8, []byte, bool) {
	var chain []int32
	for at := e; ; at = p.entries[at].base {
		if p.entries[at].kind == unread {
			p.readHeader(at)
		}
		if p.entries[at].kind == 0 || len(chain) > maxDeltaDepth {
			return 0, nil, false
		}
		chain = append(chain, at)
		if p.entries[at].base < 0 {
			break
		}
	}
	root := chain[len(chain)-1]
	data, err := p.inflate(root, max, z)
	for k := len(chain) - 2; k >= 0 && err == nil; k-- {
		var delta *sharedBytes
		if delta, err = p.inflate(chain[k], max+max/32+64, z); err == nil {
			base := data
			data, err = applyDelta(base.b, delta.b, max)
			base.release()
			delta.release()
		}
	}
	return p.entries[root].kind, data.bytes(), err == nil
}

// fromPacks reads what it can of the items ids from the repository's pack
// files and passes each on; it returns the items left to other readers.
// A pack that cannot be read is left to them too, which name what is
// wrong with each object they cannot read.
func (s *gitScan) fromPacks(ctx context.Context, ids []int32, readers int, pass func(gitWork)) []int32 {
	done := make([]bool, len(ids))
	for _, p := range s.packs.packs {
		s.fromPack(ctx, p, ids, done, readers, pass)
	}
	left := []int32{}
	for k, id := range ids {
		if !done[k] {
			left = append(left, id)
		}
	}
	return left
}

func (s *gitScan) fromPack(ctx context.Context, p *pack, ids []int32, done []bool, readers int, pass func(gitWork)) {
	wanted := make([]bool, len(p.entries))
	item := make([]int32, len(p.entries)) // of ids, for each wanted entry
	// Before any reader starts, and mostly waiting on memory (230k
	// lookups: 0.15 s), so on every reader at once. Each item is a
	// different object: no two write one entry.
	var lookups sync.WaitGroup
	for part := range readers {
		lookups.Go(func() {
			for k := part * len(ids) / readers; k < (part+1)*len(ids)/readers; k++ {
				if done[k] {
					continue
				}
				if i, ok := p.index.find(s.work(ids[k]).object()); ok {
					e := p.byIndex[i]
					wanted[e], item[e] = true, int32(k)
				}
			}
		})
	}
	lookups.Wait()
	p.resolve(ctx, wanted, readers, s.e.opts.Limits.MaxFileSize, func(e int32, kind uint8, buf *sharedBytes) {
		k := item[e]
		w := s.work(ids[k])
		data := buf.b
		switch {
		case w.commit == nil && kind == packBlob:
		case w.commit != nil && kind == packCommit:
			data = data[:min(len(data), maxCommitSize)]
		default:
			return // not what the walk says it is: the others say so
		}
		w.data, w.size, w.fetched = data, int64(len(data)), true
		w.buf = buf.hold()
		done[k] = true
		pass(w)
	})
}
