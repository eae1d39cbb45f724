package portfolio

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// maxTargetLine bounds one line of a targets file.
const maxTargetLine = 64 << 10

// Expand turns targets as given into paths. A pattern the shell left
// alone (quoted, or from a targets file) is expanded here: *, ?, [...],
// {a,b} and ** for any depth, matches sorted. A name that exists is taken
// literally, even when it looks like a pattern ("a[1].txt"); a pattern
// that matches nothing stays as it is, so the scan reports it as a target
// that could not be read. "-" is standard input. Repeats are dropped.
func Expand(args []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, a := range args {
		if a == "-" || !isPattern(a) {
			add(a)
			continue
		}
		if _, err := os.Lstat(a); err == nil {
			add(a)
			continue
		}
		matches, err := doublestar.FilepathGlob(a, doublestar.WithNoFollow())
		if err != nil {
			return nil, fmt.Errorf("target pattern %q: %v", a, err)
		}
		if len(matches) == 0 {
			add(a)
			continue
		}
		slices.Sort(matches)
		for _, m := range matches {
			add(m)
		}
	}
	return out, nil
}

func isPattern(s string) bool { return strings.ContainsAny(s, "*?[{") }

// ReadTargets reads a targets file: one path or pattern a line; blank
// lines and lines starting with # are skipped, surrounding spaces trimmed.
// Relative paths are relative to the working directory, as on a command
// line.
func ReadTargets(r io.Reader) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), maxTargetLine)
	var out []string
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("targets file: %v", err)
	}
	return out, nil
}
