package rules_test

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/keyholesec/keyhole/extract"
	"github.com/keyholesec/keyhole/rules"
	"github.com/keyholesec/keyhole/scanner"
)

// misconfigRules are the rules the corpus in testdata/misconfig measures.
// Other rules (secrets, android-*, ios-*) may fire on its snippets too;
// they are judged elsewhere.
var misconfigRules = []string{
	"tls-verification-disabled",
	"tls-verification-disabled-java",
	"tls-verification-disabled-swift",
	"flutter-bad-certificate-callback",
	"cleartext-endpoint",
	"cleartext-endpoint-private",
}

// Thresholds the corpus must meet.
const (
	minRecall        = 0.95
	maxFalsePositive = 0.03
)

// snippet is one labelled piece of the corpus. A file holds snippets each
// under a header line
//
//	### expect: RULE[,RULE…]|none [path=PATH] [severity=SEVERITY]
//
// Lines before the first header describe the file and are skipped.
type snippet struct {
	where    string   // file:line of the header
	expect   []string // rule ids; empty means none
	path     string   // the path the snippet is scanned as
	severity string   // the severity wanted, when set
	text     string
}

func readCorpus(t *testing.T, dir string) []snippet {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus in %s: %v", dir, err)
	}
	var out []snippet
	for _, f := range files {
		out = append(out, parseCorpus(t, f)...)
	}
	return out
}

func parseCorpus(t *testing.T, file string) []snippet {
	t.Helper()
	fh, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var out []snippet
	var body []string
	flush := func() {
		if n := len(out); n > 0 {
			out[n-1].text = strings.TrimRight(strings.Join(body, "\n"), "\n")
			if out[n-1].text == "" {
				t.Errorf("%s: empty snippet", out[n-1].where)
			}
		}
		body = nil
	}
	sc := bufio.NewScanner(fh)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		header, ok := strings.CutPrefix(line, "### expect:")
		if !ok {
			body = append(body, line)
			continue
		}
		flush()
		s := snippet{where: filepath.Base(file) + ":" + strconv.Itoa(n), path: "src/" + strings.TrimSuffix(filepath.Base(file), ".txt")}
		fields := strings.Fields(header)
		if len(fields) == 0 {
			t.Fatalf("%s: header without a label", s.where)
		}
		if fields[0] != "none" {
			s.expect = strings.Split(fields[0], ",")
		}
		for _, id := range s.expect {
			if !slices.Contains(misconfigRules, id) {
				t.Fatalf("%s: unknown rule %q", s.where, id)
			}
		}
		for _, f := range fields[1:] {
			k, v, _ := strings.Cut(f, "=")
			switch k {
			case "path":
				s.path = v
			case "severity":
				s.severity = v
			default:
				t.Fatalf("%s: unknown header field %q", s.where, f)
			}
		}
		out = append(out, s)
	}
	flush()
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMisconfigCorpus scans every snippet with the default rules through
// the engine (prefilter, windows, allowlists, path overrides) and measures
// recall on snippets labelled with a rule and false positives on snippets
// labelled none.
func TestMisconfigCorpus(t *testing.T) {
	eng, err := scanner.NewEngine(loadDefault(t), true)
	if err != nil {
		t.Fatal(err)
	}
	corpus := readCorpus(t, "../testdata/misconfig")
	var positives, found, negatives, falseAlarms, misattributed int
	perRule := map[string][2]int{} // id -> {found, labelled}
	for _, s := range corpus {
		got := map[string]string{} // rule -> severity of its first finding
		for _, f := range eng.Scan(extract.Chunk{Origin: extract.Origin{Target: s.path}, Data: []byte(s.text)}) {
			if _, seen := got[f.Rule]; !seen && slices.Contains(misconfigRules, f.Rule) {
				got[f.Rule] = f.Severity
			}
		}
		if len(s.expect) == 0 {
			negatives++
			if len(got) > 0 {
				falseAlarms++
				t.Logf("false positive %s: %v\n%s", s.where, keys(got), s.text)
			}
			continue
		}
		for _, id := range s.expect {
			positives++
			c := perRule[id]
			c[1]++
			sev, ok := got[id]
			if ok {
				found++
				c[0]++
			} else {
				t.Logf("missed %s: %s\n%s", s.where, id, s.text)
			}
			perRule[id] = c
			if ok && s.severity != "" && sev != s.severity {
				t.Errorf("%s: %s has severity %s, want %s (path %s)", s.where, id, sev, s.severity, s.path)
			}
		}
		for id := range got {
			if !slices.Contains(s.expect, id) {
				misattributed++
				t.Logf("extra rule %s on %s\n%s", id, s.where, s.text)
			}
		}
	}
	if positives == 0 || negatives == 0 {
		t.Fatalf("corpus needs positives and negatives: %d and %d", positives, negatives)
	}
	recall := float64(found) / float64(positives)
	fpRate := float64(falseAlarms) / float64(negatives)
	extraRate := float64(misattributed) / float64(len(corpus))
	for _, id := range misconfigRules {
		c := perRule[id]
		t.Logf("%-34s recall %d/%d", id, c[0], c[1])
	}
	t.Logf("snippets %d: recall %.1f%% (%d/%d), false positives %.1f%% (%d/%d), extra rules on positives %d",
		len(corpus), 100*recall, found, positives, 100*fpRate, falseAlarms, negatives, misattributed)
	if recall < minRecall {
		t.Errorf("recall %.1f%% is under %.0f%%", 100*recall, 100*minRecall)
	}
	if fpRate > maxFalsePositive {
		t.Errorf("false positives %.1f%% are over %.0f%%", 100*fpRate, 100*maxFalsePositive)
	}
	if extraRate > maxFalsePositive {
		t.Errorf("a rule not labelled fired on %.1f%% of snippets, over %.0f%%", 100*extraRate, 100*maxFalsePositive)
	}
}

