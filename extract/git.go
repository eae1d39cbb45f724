package extract

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// CommitMessagePath is the Path of a commit message's origin.
const CommitMessagePath = "(commit message)"

// UnreachablePrefix starts the Path of a blob that no commit reaches
// (scanned with GitOptions.Unreachable); the blob's hash follows.
const UnreachablePrefix = "(unreachable)/"

// GitOptions say what of a repository's history to scan.
type GitOptions struct {
	// Range "A..B" scans only what the commits reachable from B but not
	// from A introduced (and their messages). Empty: every ref.
	Range string
	// Unreachable also scans commits and blobs that no ref reaches.
	Unreachable bool
	// Workers read and scan blobs at once; 0 means one per CPU.
	Workers int
}

// GitStats count what a history scan read.
type GitStats struct {
	Commits int
	Blobs   int
	Bytes   int64
}

// Git scans the history of the repository at target: every blob any
// commit introduced, once, with the commit, author and path of each place
// it was introduced (Chunk.Aliases beyond the first), and every commit
// message. A repository that cannot be read at all is an error; missing
// or corrupt objects are warnings and the rest is scanned.
func (e *Extractor) Git(ctx context.Context, target string, opts GitOptions) (GitStats, error) {
	dir, err := findGitDir(target)
	if err != nil {
		return GitStats{}, err
	}
	r := openGitDir(dir)
	defer r.close()
	if readPacks {
		r.packs = openPacks(dir)
		defer r.packs.close()
	}
	warn := func(err error) { e.sink.Warn(Warning{Origin: Origin{Target: target}, Err: err}) }

	include, exclude, err := r.revisions(opts.Range, warn)
	if err != nil {
		return GitStats{}, err
	}
	if opts.Unreachable && opts.Range == "" {
		include = append(include, r.danglingCommits(include, warn)...)
	}
	var trees *diffTrees
	var found func(*gitCommit)
	if opts.Range == "" { // a range also needs what its boundary held
		if trees = startDiffTrees(ctx, dir); trees != nil {
			defer trees.stop()
			found = trees.add
		}
	}
	set, err := r.walkCommits(ctx, include, exclude, warn, found)
	if err != nil {
		return GitStats{}, err
	}
	headersRead := func() {}
	if opts.Range == "" { // a range reads a few objects, not the packs
		headersRead = r.packs.readHeaders()
		defer headersRead() // before the packs close
	}
	var att *attribution
	if trees != nil {
		att, err = trees.attribution(set.list)
	}
	if att == nil || err != nil {
		att = newAttribution(0)
		for _, c := range set.boundary {
			att.visit(r, c.tree, -1, false, warn)
		}
		for i, c := range set.list {
			if err := ctx.Err(); err != nil {
				return GitStats{}, err
			}
			att.visit(r, c.tree, int32(i), true, warn)
		}
	}
	att.seen = nil // only building it needs it: 13 MB on 100k commits
	headersRead()
	var orphans []plumbing.Hash
	if opts.Unreachable && opts.Range == "" {
		orphans = r.orphanBlobs(att, warn)
	}
	att.index, att.pathIDs = nil, nil // built: 10 MB on 100k commits
	s := &gitScan{e: e, target: target, dir: dir, set: set, att: att, inRange: opts.Range != "", packs: r.packs}
	s.diffs = !s.inRange && !e.opts.WholeBlobs
	err = s.run(ctx, opts.Workers, orphans)
	return GitStats{Commits: len(set.list), Blobs: len(att.blobs) + len(orphans), Bytes: s.bytes}, err
}

// gitScan reads and scans what the walk found: one reader (see fetch),
// several scanning workers, each with its own repository handle.
type gitScan struct {
	e      *Extractor
	target string
	dir    string
	set    *commitSet
	att    *attribution
	// packs, when set, are read directly (see fromPacks).
	packs *packSet
	// orphans are the blobs no commit reaches, when they are scanned.
	orphans []plumbing.Hash
	// inRange reports only lines each commit added (see introduced).
	inRange bool
	// diffs scans a text version changed from another only where it
	// differs (see addedText); otherwise every version is read whole.
	diffs bool

	mu    sync.Mutex
	bytes int64
}

