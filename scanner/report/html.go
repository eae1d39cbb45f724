package report

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"strings"

	"github.com/keyholesec/keyhole/rules"
	"github.com/keyholesec/keyhole/scanner"
)

// The page's parts, embedded so that the report is one file that loads
// nothing from anywhere.
var (
	//go:embed html/report.html.tmpl
	htmlTemplateText string
	//go:embed html/report.css
	htmlCSS string
	//go:embed html/report.js
	htmlJS string
)

var htmlTemplate = template.Must(template.New("report").Parse(htmlTemplateText))

// htmlCSP allows exactly the page's own style and script, by hash, and no
// loads at all: a name or match that slipped past escaping still could
// neither run nor fetch anything.
var htmlCSP = "default-src 'none'; img-src data:; style-src '" + cspHash(htmlCSS) +
	"'; script-src '" + cspHash(htmlJS) + "'; base-uri 'none'; form-action 'none'"

func cspHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// Caps, in runes, on text from scanned content in the HTML report; a
// browser wraps long lines, so matches may be longer than in the terminal.
const (
	htmlMaxMatch  = 400
	htmlMaxSecret = 200
)

// htmlPage is what the template renders. Every string from scanned content
// or file names has been through oneLine, so line breaks, bidirectional
// overrides and invalid UTF-8 show as escapes in the page too.
type htmlPage struct {
	Version    string
	CSP        string
	CSS        template.CSS
	JS         template.JS
	Data       template.JS // JSON with <, > and & escaped: safe in a script element
	Tally      string
	Totals     htmlTotals
	Chart      []htmlBar
	Severities []string
	Targets    []htmlTarget
	Findings   []htmlFinding
	Warnings   []htmlWarning
	Endpoints  []htmlSection
}

type htmlTotals struct {
	Findings, Targets, Files, Warnings, Suppressed int
	Bytes, Time                                    string
}

// htmlBar is one bar of the severity chart; Width is in SVG units of 300.
type htmlBar struct {
	Severity string
	Count    int
	Width    int
	Y        int
}

type htmlTarget struct {
	Target, Kind, Bytes, Time, Error string
	Counts                           []int // by rules.Severities
	Files                            int
}

// htmlFinding is one finding as the page shows it; the JSON form feeds the
// script, the Go form the table rendered without it.
type htmlFinding struct {
	Rule        string     `json:"rule"`
	Kind        string     `json:"kind"`
	Severity    string     `json:"severity"`
	Rank        int        `json:"rank"`
	Description string     `json:"description"`
	Target      string     `json:"target"`
	Path        string     `json:"path"`
	Line        int        `json:"line"`
	Position    string     `json:"position"`
	Format      string     `json:"format,omitempty"`
	Secret      string     `json:"secret,omitempty"`
	Match       string     `json:"match,omitempty"`
	Commit      string     `json:"commit,omitempty"`
	Refs        []string   `json:"refs,omitempty"`
	Fingerprint string     `json:"fingerprint"`
	Links       []htmlLink `json:"-"`
}

type htmlLink struct{ Label, URL string }

type htmlWarning struct {
	Where, Path, Limit, Message string
	Fatal                       bool
}

// htmlData is the JSON the script renders from.
type htmlData struct {
	Severities []string      `json:"severities"`
	Findings   []htmlFinding `json:"findings"`
}

// writeHTML writes one self-contained page: header and totals, a
// per-target summary, a severity chart, the findings (a static table,
// which the script replaces with a filterable, sortable one), warnings and,
// when given, the endpoint inventory.
func writeHTML(w io.Writer, res *scanner.Result, opts Options) error {
	page := htmlPage{
		Version:    opts.ToolVersion,
		CSP:        htmlCSP,
		CSS:        template.CSS(htmlCSS),
		JS:         template.JS(htmlJS),
		Tally:      tally(res),
		Severities: rules.Severities,
		Findings:   htmlFindings(res.Findings, opts.Rules),
		Warnings:   htmlWarnings(res.Warnings),
	}
	page.Totals, page.Targets = htmlTargets(res)
	page.Chart = htmlChart(res.Findings)
	data, err := scriptJSON(htmlData{Severities: rules.Severities, Findings: page.Findings})
	if err != nil {
		return err
	}
	page.Data = template.JS(data)
	if opts.Inventory != nil {
		if page.Endpoints, err = htmlSections(opts.Inventory); err != nil {
			return fmt.Errorf("html report: endpoints: %v", err)
		}
	}
	bw := bufio.NewWriter(w)
	if err := htmlTemplate.Execute(bw, page); err != nil {
		return err
	}
	return bw.Flush()
}

