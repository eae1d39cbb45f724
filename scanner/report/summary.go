package report

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/keyholesec/keyhole/rules"
	"github.com/keyholesec/keyhole/scanner"
)

// writeTargetTable writes one row per target (kind, findings by severity,
// files, bytes, time) and a total row. It is not coloured: escapes would
// upset the column widths.
func writeTargetTable(w io.Writer, res *scanner.Result) {
	if len(res.Targets) == 0 {
		return
	}
	rows := [][]string{{"target", "kind", "critical", "high", "medium", "low", "info", "files", "bytes", "time"}}
	total := scanner.TargetResult{Counts: map[string]int{}}
	for _, t := range res.Targets {
		rows = append(rows, targetRow(oneLine(t.Target, 0), oneLine(t.Kind, 0), t))
		for s, n := range t.Counts {
			total.Counts[s] += n
		}
		total.Files += t.Files
		total.Bytes += t.Bytes
		total.Duration += t.Duration
	}
	if len(res.Targets) > 1 {
		rows = append(rows, targetRow("total", "", total))
	}
	writeTable(w, rows, 2)
	fmt.Fprintln(w)
}

func targetRow(name, kind string, t scanner.TargetResult) []string {
	row := []string{name, kind}
	for _, s := range rules.Severities {
		row = append(row, fmt.Sprint(t.Counts[s]))
	}
	return append(row, fmt.Sprint(t.Files), humanBytes(t.Bytes), humanDuration(t.Duration))
}

// writeTable aligns the first left columns to the left and the others
// (numbers) to the right, two spaces apart.
func writeTable(w io.Writer, rows [][]string, left int) {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			if i > 0 {
				b.WriteString("  ")
			}
			if i < left {
				b.WriteString(cell + pad)
			} else {
				b.WriteString(pad + cell)
			}
		}
		fmt.Fprintln(w, "  "+strings.TrimRight(b.String(), " "))
	}
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "KMGTP"[exp])
}

func humanDuration(d time.Duration) string {
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(10 * time.Millisecond).String()
}

// writeRepeatedSecrets lists, once each, secrets found in more than one
// target (the same key in a debug and a release build, say) with every
// place they were found.
func writeRepeatedSecrets(w io.Writer, p palette, findings []scanner.Finding) {
	var order []string
	places := map[string][]*scanner.Finding{}
	targets := map[string]map[string]bool{}
	for i := range findings {
		f := &findings[i]
		k := secretKey(f)
		if k == "" {
			continue
		}
		if _, ok := places[k]; !ok {
			order = append(order, k)
			targets[k] = map[string]bool{}
		}
		places[k] = append(places[k], f)
		targets[k][f.Target] = true
	}
	header := false
	for _, k := range order {
		if len(targets[k]) < 2 {
			continue
		}
		if !header {
			fmt.Fprintln(w, p.bold("same secret in several targets"))
			header = true
		}
		first := places[k][0]
		fmt.Fprintln(w, "  "+p.severity(first.Severity, oneLine(first.Rule, 0))+"  "+oneLine(first.Secret, maxSecret))
		for _, f := range places[k] {
			fmt.Fprintln(w, "    "+oneLine(location(f), 0)+":"+position(f))
		}
	}
	if header {
		fmt.Fprintln(w)
	}
}

// secretKey identifies a secret regardless of where it was found: by its
// SecretHash, which the engine takes from the real secret. Without one
// (results read back from older reports) a redacted secret no longer tells
// keys apart (every AWS key redacts to "AKIA…REDACTED"), so then the
// fingerprint stands in: it hashes the real secret, but also the path
// inside the target, so only the same secret at the same path in several
// targets is grouped. Misconfigurations have no secret and are not grouped.
func secretKey(f *scanner.Finding) string {
	switch {
	case f.Kind != "" && f.Kind != "secret", f.Secret == "":
		return ""
	case f.SecretHash != "":
		return "hash\x00" + f.SecretHash
	case strings.HasSuffix(f.Secret, "REDACTED"): // scanner.Redact's mark
		return f.Rule + "\x00fingerprint\x00" + f.Fingerprint
	default:
		return f.Rule + "\x00secret\x00" + f.Secret
	}
}