// gitWork is one blob, one commit message, or one unreachable blob.
type gitWork struct {
	blob   *blobUses
	index  int32 // of blob in attribution.blobs
	commit *gitCommit
	orphan plumbing.Hash
	asked  bool // of cat-file

	// fetched: a pack or cat-file delivered data (up to the limit) of
	// size bytes; otherwise the worker reads the object through go-git.
	fetched bool
	kept    bool // data is the commit's message, as the walk kept it
	data    []byte
	size    int64
	// base is the text of the version this one was changed from, when
	// both are text: only what differs is scanned.
	base []byte
	// buf and baseBuf hold data and base when they are to be recycled.
	buf, baseBuf *sharedBytes
}

// done lets the buffers of w be recycled.
func (w gitWork) done() {
	w.buf.release()
	w.baseBuf.release()
}

// object is the commit or blob the work reads.
func (w gitWork) object() plumbing.Hash {
	switch {
	case w.blob != nil:
		return w.blob.hash
	case w.commit != nil:
		return w.commit.hash
	}
	return w.orphan
}

// run reads every object and scans it on workers. Objects come first
// from the repository's pack files, read directly (see pack); the rest
// (loose objects, packs that cannot be read) through `git cat-file
// --batch`, or go-git without git.
func (s *gitScan) run(ctx context.Context, workers int, orphans []plumbing.Hash) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	readers := min(workers, maxReaders)
	s.orphans = orphans
	ready := make(chan gitWork, 64)
	inFlight := newByteBudget(inFlightBytes)
	wait := newWaiting(ready, inFlight, len(s.att.blobs), s.att.base)
	pass := func(w gitWork) {
		inFlight.acquire(len(w.data))
		if w.blob == nil || !w.fetched || !s.diffs {
			ready <- w
			return
		}
		wait.arrive(w, isText(w.data, s.name(w)))
	}
	go func() {
		ids := s.ids()
		for _, c := range s.set.list {
			if c.message != nil {
				w := gitWork{commit: c, data: c.message, kept: true}
				c.message = nil // scanned once, and let go of when scanned
				pass(w)
			}
		}
		if !s.inRange && s.packs != nil {
			ids = s.fromPacks(ctx, ids, readers, pass)
		}
		s.fetchAll(ctx, ids, readers, pass)
		wait.flush()
		close(ready)
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			r := openGitDir(s.dir)
			defer r.close()
			var differ lineDiffer
			for w := range ready {
				if ctx.Err() == nil {
					s.do(ctx, r, &differ, w)
				}
				w.done()
				inFlight.release(len(w.data))
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}

// readPacks reads history objects from pack files directly. Tests turn it
// off to check that cat-file and go-git read the same.
var readPacks = true

// ids lists the work to read of a history scan, each item by a number:
// blobs newest first (as packs store them: deltas are made against the
// newer version), then commits whose messages the walk did not keep, then
// unreachable blobs.
func (s *gitScan) ids() []int32 {
	n, c := len(s.att.blobs), len(s.set.list)
	ids := make([]int32, 0, n+c+len(s.orphans))
	for i := n - 1; i >= 0; i-- {
		ids = append(ids, int32(i))
	}
	for i := range c + len(s.orphans) {
		if i < c && s.set.list[i].message != nil {
			continue
		}
		ids = append(ids, int32(n+i))
	}
	return ids
}

// work is the item numbered id (see ids).
func (s *gitScan) work(id int32) gitWork {
	n, c := int32(len(s.att.blobs)), int32(len(s.set.list))
	switch {
	case id < n:
		return gitWork{blob: &s.att.blobs[id], index: id}
	case id < n+c:
		return gitWork{commit: s.set.list[id-n]}
	}
	return gitWork{orphan: s.orphans[id-n-c]}
}

// fetchAll reads the items through cat-file, cut into contiguous runs,
// one per reader: two processes on two halves cost no more CPU than one
// on the whole and take half as long, where two taking turns cost 80%
// more (consecutive reads share delta bases).
func (s *gitScan) fetchAll(ctx context.Context, ids []int32, readers int, pass func(gitWork)) {
	var fetching sync.WaitGroup
	for k := range readers {
		part := ids[k*len(ids)/readers : (k+1)*len(ids)/readers]
		if len(part) == 0 {
			continue
		}
		work := make(chan gitWork, 256)
		fetching.Go(func() { s.fetch(ctx, work, pass) })
		go func() {
			defer close(work)
			for _, id := range part {
				work <- s.work(id)
			}
		}()
	}
	fetching.Wait()
}

// maxReaders bounds the readers of one history scan: pack resolvers,
// cat-file processes, diff-tree processes.
const maxReaders = 2

// inFlightBytes bounds the blobs read and not yet scanned (beyond the
// versions waiting, and one blob per reader, which may be larger).
const inFlightBytes = 64 << 20

// byteBudget bounds bytes held between goroutines: acquire waits while
// others hold too much, except when none is held at all, so that one
// large blob still passes.
type byteBudget struct {
	mu   sync.Mutex
	cond sync.Cond
	used int
	max  int
}

func newByteBudget(max int) *byteBudget {
	b := &byteBudget{max: max}
	b.cond.L = &b.mu
	return b
}

func (b *byteBudget) acquire(n int) {
	b.mu.Lock()
	for b.used > 0 && b.used+n > b.max {
		b.cond.Wait()
	}
	b.used += n
	b.mu.Unlock()
}

// add counts n bytes without waiting: versions that stop waiting.
func (b *byteBudget) add(n int) {
	b.mu.Lock()
	b.used += n
	b.mu.Unlock()
}

func (b *byteBudget) release(n int) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	b.cond.Broadcast()
}

