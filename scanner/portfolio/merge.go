package portfolio

import (
	"slices"

	"github.com/keyholesec/keyhole/scanner"
)

// Merge combines the results of shards (or of any runs) into one result,
// as if one run had scanned every target: findings in report order, the
// same finding reported twice (by shards whose target lists overlapped)
// kept once, warnings and target summaries once each. Baseline use is
// not merged: each shard saw only part of the targets.
func Merge(results []*scanner.Result) *scanner.Result {
	type key struct {
		target, fingerprint, commit string
		line, column                int
	}
	out := &scanner.Result{}
	seen := map[key]bool{}
	warned := map[scanner.Warning]bool{}
	targets := map[string]bool{}
	for _, r := range results {
		for _, f := range r.Findings {
			k := key{f.Target, f.Fingerprint, f.Commit, f.Line, f.Column}
			if !seen[k] {
				seen[k] = true
				out.Findings = append(out.Findings, f)
			}
		}
		for _, w := range r.Warnings {
			if !warned[w] {
				warned[w] = true
				out.Warnings = append(out.Warnings, w)
			}
		}
		for _, t := range r.Targets {
			if !targets[t.Target] {
				targets[t.Target] = true
				out.Targets = append(out.Targets, t)
			}
		}
		out.Suppressed += r.Suppressed
	}
	scanner.SortFindings(out.Findings)
	slices.SortStableFunc(out.Warnings, func(a, b scanner.Warning) int { return cmpEach(a.Target, b.Target, a.Path, b.Path) })
	slices.SortStableFunc(out.Targets, func(a, b scanner.TargetResult) int { return cmpEach(a.Target, b.Target) })
	return out
}

// Diff is how findings changed between two runs, by fingerprint (rule,
// path inside the target and secret; not the line): a finding that moved
// is unchanged.
type Diff struct {
	New       []scanner.Finding `json:"new"`
	Fixed     []scanner.Finding `json:"fixed"`
	Unchanged []scanner.Finding `json:"unchanged"`
}

// Compare finds what is new in after, what before had that after lacks,
// and what both have (as after has it).
func Compare(before, after []scanner.Finding) Diff {
	d := Diff{New: []scanner.Finding{}, Fixed: []scanner.Finding{}, Unchanged: []scanner.Finding{}}
	inBefore, inAfter := fingerprints(before), fingerprints(after)
	for _, f := range after {
		if inBefore[f.Fingerprint] {
			d.Unchanged = append(d.Unchanged, f)
		} else {
			d.New = append(d.New, f)
		}
	}
	for _, f := range before {
		if !inAfter[f.Fingerprint] {
			d.Fixed = append(d.Fixed, f)
		}
	}
	return d
}

func fingerprints(fs []scanner.Finding) map[string]bool {
	out := make(map[string]bool, len(fs))
	for _, f := range fs {
		out[f.Fingerprint] = true
	}
	return out
}
