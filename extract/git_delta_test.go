package extract

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestAddedText(t *testing.T) {
	base := numberedLines(20, "line %d")
	var d lineDiffer // one for all: its buffers are reused
	for _, tc := range []struct {
		name, cur string
		want      string // kept lines as "n:text", blank lines left out
		any       bool
	}{
		{"unchanged", base, "", false},
		{"a line deleted", strings.Replace(base, "line 7\n", "", 1), "", false},
		{"a line inserted", strings.Replace(base, "line 7\n", "line 7\nsecret\n", 1),
			"5:line 5 6:line 6 7:line 7 8:secret 9:line 8 10:line 9 11:line 10", true},
		// Scanned again at its new place: cheaper than looking for it.
		{"a line moved", strings.Replace(strings.Replace(base, "line 3\n", "", 1), "line 15\n", "line 15\nline 3\n", 1),
			"12:line 13 13:line 14 14:line 15 15:line 3 16:line 16 17:line 17 18:line 18", true},
		{"a block deleted", strings.Replace(base, numberedLines(12, "line %d")[len(numberedLines(3, "line %d")):], "", 1), "", false},
		{"a block deleted, a line added further on", strings.Replace(strings.Replace(base, numberedLines(12, "line %d")[len(numberedLines(3, "line %d")):], "", 1), "line 16\n", "line 16\nsecret\n", 1),
			"5:line 14 6:line 15 7:line 16 8:secret 9:line 17 10:line 18 11:line 19", true},
		{"only blank lines added", strings.Replace(base, "line 7\n", "line 7\n\n  \n", 1), "", false},
		{"appended without newline", base + "tail", "17:line 17 18:line 18 19:line 19 20:tail", true},
		{"first line changed", "LINE 0\n" + strings.TrimPrefix(base, "line 0\n"), "0:LINE 0 1:line 1 2:line 2 3:line 3", true},
		// The shared tail starts inside a line: that line is new.
		{"shared tail mid-line", strings.Replace(base, "line 12\n", "xline 12\n", 1),
			"9:line 9 10:line 10 11:line 11 12:xline 12 13:line 13 14:line 14 15:line 15", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runs, any := d.addedText([]byte(base), []byte(tc.cur))
			out := blanked([]byte(tc.cur), runs)
			if any != tc.any {
				t.Fatalf("any = %v, want %v", any, tc.any)
			}
			if !any {
				return
			}
			if got := keptLines(out); got != tc.want {
				t.Errorf("kept %q\nwant %q", got, tc.want)
			}
		})
	}
}

// A line that only ends like a line of the base is new: "xxghp_…" in the
// base does not mean "ghp_…" was there.
func TestAddedTextTailInsideALine(t *testing.T) {
	var d lineDiffer
	runs, any := d.addedText([]byte("xxsecret\n"), []byte("zz\nsecret\n"))
	out := blanked([]byte("zz\nsecret\n"), runs)
	if !any || keptLines(out) != "0:zz 1:secret" {
		t.Fatalf("kept %q (any %v), want both lines", keptLines(out), any)
	}
}

func FuzzAddedText(f *testing.F) {
	f.Add([]byte(numberedLines(10, "l%d")), []byte(strings.Replace(numberedLines(10, "l%d"), "l4\n", "l4\nnew\n", 1)))
	f.Add([]byte("xxsecret\n"), []byte("zz\nsecret\n"))
	f.Add([]byte("a\nb"), []byte("a\nb\n"))
	f.Add([]byte(numberedLines(300, "l%d")), []byte(strings.Replace(strings.Replace(numberedLines(300, "l%d"), "l3\n", "new\n", 1), "l250\n", "l250\nl7\nl2\n", 1)))
	f.Fuzz(func(t *testing.T, base, cur []byte) {
		var d lineDiffer
		runs, any := d.addedText(base, cur)
		out := blanked(cur, runs)
		// Matching in order keeps at least every line a set of base's
		// changed lines keeps.
		if ref, refAny := setAddedText(base, cur); refAny {
			if !any {
				t.Fatalf("nothing kept; a set of lines keeps %q", keptLines(ref))
			}
			outLines := bytes.Split(out, []byte{'\n'})
			for i, l := range bytes.Split(ref, []byte{'\n'}) {
				if len(l) > 0 && !bytes.Equal(outLines[i], l) {
					t.Fatalf("line %d: %q kept by a set of lines, not here (kept %q)", i, l, keptLines(out))
				}
			}
		}
		had := map[string]bool{}
		for _, l := range bytes.Split(base, []byte{'\n'}) {
			had[string(l)] = true
		}
		curLines := bytes.Split(cur, []byte{'\n'})
		if !any {
			for _, l := range curLines {
				if !had[string(l)] && len(bytes.TrimSpace(l)) > 0 {
					t.Fatalf("line %q is new but nothing is kept", l)
				}
			}
			return
		}
		outLines := bytes.Split(out, []byte{'\n'})
		if len(outLines) != len(curLines) {
			t.Fatalf("%d lines out, %d in", len(outLines), len(curLines))
		}
		for i, l := range outLines {
			if len(l) > 0 && !bytes.Equal(l, curLines[i]) {
				t.Fatalf("line %d: %q is not cur's %q", i, l, curLines[i])
			}
			if !had[string(curLines[i])] && len(bytes.TrimSpace(curLines[i])) > 0 && !bytes.Equal(l, curLines[i]) {
				t.Fatalf("line %d: new %q was blanked", i, curLines[i])
			}
		}
	})
}