// The misconfig rules run only on windows around their keywords, so that
// a chunk without a keyword costs them nothing and one with few costs
// little; that needs every match to contain a keyword and a bounded reach.
func TestMisconfigRulesWindowed(t *testing.T) {
	rs := loadDefault(t)
	for _, id := range misconfigRules {
		r := rs.Rule(id)
		if r == nil {
			t.Fatalf("rule %q missing", id)
		}
		if r.Kind != rules.KindMisconfig {
			t.Errorf("rule %q has kind %q", id, r.Kind)
		}
		r.Prepare()
		if !r.Windowed || r.Reach < 0 {
			t.Errorf("rule %q: windowed %v, reach %d: want every match to hold a keyword and a bounded reach", id, r.Windowed, r.Reach)
		}
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// BenchmarkMisconfigRules scans Go's net/http sources (dense in URLs,
// TLS settings and the word "verify") with the misconfig rules alone.
func BenchmarkMisconfigRules(b *testing.B) {
	rs := &rules.Ruleset{}
	for _, r := range loadDefault(b).Rules {
		if r.Kind == "misconfig" {
			rs.Rules = append(rs.Rules, r)
		}
	}
	eng, err := scanner.NewEngine(rs, true)
	if err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(runtime.GOROOT(), "src", "net", "http", "*.go"))
	var chunks []extract.Chunk
	var size int64
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		chunks = append(chunks, extract.Chunk{Origin: extract.Origin{Target: f}, Data: text})
		size += int64(len(text))
	}
	if size == 0 {
		b.Skip("no Go sources to scan")
	}
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		for _, c := range chunks {
			eng.Scan(c)
		}
	}
}

// Misconfig rules document their traps: at least three examples and
// three negatives each.
func TestMisconfigRulesHaveThreeExamplesAndNegatives(t *testing.T) {
	n := 0
	for _, r := range loadDefault(t).Rules {
		if r.Kind != "misconfig" {
			continue
		}
		n++
		if len(r.Examples) < 3 || len(r.Negatives) < 3 {
			t.Errorf("%s has %d examples and %d negatives, want at least 3 of each", r.ID, len(r.Examples), len(r.Negatives))
		}
	}
	if n < 20 {
		t.Errorf("only %d misconfig rules", n)
	}
}