// scriptJSON encodes v for a <script type="application/json"> element:
// encoding/json escapes <, > and & (and U+2028/9), so neither "</script>"
// nor "<!--" can occur in it.
func scriptJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

func htmlFindings(findings []scanner.Finding, rs *rules.Ruleset) []htmlFinding {
	out := make([]htmlFinding, len(findings))
	refs := map[string][]string{}
	for i := range findings {
		f := &findings[i]
		h := htmlFinding{
			Rule:        oneLine(f.Rule, 0),
			Kind:        oneLine(f.Kind, 0),
			Severity:    oneLine(f.Severity, 0),
			Rank:        rules.SeverityRank(f.Severity),
			Description: oneLine(f.Description, maxDescription),
			Target:      oneLine(f.Target, 0),
			Path:        oneLine(f.Path, 0),
			Line:        f.Line,
			Position:    position(f),
			Format:      oneLine(f.Format, 0),
			Match:       oneLine(strings.TrimSpace(f.Match), htmlMaxMatch),
			Fingerprint: oneLine(f.Fingerprint, 0),
		}
		if f.Kind != rules.KindMisconfig { // a misconfiguration's match says it all
			h.Secret = oneLine(f.Secret, htmlMaxSecret)
		}
		if f.Commit != "" {
			h.Commit = provenance(f)
		}
		if _, ok := refs[f.Rule]; !ok {
			refs[f.Rule] = ruleReferences(rs, f.Rule)
		}
		h.Refs = refs[f.Rule]
		for n, u := range h.Refs {
			h.Links = append(h.Links, htmlLink{Label: fmt.Sprintf("ref %d", n+1), URL: u})
		}
		out[i] = h
	}
	return out
}

// ruleReferences are the rule's http(s) references; anything else (a
// javascript: URL in a user's rules file, say) is left out.
func ruleReferences(rs *rules.Ruleset, id string) []string {
	if rs == nil {
		return nil
	}
	r := rs.Rule(id)
	if r == nil {
		return nil
	}
	var refs []string
	for _, ref := range r.References {
		u, err := url.Parse(ref)
		if err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
			refs = append(refs, u.String())
		}
	}
	return refs
}

func htmlTargets(res *scanner.Result) (htmlTotals, []htmlTarget) {
	totals := htmlTotals{
		Findings: len(res.Findings), Targets: len(res.Targets),
		Warnings: len(res.Warnings), Suppressed: res.Suppressed,
	}
	var bytes int64
	var out []htmlTarget
	var total scanner.TargetResult
	for _, t := range res.Targets {
		row := htmlTarget{
			Target: oneLine(t.Target, 0), Kind: oneLine(t.Kind, 0), Files: t.Files,
			Bytes: humanBytes(t.Bytes), Time: humanDuration(t.Duration), Error: oneLine(t.Error, maxMessage),
		}
		for _, s := range rules.Severities {
			row.Counts = append(row.Counts, t.Counts[s])
		}
		out = append(out, row)
		total.Files += t.Files
		bytes += t.Bytes
		total.Duration += t.Duration
	}
	totals.Files = total.Files
	totals.Bytes = humanBytes(bytes)
	totals.Time = humanDuration(total.Duration)
	return totals, out
}

// htmlChart is one bar per severity, scaled to the largest count.
func htmlChart(findings []scanner.Finding) []htmlBar {
	counts := map[string]int{}
	most := 0
	for _, f := range findings {
		counts[f.Severity]++
		most = max(most, counts[f.Severity])
	}
	bars := make([]htmlBar, len(rules.Severities))
	for i, s := range rules.Severities {
		bars[i] = htmlBar{Severity: s, Count: counts[s], Y: i * 26}
		if most > 0 && counts[s] > 0 {
			bars[i].Width = max(2, counts[s]*300/most) // a single finding stays visible
		}
	}
	return bars
}

func htmlWarnings(warnings []scanner.Warning) []htmlWarning {
	out := make([]htmlWarning, len(warnings))
	for i, w := range warnings {
		where, path := w.Location, ""
		if where == "" {
			where, path = w.Target, w.Path
		}
		out[i] = htmlWarning{
			Where: oneLine(where, 0), Path: oneLine(path, 0), Limit: oneLine(w.Limit, 0),
			Message: oneLine(w.Message, maxMessage), Fatal: w.Fatal,
		}
	}
	return out
}
