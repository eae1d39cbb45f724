package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/keyholesec/keyhole/rules"
	"github.com/keyholesec/keyhole/scanner"
)

// Caps, in runes, on text that comes from scanned content.
const (
	maxMatch       = 160
	maxSecret      = 160
	maxDescription = 200
	maxMessage     = 300
)

// writeText writes the report for people: findings grouped by location,
// then warnings, then (with Summary) the per-target table and secrets
// found in several targets, then a one-line tally. Everything that comes
// from scanned content or file names goes through oneLine.
func writeText(w io.Writer, res *scanner.Result, opts Options) error {
	bw := bufio.NewWriter(w)
	p := palette{on: opts.Color}
	writeFindingGroups(bw, p, res.Findings)
	writeWarnings(bw, p, res.Warnings)
	if opts.Summary {
		writeTargetTable(bw, res)
		writeRepeatedSecrets(bw, p, res.Findings)
	}
	fmt.Fprintln(bw, p.bold(tally(res)))
	return bw.Flush()
}

// location is where a finding is, as people read it.
func location(f *scanner.Finding) string {
	switch {
	case f.Location != "":
		return f.Location
	case f.Path == "":
		return f.Target
	case f.Target == "":
		return f.Path
	default:
		// Location is not serialised; a Finding read back from JSON no
		// longer says whether Target was a directory or a container.
		return f.Target + "/" + f.Path
	}
}

// groupByLocation keeps the Result's order of first appearance.
func groupByLocation(findings []scanner.Finding) (order []string, groups map[string][]*scanner.Finding) {
	groups = map[string][]*scanner.Finding{}
	for i := range findings {
		f := &findings[i]
		loc := location(f)
		if _, ok := groups[loc]; !ok {
			order = append(order, loc)
		}
		groups[loc] = append(groups[loc], f)
	}
	return order, groups
}

func writeFindingGroups(w io.Writer, p palette, findings []scanner.Finding) {
	order, groups := groupByLocation(findings)
	for _, loc := range order {
		fs := groups[loc]
		fmt.Fprintln(w, p.bold(oneLine(loc, 0)))
		positions := make([]string, len(fs))
		width, ruleWidth := 0, 0
		for i, f := range fs {
			positions[i] = position(f)
			width = max(width, len(positions[i]))
			ruleWidth = max(ruleWidth, utf8.RuneCountInString(oneLine(f.Rule, 0)))
		}
		indent := strings.Repeat(" ", 2+width+2)
		for i, f := range fs {
			writeFinding(w, p, f, fmt.Sprintf("  %-*s  ", width, positions[i]), indent, ruleWidth)
		}
		fmt.Fprintln(w)
	}
}

// position is "line:column", "line" when the column means nothing (text
// decoded from base64 and the like), or "-" for a finding on a whole file.
func position(f *scanner.Finding) string {
	switch {
	case f.Line <= 0:
		return "-"
	case f.Column <= 0:
		return fmt.Sprint(f.Line)
	default:
		return fmt.Sprintf("%d:%d", f.Line, f.Column)
	}
}

func writeFinding(w io.Writer, p palette, f *scanner.Finding, lead, indent string, ruleWidth int) {
	rule := oneLine(f.Rule, 0)
	head := lead + p.severity(f.Severity, fmt.Sprintf("%-8s", f.Severity)) + "  " + p.bold(rule) +
		strings.Repeat(" ", ruleWidth-utf8.RuneCountInString(rule)+2) + oneLine(f.Description, maxDescription)
	if f.Format != "" {
		head += "  " + p.dim("("+oneLine(f.Format, 0)+")")
	}
	fmt.Fprintln(w, head)
	if f.Secret != "" && f.Kind != rules.KindMisconfig { // a misconfiguration's match says it all
		fmt.Fprintln(w, indent+p.dim("secret ")+oneLine(f.Secret, maxSecret))
	}
	if m := strings.TrimSpace(f.Match); m != "" {
		fmt.Fprintln(w, indent+p.dim("match  ")+oneLine(m, maxMatch))
	}
	if f.Commit != "" {
		fmt.Fprintln(w, indent+p.dim("commit ")+provenance(f))
	}
}

// provenance is "1a2b3c4 Alice <alice@example.com> 2024-03-01".
func provenance(f *scanner.Finding) string {
	parts := []string{oneLine(shortHash(f.Commit), 0)}
	if f.Author != "" {
		parts = append(parts, oneLine(f.Author, 80))
	}
	if f.Email != "" {
		parts = append(parts, "<"+oneLine(f.Email, 80)+">")
	}
	if f.Date != nil {
		parts = append(parts, f.Date.Format("2006-01-02"))
	}
	return strings.Join(parts, " ")
}

func shortHash(h string) string {
	if len(h) > 7 {
		return h[:7]
	}
	return h
}

// writeWarnings lists warnings grouped by target, each with the path
// inside the target and the limit it hit.
func writeWarnings(w io.Writer, p palette, warnings []scanner.Warning) {
	if len(warnings) == 0 {
		return
	}
	fmt.Fprintln(w, p.yellow(plural(len(warnings), "warning")))
	var order []string
	byTarget := map[string][]*scanner.Warning{}
	for i := range warnings {
		wn := &warnings[i]
		if _, ok := byTarget[wn.Target]; !ok {
			order = append(order, wn.Target)
		}
		byTarget[wn.Target] = append(byTarget[wn.Target], wn)
	}
	for _, target := range order {
		fmt.Fprintln(w, "  "+p.bold(oneLine(target, 0)))
		for _, wn := range byTarget[target] {
			line := "    "
			if wn.Fatal {
				line += p.red("error: ")
			}
			if wn.Path != "" {
				line += oneLine(wn.Path, 0) + ": "
			}
			if wn.Limit != "" {
				line += "limit " + oneLine(wn.Limit, 0) + ": "
			}
			fmt.Fprintln(w, line+oneLine(wn.Message, maxMessage))
		}
	}
	fmt.Fprintln(w)
}

// tally is the last line: "12 findings (2 critical, 10 high) in 3
// targets, 1 warning".
func tally(res *scanner.Result) string {
	counts := map[string]int{}
	targets := map[string]bool{}
	for _, f := range res.Findings {
		counts[f.Severity]++
		targets[f.Target] = true
	}
	var bySeverity []string
	for _, s := range rules.Severities {
		if counts[s] > 0 {
			bySeverity = append(bySeverity, fmt.Sprintf("%d %s", counts[s], s))
			delete(counts, s)
		}
	}
	other := 0
	for _, n := range counts {
		other += n
	}
	if other > 0 {
		bySeverity = append(bySeverity, fmt.Sprintf("%d unrated", other))
	}
	s := "no findings"
	if len(res.Findings) > 0 {
		s = plural(len(res.Findings), "finding") + " (" + strings.Join(bySeverity, ", ") + ")"
	}
	n := len(res.Targets)
	if n == 0 {
		n = len(targets)
	}
	if n > 0 {
		s += " in " + plural(n, "target")
	}
	if len(res.Warnings) > 0 {
		s += ", " + plural(len(res.Warnings), "warning")
	}
	if res.Suppressed > 0 {
		s += fmt.Sprintf(", %d suppressed", res.Suppressed)
	}
	if res.BaselineUnused > 0 {
		s += ", " + plural(res.BaselineUnused, "baseline entry") + " no longer found"
	}
	return s
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(noun, "y"))
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