// setAddedText is addedText with every line of base's changed span in a
// set, as it was before lines were matched in order (which keeps moved
// lines too).
func setAddedText(base, cur []byte) ([]byte, bool) {
	var d lineDiffer
	start, end, baseEnd := changedSpan(base, cur)
	d.keepLinesNotIn(d.lines(base[start:baseEnd]), cur, start, end)
	runs, any := d.kept(cur)
	return blanked(cur, runs), any
}

// blanked is cur with every line outside runs emptied, so that the runs'
// line numbers index its lines. Runs out of order or overlapping panic.
func blanked(cur []byte, runs []textRun) []byte {
	var out []byte
	line := 0 // lines written
	for _, r := range runs {
		out = append(out, bytes.Repeat([]byte{'\n'}, r.line-line)...)
		out = append(out, r.data...)
		line = r.line + bytes.Count(r.data, []byte{'\n'})
	}
	return append(out, bytes.Repeat([]byte{'\n'}, bytes.Count(cur, []byte{'\n'})-line)...)
}

func numberedLines(n int, format string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, format+"\n", i)
	}
	return b.String()
}

func keptLines(out []byte) string {
	var kept []string
	for i, l := range strings.Split(string(out), "\n") {
		if l != "" {
			kept = append(kept, fmt.Sprintf("%d:%s", i, l))
		}
	}
	return strings.Join(kept, " ")
}

func TestByteBudget(t *testing.T) {
	b := newByteBudget(100)
	b.acquire(250) // over the bound, but nothing else is held
	acquired := make(chan bool)
	go func() {
		b.acquire(10)
		acquired <- true
	}()
	select {
	case <-acquired:
		t.Fatal("acquired while 250 of 100 bytes are held")
	case <-time.After(20 * time.Millisecond):
	}
	b.release(250)
	<-acquired
	b.add(95) // a version that stops waiting: counted, never blocked
	if b.used != 105 {
		t.Fatalf("used %d, want 105", b.used)
	}
}

// Versions 0 <- 1 <- 2 (each changed from the one before) and 3 (from 0)
// arrive in every order: each is passed on once, with its base's text
// whenever both were read, whichever came first.
func TestWaitingPairsInEitherOrder(t *testing.T) {
	bases := []int32{-1, 0, 1, 0}
	orders := [][]int32{{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 0, 3, 2}, {2, 0, 3, 1}, {1, 3, 2, 0}}
	for _, order := range orders {
		ready := make(chan gitWork, len(bases))
		q := newWaiting(ready, newByteBudget(1<<20), len(bases), func(i int32) int32 { return bases[i] })
		for _, i := range order {
			q.arrive(gitWork{index: i, data: []byte{byte('a' + i)}}, true)
		}
		if len(q.kept) != 0 || q.bytes != 0 {
			t.Errorf("order %v: %d bases still kept, %d bytes counted", order, len(q.kept), q.bytes)
		}
		q.flush()
		close(ready)
		got := map[int32]string{}
		for w := range ready {
			if _, twice := got[w.index]; twice {
				t.Fatalf("order %v: version %d passed on twice", order, w.index)
			}
			got[w.index] = string(w.base)
		}
		for i, b := range bases {
			want := ""
			if b >= 0 {
				want = string(rune('a' + b))
			}
			if got[int32(i)] != want {
				t.Errorf("order %v: version %d with base %q, want %q", order, i, got[int32(i)], want)
			}
		}
	}
}
