package extract

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"sync/atomic"

	"github.com/go-git/go-git/v5/plumbing"
)

// GitExecutable is the git program a history scan streams blobs from
// (`git cat-file --batch` resolves deltas in C, in a process of its own:
// FIELD-NOTES). Empty, or not on PATH: go-git alone, which stays the
// reference path and answers for any blob cat-file does not deliver.
var GitExecutable = "git"

// catFile is one `git cat-file --batch`. A feeder asks for blobs and
// commits ahead of the reader, so that neither side waits for the other;
// the reader takes the answers in the same order.
type catFile struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	in    *bufio.Writer
	out   *bufio.Reader
	// dead: git exited or the stream is out of step (git stops at a
	// corrupt object); the rest goes through go-git.
	dead atomic.Bool
}

// startCatFile returns nil when git is not available.
func startCatFile(ctx context.Context, dir string) *catFile {
	if GitExecutable == "" {
		return nil
	}
	cmd := exec.CommandContext(ctx, GitExecutable, "--git-dir="+dir, "cat-file", "--batch")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil
	}
	widenPipe(stdout)
	if err := cmd.Start(); err != nil {
		return nil
	}
	return &catFile{cmd: cmd, stdin: stdin, in: bufio.NewWriter(stdin), out: bufio.NewReaderSize(stdout, 64<<10)}
}

// feed passes work on to queue, asking git for each blob on the way. It
// flushes before anything it does can block, so the reader never waits
// for an answer to a question still in the buffer.
func (c *catFile) feed(work <-chan gitWork, queue chan<- gitWork) {
	defer close(queue)
	defer c.stdin.Close()
	for {
		var w gitWork
		var ok bool
		select {
		case w, ok = <-work:
		default:
			c.flush()
			w, ok = <-work
		}
		if !ok {
			c.flush()
			return
		}
		if h := w.object(); !c.dead.Load() {
			if _, err := fmt.Fprintf(c.in, "%s\n", h); err != nil {
				c.dead.Store(true)
			} else {
				w.asked = true
			}
		}
		select {
		case queue <- w:
		default:
			c.flush()
			queue <- w
		}
	}
}

func (c *catFile) flush() {
	if err := c.in.Flush(); err != nil {
		c.dead.Store(true)
	}
}

// answer reads git's answer for w's object when the feeder asked for it
// (c may be nil: nothing was asked): up to max bytes of the object, which
// must be of type kind, and its full size. False means: ask go-git, which
// also names what is wrong.
func (c *catFile) answer(w gitWork, kind string, max int64) ([]byte, int64, bool) {
	if c == nil || !w.asked || c.dead.Load() {
		return nil, 0, false
	}
	data, size, err := c.read(w.object(), kind, max)
	if err != nil && !errors.Is(err, errWrongType) {
		c.dead.Store(true) // the stream is out of step from here on
	}
	return data, size, err == nil
}

var errWrongType = errors.New("not of the type asked")

func (c *catFile) read(h plumbing.Hash, kind string, max int64) ([]byte, int64, error) {
	header, err := c.out.ReadSlice('\n')
	if err != nil {
		return nil, 0, err
	}
	// "<oid> <type> <size>\n", or "<oid> missing\n".
	fields := bytes.Fields(header)
	if len(fields) == 0 || string(fields[0]) != h.String() {
		return nil, 0, errors.New("cat-file: answer out of step")
	}
	if len(fields) != 3 {
		return nil, 0, errWrongType
	}
	size, err := strconv.ParseInt(string(fields[2]), 10, 64)
	if err != nil || size < 0 {
		return nil, 0, errors.New("cat-file: bad header")
	}
	wanted := string(fields[1]) == kind
	keep := min(size, max)
	if !wanted {
		keep = 0
	}
	data := make([]byte, keep)
	if _, err := io.ReadFull(c.out, data); err != nil {
		return nil, 0, err
	}
	if _, err := c.out.Discard(int(size - keep + 1)); err != nil { // the rest, and the LF
		return nil, 0, err
	}
	if !wanted {
		return nil, 0, errWrongType
	}
	return data, size, nil
}

func (c *catFile) close() {
	c.cmd.Process.Kill()
	c.cmd.Wait()
}