// fetch passes work on with its object read by cat-file, in order.
// Without git (and for ranges, which read a blob and its parent's, few
// and not in a stream) work passes on as it is, to be read by go-git, and
// every version is scanned whole.
func (s *gitScan) fetch(ctx context.Context, work <-chan gitWork, pass func(gitWork)) {
	var cat *catFile
	if !s.inRange {
		cat = startCatFile(ctx, s.dir)
	}
	if cat == nil {
		for w := range work {
			pass(w)
		}
		return
	}
	defer cat.close()
	asked := make(chan gitWork, 64)
	go cat.feed(work, asked)
	for w := range asked {
		kind, max := "blob", s.e.opts.Limits.MaxFileSize
		if w.commit != nil {
			kind, max = "commit", maxCommitSize
		}
		w.data, w.size, w.fetched = cat.answer(w, kind, max)
		pass(w)
	}
}

// name is the file name of a blob where it was first introduced.
func (s *gitScan) name(w gitWork) string {
	return baseName(s.att.paths[w.blob.uses[0].path])
}

func (s *gitScan) do(ctx context.Context, r *gitRepo, differ *lineDiffer, w gitWork) {
	switch {
	case w.commit != nil:
		s.message(ctx, r, w)
	case w.blob != nil && s.inRange:
		s.introduced(ctx, r, w.blob)
	case w.blob != nil:
		s.version(ctx, r, w, differ)
	default:
		s.blob(ctx, r, w, []Origin{{Target: s.target, Dir: true, Path: UnreachablePrefix + w.orphan.String()}})
	}
}

func (s *gitScan) origin(c *gitCommit, path string) Origin {
	return Origin{Target: s.target, Dir: true, Path: path,
		Commit: c.hash.String(), Author: c.author, Email: c.email, Date: c.authored, Seq: c.seq}
}

// maxCommitSize bounds the commit object read for its message.
const maxCommitSize = 1 << 20

