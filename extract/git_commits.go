package extract

import (
	"bytes"
	"container/heap"
	"context"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// gitCommit is what attribution needs of a commit, and its message when
// the walk kept it (see keptMessages).
type gitCommit struct {
	hash      plumbing.Hash
	tree      plumbing.Hash
	parents   []plumbing.Hash
	author    string
	email     string
	authored  time.Time
	committed time.Time
	seq       int // 1 + the position in commitSet.list
	// message is nil when not kept: it is read again to be scanned.
	message []byte
}

// commitSet is the commits to scan, parents before children.
type commitSet struct {
	list []*gitCommit
	// boundary holds commits outside the set whose trees are already
	// known: the parents of a range's first commits.
	boundary []*gitCommit
}

// walkCommits reads every commit reachable from include but not from
// exclude, newest first by commit date, as `git rev-list include ^exclude`
// does: the walk stops once only excluded commits are left to visit.
// Missing commits are reported and the history behind them skipped,
// except behind a shallow clone's boundary, which is reported once.
// found, when set, is told of each commit as it is walked (without
// exclusions: with them, one may be excluded later), then of nil once
// the walk is done, before the commits are put in order.
func (r *gitRepo) walkCommits(ctx context.Context, include, exclude []plumbing.Hash, warn func(error), found func(*gitCommit)) (*commitSet, error) {
	shallow := r.shallowCommits()
	w := commitWalk{r: r, state: map[plumbing.Hash]*walkState{}, warn: warn, shallow: shallow}
	for _, h := range exclude {
		w.push(h, true, plumbing.ZeroHash)
	}
	for _, h := range include {
		w.push(h, false, plumbing.ZeroHash)
	}
	for w.queue.Len() > 0 && w.interesting > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s := heap.Pop(&w.queue).(*walkState)
		if !s.excluded {
			w.interesting--
			if found != nil {
				found(s.c)
			}
		}
		s.popped = true
		for _, p := range s.c.parents {
			w.push(p, s.excluded, s.c.hash)
		}
	}
	if found != nil {
		found(nil)
	}
	if w.shallowHits > 0 {
		warn(fmt.Errorf("shallow clone: history behind %d commits is not in the repository and was not scanned", w.shallowHits))
	}
	return w.result(), nil
}

type walkState struct {
	c        *gitCommit
	excluded bool
	popped   bool
	order    int // when first reached, for stable ordering
	// For the topological order (see result): children in the set, and
	// parents in it not yet ordered.
	children []*walkState
	pending  int
}

type commitWalk struct {
	r           *gitRepo
	state       map[plumbing.Hash]*walkState
	queue       commitQueue
	interesting int // queued commits not excluded
	warn        func(error)
	shallow     map[plumbing.Hash]bool
	shallowHits int
	kept        keptMessages
}

// push queues h, reached from child (zero for a tip). An excluded mark
// spreads to commits already reached as included.
func (w *commitWalk) push(h plumbing.Hash, excluded bool, child plumbing.Hash) {
	if s, ok := w.state[h]; ok {
		if excluded && !s.excluded {
			s.excluded = true
			if s.popped {
				// Already expanded: spread the mark to its parents too.
				for _, p := range s.c.parents {
					w.push(p, true, h)
				}
			} else {
				w.interesting--
			}
		}
		return
	}
	c, msg, err := w.r.commitMessage(h)
	if err != nil {
		switch {
		case w.shallow[child]:
			w.shallowHits++
		case child.IsZero():
			w.warn(err)
		default:
			w.warn(fmt.Errorf("commit %s: parent %v; the history behind it was not scanned", child, err))
		}
		w.state[h] = nil
		return
	}
	s := &walkState{c: c, excluded: excluded, order: len(w.state)}
	w.state[h] = s
	if !excluded {
		w.interesting++
		c.message = w.kept.keep(msg)
	}
	heap.Push(&w.queue, s)
}

// result orders the included commits parents first (Kahn's algorithm,
// oldest commit date first among the ready ones) and finds the boundary.
func (w *commitWalk) result() *commitSet {
	set := &commitSet{}
	ready := commitQueue{oldestFirst: true}
	boundary := map[plumbing.Hash]bool{}
	for _, s := range w.state {
		if s == nil || s.excluded || !s.popped {
			continue
		}
		n := 0
		for _, p := range s.c.parents {
			ps := w.state[p]
			switch {
			case ps == nil:
			case ps.excluded:
				if !boundary[p] {
					boundary[p] = true
					set.boundary = append(set.boundary, ps.c)
				}
			default:
				n++
				ps.children = append(ps.children, s)
			}
		}
		s.pending = n
		if n == 0 {
			ready.items = append(ready.items, s)
		}
	}
	heap.Init(&ready)
	for ready.Len() > 0 {
		s := heap.Pop(&ready).(*walkState)
		set.list = append(set.list, s.c)
		s.c.seq = len(set.list)
		for _, ch := range s.children {
			if ch.pending--; ch.pending == 0 {
				heap.Push(&ready, ch)
			}
		}
	}
	return set
}

// keptMessages holds the messages a walk read, up to a budget, so that
// their commits need not be read again to scan them: on 100k commits,
// reading them again took 0.45 s of CPU. The budget bounds what a long
// history holds at once; the messages past it are read again.
type keptMessages struct {
	block []byte // messages are appended here, a new block when full
	used  int
}

// keptMessagesBudget is a variable for tests, which also read every
// message again.
var keptMessagesBudget = 32 << 20

