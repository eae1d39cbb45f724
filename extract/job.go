package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"syscall"
)

// Extractor turns files and in-memory content into chunks for its sink.
// It is safe for concurrent use; each call is independent.
type Extractor struct {
	opts  Options
	sink  Sink
	spare chan struct{} // tokens for extra goroutines inside one archive
}

// New returns an Extractor that delivers to sink.
func New(opts Options, sink Sink) *Extractor {
	if opts.Limits == (Limits{}) {
		opts.Limits = DefaultLimits
	}
	return &Extractor{opts: opts, sink: sink, spare: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

// spareWorker takes a token for an extra goroutine if one is free: the
// extractor never runs more than GOMAXPROCS of them, whatever the nesting.
func (e *Extractor) spareWorker() bool {
	select {
	case e.spare <- struct{}{}:
		return true
	default:
		return false
	}
}

func (e *Extractor) releaseWorker() { <-e.spare }

// File extracts the file at path on disk, named by origin.
func (e *Extractor) File(ctx context.Context, origin Origin, path string) {
	x := e.newJob(ctx)
	defer x.recover(origin)
	// Non-blocking, so that a path swapped for a FIFO since the walk does
	// not wait forever for a writer; the mode check below then skips it.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		// A file listed by a directory walk and gone since has nothing to scan.
		vanished := origin.Dir && errors.Is(err, fs.ErrNotExist)
		x.warn(Warning{Origin: origin, Err: cleanPathError(err), Fatal: !vanished})
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		x.warn(Warning{Origin: origin, Err: cleanPathError(err), Fatal: true})
		return
	}
	if !st.Mode().IsRegular() {
		x.warn(Warning{Origin: origin, Err: errors.New("not a regular file; skipped")})
		return
	}
	x.content(scope{origin: origin, name: baseName(path)}, input{r: f, size: st.Size()})
}

// Bytes extracts content already in memory (stdin, a git blob). name is a
// file name hint (for formats that have no magic bytes); it may be empty.
func (e *Extractor) Bytes(ctx context.Context, origin Origin, name string, data []byte) {
	x := e.newJob(ctx)
	defer x.recover(origin)
	x.content(scope{origin: origin, name: baseName(name)}, input{data: data, size: int64(len(data))})
}

// textRun is a run of whole lines of a text, from line line (0 for the
// first).
type textRun struct {
	line int
	data []byte
}

// textRuns extracts runs of one text's lines, line numbers the text's.
func (e *Extractor) textRuns(ctx context.Context, origin Origin, runs []textRun) {
	x := e.newJob(ctx)
	defer x.recover(origin)
	sc := scope{origin: origin, name: baseName(origin.Path)}
	for _, r := range runs {
		if !x.alive(sc) {
			return
		}
		x.emit(sc, Chunk{Data: r.data, LineOffset: r.line})
	}
}

// Reader extracts everything r yields, up to the file size limit.
func (e *Extractor) Reader(ctx context.Context, origin Origin, name string, r io.Reader) {
	data, err := io.ReadAll(io.LimitReader(r, e.opts.Limits.MaxFileSize+1))
	if err != nil {
		e.sink.Warn(Warning{Origin: origin, Err: err, Fatal: true})
		return
	}
	if int64(len(data)) > e.opts.Limits.MaxFileSize {
		e.sink.Warn(Warning{Origin: origin, Limit: "max-file-size",
			Err: fmt.Errorf("input larger than %d bytes; only the first %d scanned", e.opts.Limits.MaxFileSize, e.opts.Limits.MaxFileSize)})
		data = data[:e.opts.Limits.MaxFileSize]
	}
	e.Bytes(ctx, origin, name, data)
}

// job is one File or Bytes call: it carries the per-target budgets.
type job struct {
	ctx      context.Context
	e        *Extractor
	inflated atomic.Int64 // bytes decompressed so far, for MaxTotalBytes
	timedOut atomic.Bool
	// decodeCapped says max-decode-depth was hit (warned once a target).
	decodeCapped atomic.Bool
}

func (e *Extractor) newJob(ctx context.Context) *job {
	return &job{ctx: ctx, e: e}
}

func (x *job) limits() *Limits { return &x.e.opts.Limits }

func (x *job) warn(w Warning) { x.e.sink.Warn(w) }

// recover turns a panic in any parser into an error for this target only.
// The message names the target and where it broke, never the content: a
// runtime error's text is kept (it holds only indexes and types), any
// other panic value only by its type, since it may quote what was read.
func (x *job) recover(origin Origin) {
	if r := recover(); r != nil {
		stack := debug.Stack()
		what := fmt.Sprintf("panic(%T)", r)
		if re, ok := r.(runtime.Error); ok {
			what = re.Error()
		}
		x.warn(Warning{Origin: origin, Fatal: true,
			Err: fmt.Errorf("internal error while extracting (please report): %s\n%s", what, firstFrames(stack, 12))})
	}
}

// alive reports whether the job may go on; it warns once when the time
// budget runs out.
func (x *job) alive(sc scope) bool {
	if x.ctx.Err() == nil {
		return true
	}
	if !x.timedOut.Swap(true) {
		x.warn(Warning{Origin: sc.origin, Limit: "timeout", Err: errors.New("time budget for this target ran out; the rest of it was not scanned")})
	}
	return false
}

// scope is where in a target the extraction is.
type scope struct {
	origin Origin
	name   string // base name of the current file or member, a hint for formats without magic
	depth  int    // archive nesting
	app    *appContext
}

func (sc scope) member(name string) scope {
	child := sc
	child.origin = sc.origin.Member(name)
	child.name = baseName(name)
	return child
}

// input is content to extract: in memory (data) or on disk (r).
type input struct {
	r    io.ReaderAt
	size int64
	data []byte
}

// head returns up to n leading bytes.
func (in input) head(n int) []byte {
	if in.data != nil {
		return in.data[:min(n, len(in.data))]
	}
	buf := make([]byte, min(int64(n), in.size))
	k, _ := in.r.ReadAt(buf, 0)
	return buf[:k]
}

// bytes loads the whole input, up to the file size limit.
func (x *job) bytes(sc scope, in input) ([]byte, bool) {
	max := x.limits().MaxFileSize
	if in.size > max {
		x.warn(Warning{Origin: sc.origin, Limit: "max-file-size",
			Err: fmt.Errorf("%d bytes, over the %d-byte limit; only the first %d scanned", in.size, max, max)})
	}
	if in.data != nil {
		return in.data[:min(int64(len(in.data)), max)], true
	}
	buf := make([]byte, min(in.size, max))
	n, err := in.r.ReadAt(buf, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		x.warn(Warning{Origin: sc.origin, Err: cleanPathError(err)})
		return nil, false
	}
	return buf[:n], true
}

// content detects the format of in and extracts it.
func (x *job) content(sc scope, in input) {
	if !x.alive(sc) {
		return
	}
	kind := detect(in.head(sniffLen), sc.name)
	if kind == formatZip {
		x.zip(sc, in)
		return
	}
	data, ok := x.bytes(sc, in)
	if !ok {
		return
	}
	x.render(sc, kind, data)
}

// emit hands text to the sink, then looks for encoded secrets in it.
func (x *job) emit(sc scope, c Chunk) {
	c.Origin = sc.origin
	x.e.sink.Chunk(c)
	if !x.e.opts.NoDecode && !c.Encoded {
		x.decode(sc, c, 1)
	}
}

// emitText emits data as plain text.
func (x *job) emitText(sc scope, data []byte) {
	x.emit(sc, Chunk{Data: data})
}

// emitRendered emits text rendered from a binary format.
func (x *job) emitRendered(sc scope, format string, text []byte) {
	if len(text) == 0 {
		return
	}
	x.emit(sc, Chunk{Data: text, Rendered: true, Format: format})
}

// malformed reports a file that could not be parsed as what it claims to
// be, and falls back to its printable strings so nothing in it is missed.
func (x *job) malformed(sc scope, format string, err error, data []byte) {
	x.warn(Warning{Origin: sc.origin, Err: fmt.Errorf("malformed %s: %v; scanned its printable strings instead", format, err)})
	x.emitRendered(sc, "strings", printableStrings(data, minStringLen))
}

func baseName(p string) string {
	if i := bytes.LastIndexAny([]byte(p), `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// cleanPathError drops the Go operation name from path errors so messages
// read "open x: permission denied" rather than repeating the path.
func cleanPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func firstFrames(stack []byte, lines int) []byte {
	parts := bytes.SplitN(stack, []byte("\n"), lines+1)
	if len(parts) > lines {
		parts = parts[:lines]
	}
	return bytes.Join(parts, []byte("\n"))
}