// message scans a commit's message as text.
func (s *gitScan) message(ctx context.Context, r *gitRepo, w gitWork) {
	c := w.commit
	msg := w.data
	var err error
	switch {
	case w.kept:
	case w.fetched:
		_, msg, _ = bytes.Cut(w.data, []byte("\n\n")) // after the headers
	default:
		msg, err = r.message(c.hash)
	}
	if err != nil {
		s.e.sink.Warn(Warning{Origin: Origin{Target: s.target, Commit: c.hash.String()}, Err: err})
		return
	}
	if len(bytes.TrimSpace(msg)) == 0 {
		return
	}
	s.e.Bytes(ctx, s.origin(c, CommitMessagePath), "", msg)
}

// version scans one version of a file: whole, or where it differs from
// the version it was changed from (addedText).
func (s *gitScan) version(ctx context.Context, r *gitRepo, w gitWork, differ *lineDiffer) {
	origins := make([]Origin, len(w.blob.uses))
	for k, u := range w.blob.uses {
		origins[k] = s.origin(s.set.list[u.commit], s.att.paths[u.path])
	}
	data, ok := s.read(r, w, origins...)
	switch {
	case !ok:
	case w.base == nil:
		s.scan(ctx, origins, data, nil)
	default:
		if runs, any := differ.addedText(w.base, data); any {
			s.scan(ctx, origins, nil, runs)
		}
	}
}

func isText(data []byte, name string) bool {
	return detect(data[:min(len(data), sniffLen)], name) == formatText
}

// blob reads a blob once and scans it for every origin it has.
func (s *gitScan) blob(ctx context.Context, r *gitRepo, w gitWork, origins []Origin) {
	if data, ok := s.read(r, w, origins...); ok {
		s.scan(ctx, origins, data, nil)
	}
}

// scan extracts data, or the runs of a text's lines, for its first
// origin, the others as aliases. Runs are text as they are, not detected
// again: a run alone may not look like its file. Only data gets the time
// budget of a file: runs of text are scanned in one pass, and a timer
// for each of the 230k versions of 100k commits took 2.5% of the CPU.
func (s *gitScan) scan(ctx context.Context, origins []Origin, data []byte, runs []textRun) {
	ex := s.e
	if len(origins) > 1 {
		ex = New(s.e.opts, aliasSink{Sink: s.e.sink, primary: origins[0].Path, aliases: origins[1:]})
	}
	if runs != nil {
		ex.textRuns(ctx, origins[0], runs)
		return
	}
	tctx, cancel := targetContext(ctx, s.e.opts.Limits.TargetTimeout)
	defer cancel()
	ex.Bytes(tctx, origins[0], origins[0].Path, data)
}

// read returns a blob up to the size limit, as cat-file fetched it or
// through go-git, warning for each origin when it cannot, and once when
// it is cut short.
func (s *gitScan) read(r *gitRepo, w gitWork, origins ...Origin) ([]byte, bool) {
	h, max := w.object(), s.e.opts.Limits.MaxFileSize
	data, size, ok := w.data, w.size, w.fetched
	var err error
	if !ok {
		data, size, err = r.blob(h, max)
	}
	if err != nil {
		for _, o := range origins {
			s.e.sink.Warn(Warning{Origin: o, Err: err})
		}
		return nil, false
	}
	if size > int64(len(data)) {
		s.e.sink.Warn(Warning{Origin: origins[0], Limit: "max-file-size",
			Err: fmt.Errorf("%d bytes, over the %d-byte limit; only the first %d scanned", size, len(data), len(data))})
	}
	s.mu.Lock()
	s.bytes += int64(len(data))
	s.mu.Unlock()
	return data, true
}

// aliasSink adds the other places a blob was introduced to every chunk
// extracted from it, members included ("a.apk!classes.dex" is also
// "b.apk!classes.dex").
type aliasSink struct {
	Sink
	primary string
	aliases []Origin
}

func (s aliasSink) Chunk(c Chunk) {
	member := strings.TrimPrefix(c.Origin.Path, s.primary)
	c.Aliases = slices.Clone(s.aliases)
	for i := range c.Aliases {
		c.Aliases[i].Path += member
	}
	s.Sink.Chunk(c)
}

func targetContext(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, d)
}