const keptMessagesBlock = 1 << 20

// keep copies msg into the current block, or returns nil past the budget.
// An empty message is kept too, as a non-nil empty slice.
func (k *keptMessages) keep(msg []byte) []byte {
	if k.used+len(msg) > keptMessagesBudget {
		return nil
	}
	k.used += len(msg)
	if k.block == nil || len(k.block)+len(msg) > cap(k.block) {
		k.block = make([]byte, 0, max(len(msg), keptMessagesBlock))
	}
	start := len(k.block)
	k.block = append(k.block, msg...)
	return k.block[start:len(k.block):len(k.block)]
}

// commit reads what attribution needs of one commit.
func (r *gitRepo) commit(h plumbing.Hash) (*gitCommit, error) {
	c, _, err := r.commitMessage(h)
	return c, err
}

// commitMessage reads a commit and its message, which may share memory
// with what was read.
func (r *gitRepo) commitMessage(h plumbing.Hash) (*gitCommit, []byte, error) {
	if kind, data, ok := r.packs.object(h, maxCommitSize); ok && kind == packCommit {
		if c, ok := parseCommitHeaders(h, data); ok {
			_, msg, _ := bytes.Cut(data, []byte("\n\n"))
			return r.shared.commit(c), msg, nil
		}
	}
	obj, err := r.storage.EncodedObject(plumbing.CommitObject, h)
	if err != nil {
		return nil, nil, objectError(h, err)
	}
	c, err := object.DecodeCommit(r.storage, obj)
	if err != nil {
		return nil, nil, fmt.Errorf("commit %s is corrupt: %v", h, err)
	}
	return r.shared.commit(&gitCommit{
		hash: h, tree: c.TreeHash, parents: c.ParentHashes,
		author: c.Author.Name, email: c.Author.Email,
		authored: c.Author.When, committed: c.Committer.When,
	}), []byte(c.Message), nil
}

// sharedValues holds one copy of each author name, email and time zone
// of a walk: a history repeats a few of each, and every signature
// decoded has its own zone (100k commits held 23 MB, most of it zones).
type sharedValues struct {
	strings map[string]string
	zones   map[int]*time.Location
}

// commit makes c use the shared copies.
func (v *sharedValues) commit(c *gitCommit) *gitCommit {
	if v.strings == nil {
		v.strings, v.zones = map[string]string{}, map[int]*time.Location{}
	}
	c.author, c.email = v.string(c.author), v.string(c.email)
	c.authored, c.committed = v.time(c.authored), v.time(c.committed)
	return c
}

func (v *sharedValues) string(s string) string {
	if t, ok := v.strings[s]; ok {
		return t
	}
	v.strings[s] = s
	return s
}

func (v *sharedValues) time(t time.Time) time.Time {
	name, offset := t.Zone()
	if name != "" { // not a zone git wrote (UTC when unparseable)
		return t
	}
	z, ok := v.zones[offset]
	if !ok {
		z = time.FixedZone("", offset)
		v.zones[offset] = z
	}
	return t.In(z)
}

// parseCommitHeaders reads a commit's headers as go-git does (tree
// first, then the parents, then author and committer, each only in its
// place), without its decoder's buffers; false when go-git would refuse
// them, for go-git to say why.
func parseCommitHeaders(h plumbing.Hash, data []byte) (*gitCommit, bool) {
	c := &gitCommit{hash: h}
	line, data, _ := bytes.Cut(data, []byte{'\n'})
	key, value, _ := bytes.Cut(line, []byte{' '})
	if string(key) != "tree" || !plumbing.IsHash(string(value)) {
		return nil, false
	}
	c.tree = plumbing.NewHash(string(value))
	const (
		parents = iota
		author
		committer
		others
	)
	at := parents
	for len(data) > 0 {
		line, data, _ = bytes.Cut(data, []byte{'\n'})
		if len(line) == 0 {
			break // the message follows
		}
		key, value, _ := bytes.Cut(line, []byte{' '})
		if at == parents && string(key) == "parent" {
			if !plumbing.IsHash(string(value)) {
				return nil, false
			}
			c.parents = append(c.parents, plumbing.NewHash(string(value)))
			continue
		}
		if at == parents {
			at = author
		}
		if at == author {
			at = committer
			if string(key) == "author" {
				var sig object.Signature
				sig.Decode(value)
				c.author, c.email, c.authored = sig.Name, sig.Email, sig.When
				continue
			}
		}
		if at == committer {
			at = others
			if string(key) == "committer" {
				var sig object.Signature
				sig.Decode(value)
				c.committed = sig.When
				continue
			}
		}
	}
	return c, true
}

// commitQueue is a heap of commits by commit date: newest first for the
// walk, oldest first for the topological order.
type commitQueue struct {
	items       []*walkState
	oldestFirst bool
}

var _ heap.Interface = (*commitQueue)(nil)

func (q *commitQueue) Len() int { return len(q.items) }
func (q *commitQueue) Less(i, j int) bool {
	a, b := q.items[i], q.items[j]
	if q.oldestFirst {
		a, b = b, a
	}
	if !a.c.committed.Equal(b.c.committed) {
		return a.c.committed.After(b.c.committed)
	}
	return a.order < b.order
}
func (q *commitQueue) Swap(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *commitQueue) Push(x any)    { q.items = append(q.items, x.(*walkState)) }
func (q *commitQueue) Pop() any {
	s := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return s
}
