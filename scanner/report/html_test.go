package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/keyholesec/keyhole/rules"
	"github.com/keyholesec/keyhole/scanner"
)

// page is a rendered HTML report, checked to be well formed and parsed.
type page struct {
	raw []byte
	doc *html.Node
}

func renderHTML(t testing.TB, res *scanner.Result, opts Options) page {
	t.Helper()
	opts.Format = "html"
	var b bytes.Buffer
	if err := Write(&b, res, opts); err != nil {
		t.Fatal(err)
	}
	checkBalanced(t, b.Bytes())
	doc, err := html.Parse(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	return page{b.Bytes(), doc}
}

// voids are the elements that have no end tag.
var voids = map[atom.Atom]bool{atom.Meta: true, atom.Input: true, atom.Br: true, atom.Hr: true, atom.Img: true, atom.Link: true}

// checkBalanced is stricter than a browser: one doctype first, and every
// element the report opens it closes, in order (html.Parse alone accepts
// any input, repairing it silently).
func checkBalanced(t testing.TB, raw []byte) {
	t.Helper()
	z := html.NewTokenizer(bytes.NewReader(raw))
	var stack []string
	doctype := false
	for {
		tt := z.Next()
		tok := z.Token()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				t.Fatal(z.Err())
			}
			if len(stack) > 0 {
				t.Fatalf("unclosed elements at the end: %v", stack)
			}
			if !doctype {
				t.Fatal("no doctype")
			}
			return
		case html.DoctypeToken:
			if doctype || len(stack) > 0 || tok.Data != "html" {
				t.Fatalf("doctype %q out of place", tok.Data)
			}
			doctype = true
		case html.StartTagToken:
			if !voids[tok.DataAtom] {
				stack = append(stack, tok.Data)
			}
		case html.EndTagToken:
			if len(stack) == 0 || stack[len(stack)-1] != tok.Data {
				t.Fatalf("</%s> closes %v", tok.Data, stack)
			}
			stack = stack[:len(stack)-1]
		}
	}
}

func (p page) all(match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for n := range p.doc.Descendants() {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
	}
	return out
}

func (p page) byID(id string) *html.Node {
	found := p.all(func(n *html.Node) bool { return attr(n, "id") == id })
	if len(found) != 1 {
		return nil
	}
	return found[0]
}

func elements(a atom.Atom) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.DataAtom == a }
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	return slices.ContainsFunc(n.Attr, func(a html.Attribute) bool { return a.Key == key })
}

// text is the text content of n, elements set apart by spaces and
// whitespace runs collapsed.
func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		switch d.Type {
		case html.TextNode:
			b.WriteString(d.Data)
		case html.ElementNode:
			b.WriteString(" ")
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// rows are the cell texts of the server-rendered rows of a table.
func rows(table *html.Node) [][]string {
	var out [][]string
	for tr := range table.Descendants() {
		if tr.DataAtom != atom.Tr || tr.Parent.DataAtom != atom.Tbody {
			continue
		}
		var cells []string
		for td := range tr.ChildNodes() {
			if td.DataAtom == atom.Td {
				cells = append(cells, text(td))
			}
		}
		out = append(out, cells)
	}
	return out
}

// scriptData decodes the JSON the page's script renders from.
func (p page) scriptData(t testing.TB) htmlData {
	t.Helper()
	n := p.byID("keyhole-data")
	if n == nil || attr(n, "type") != "application/json" {
		t.Fatal("no application/json data element")
	}
	var d htmlData
	if err := json.Unmarshal([]byte(n.FirstChild.Data), &d); err != nil {
		t.Fatalf("data element: %v", err)
	}
	return d
}

// testRules describes aws-access-token with references of every sort; only
// web links may become anchors.
func testRules(t testing.TB) *rules.Ruleset {
	t.Helper()
	rs, err := rules.Load(rules.Source{Name: "test.toml", Data: []byte(`
[[rules]]
id = "aws-access-token"
description = "AWS access key ID"
regex = '''AKIA[A-Z0-9]{16}'''
keywords = ["akia"]
references = ["javascript:alert(1)", "https://example.com/aws", "data:text/html,x", "/relative", "http://example.org/aws"]
examples = ["AKIAZ3MSJV4WWNKWW5FG"]
negatives = ["AKIA"]
`)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestHTMLFindingRows(t *testing.T) {
	p := renderHTML(t, fixture(), Options{ToolVersion: "1.2.3", Rules: testRules(t)})
	got := rows(p.byID("findings-table"))
	want := [][]string{
		{"critical", "aws-access-token ref 1 ref 2", "secret", "src", "config/app.env", "3:19", "AWS access key ID secret AKIA…REDACTED match aws_access_key_id = AKIA…REDACTED"},
		{"medium", "cleartext-endpoint", "misconfig", "src", "config/app.env", "7:10", "Cleartext URL to api.example.net match BASE_URL=http://api.example.net/v1"},
		{"critical", "github-pat", "secret", "src", "deploy/ci.sh", "12:14", "GitHub personal access token secret ghp_…REDACTED match export TOKEN=ghp_…REDACTED"},
		{"high", "generic-api-key", "secret", "src", `evil\nname\xff.txt`, "1:1", `Generic API key secret REDACTED match api_key = REDACTED\nsrc/forged.go\n 1:1 critical \x1b[2Jfake`},
		{"low", "gcp-api-key", "secret", "build/app.apk", "res/values/strings.xml arsc", "12:5", "Google API key (public by design in Firebase apps) secret AIza…REDACTED match google_api_key = AIza…REDACTED"},
		{"high", "android-trust-all-certs", "misconfig", "build/app.apk", "classes.dex dex", "40:1", "X509TrustManager accepts every certificate (checkServerTrusted is empty) match Lcom/a/B;->checkServerTrusted([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V implements=X509TrustManager body=empty"},
		{"info", "cleartext-endpoint", "misconfig", "build/app.apk", "assets/config.json base64", "2", "Cleartext URL to private host 10.0.0.7 match http://10.0.0.7:8080/"},
		{"critical", "github-pat", "secret", "repo", "deploy/ci.sh", "12:14", "GitHub personal access token secret ghp_…REDACTED match export TOKEN=ghp_…REDACTED commit 1a2b3c4 Alice Example <alice@example.com> 2024-03-01"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d: %q", len(got), len(want), got)
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("row %d:\n got %q\nwant %q", i, got[i], want[i])
		}
	}
	// The script renders the same findings from the JSON.
	d := p.scriptData(t)
	if len(d.Findings) != len(want) || !slices.Equal(d.Severities, rules.Severities) {
		t.Fatalf("data: %d findings, severities %v", len(d.Findings), d.Severities)
	}
	if f := d.Findings[3]; f.Path != `evil\nname\xff.txt` || f.Rank != 4 || f.Position != "1:1" {
		t.Errorf("data finding 3: %+v", f)
	}
	if refs := d.Findings[0].Refs; !slices.Equal(refs, []string{"https://example.com/aws", "http://example.org/aws"}) {
		t.Errorf("data refs %q", refs)
	}
	if f := d.Findings[7]; f.Commit != "1a2b3c4 Alice Example <alice@example.com> 2024-03-01" || f.Target != "repo" {
		t.Errorf("data finding 7: %+v", f)
	}
}

func TestHTMLSummaryChartAndWarnings(t *testing.T) {
	p := renderHTML(t, fixture(), Options{ToolVersion: "1.2.3"})
	header := text(p.all(elements(atom.Header))[0])
	for _, want := range []string{"keyhole 1.2.3", "8 findings (3 critical, 2 high, 1 medium, 1 low, 1 info) in 4 targets, 2 warnings, 2 suppressed",
		"findings 8", "targets 4", "files 6736", "bytes 139.8 MB", "time 4.65s", "warnings 2", "suppressed 2"} {
		if !strings.Contains(header, want) {
			t.Errorf("header lacks %q: %s", want, header)
		}
	}
	targets := p.all(func(n *html.Node) bool { return n.DataAtom == atom.Table && attr(n, "class") == "targets" })
	if len(targets) != 1 {
		t.Fatal("no targets table")
	}
	wantTargets := [][]string{
		{"src", "directory", "2", "1", "1", "0", "0", "214", "1.8 MB", "84ms"},
		{"build/app.apk", "apk", "0", "1", "0", "1", "1", "1312", "46.0 MB", "1.42s"},
		{"repo", "git", "1", "0", "0", "0", "0", "5210", "92.0 MB", "3.15s"},
		{"broken.ipa not a zip archive", "file", "0", "0", "0", "0", "0", "0", "0 B", "0s"},
	}
	if got := rows(targets[0]); !slices.EqualFunc(got, wantTargets, slices.Equal) {
		t.Errorf("targets:\n got %q\nwant %q", got, wantTargets)
	}
	bars := map[string]string{}
	for _, g := range p.all(func(n *html.Node) bool { return hasAttr(n, "data-severity") }) {
		for r := range g.Descendants() {
			if r.Data == "rect" {
				bars[attr(g, "data-severity")] = attr(r, "width") + " " + text(g)
			}
		}
	}
	wantBars := map[string]string{ // scaled to the 3 critical findings; titles then labels
		"critical": "300 3 critical critical 3", "high": "200 2 high high 2", "medium": "100 1 medium medium 1",
		"low": "100 1 low low 1", "info": "100 1 info info 1",
	}
	for s, w := range wantBars {
		if bars[s] != w {
			t.Errorf("bar %s: %q, want %q", s, bars[s], w)
		}
	}
	var warnings []string
	for _, li := range p.all(elements(atom.Li)) {
		warnings = append(warnings, attr(li, "class")+"|"+text(li))
	}
	wantWarnings := []string{
		"|build/app.apk lib/arm64-v8a/libbig.so limit max-file-size: member is 300 MB, over the 100 MB limit",
		"fatal|error broken.ipa: not a zip archive: zip: not a valid zip file",
	}
	if !slices.Equal(warnings, wantWarnings) {
		t.Errorf("warnings:\n got %q\nwant %q", warnings, wantWarnings)
	}
}

// TestHTMLLoadsNothing: the page is one file that fetches nothing, and its
// Content-Security-Policy allows its own style and script by hash only.
func TestHTMLLoadsNothing(t *testing.T) {
	p := renderHTML(t, fixture(), Options{Rules: testRules(t)})
	for _, n := range p.all(func(*html.Node) bool { return true }) {
		switch n.DataAtom {
		case atom.Link, atom.Img, atom.Iframe, atom.Object, atom.Embed, atom.Base, atom.Frame, atom.Audio, atom.Video, atom.Source:
			t.Errorf("<%s> in the page", n.Data)
		}
		for _, a := range n.Attr {
			switch {
			case a.Key == "src" || a.Key == "srcset" || a.Key == "action" || a.Key == "xlink:href" || a.Key == "style" || strings.HasPrefix(a.Key, "on"):
				t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
			case a.Key == "href":
				web := strings.HasPrefix(a.Val, "https://") || strings.HasPrefix(a.Val, "http://")
				if n.DataAtom != atom.A || !web || !strings.Contains(attr(n, "rel"), "noopener") {
					t.Errorf("<%s href=%q rel=%q>: only plain web anchors with rel=noopener", n.Data, a.Val, attr(n, "rel"))
				}
			}
		}
	}
	if len(p.all(func(n *html.Node) bool { return hasAttr(n, "href") })) == 0 {
		t.Error("no reference links: the test checks nothing")
	}
	var csp string
	for _, m := range p.all(elements(atom.Meta)) {
		if attr(m, "http-equiv") == "Content-Security-Policy" {
			csp = attr(m, "content")
		}
	}
	hash := func(n *html.Node) string {
		sum := sha256.Sum256([]byte(n.FirstChild.Data))
		return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	styles := p.all(elements(atom.Style))
	scripts := p.all(func(n *html.Node) bool { return n.DataAtom == atom.Script && attr(n, "type") == "" })
	if len(styles) != 1 || len(scripts) != 1 {
		t.Fatalf("%d styles and %d scripts, want one each", len(styles), len(scripts))
	}
	for _, want := range []string{"default-src 'none'", "style-src " + hash(styles[0]), "script-src " + hash(scripts[0]), "base-uri 'none'", "form-action 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	for _, n := range append(styles, scripts...) {
		for _, bad := range []string{"http:", "https:", "url(", "@import", "fetch(", "XMLHttpRequest", "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
			if strings.Contains(n.FirstChild.Data, bad) {
				t.Errorf("<%s> contains %q", n.Data, bad)
			}
		}
	}
}

// hostileHTML is markup where a file name or a match would be shown.
const hostileHTML = `<img src=x onerror=alert(1)></script><script>alert(1)</script><!--<a href="https://evil.example/">`

// hostileEverywhere is hostile(junk) with junk in the fields that come from
// rules and the run too.
func hostileEverywhere(junk string) *scanner.Result {
	res := hostile(junk)
	res.Findings[0].Rule = "r" + junk
	res.Findings[0].Severity = "high" + junk
	res.Findings[0].Kind = "k" + junk
	res.Targets[0].Error = "e" + junk
	return res
}

func TestHTMLEscapesHostileText(t *testing.T) {
	p := renderHTML(t, hostileEverywhere(hostileHTML), Options{Inventory: []map[string]string{{"host": hostileHTML}}})
	for _, raw := range []string{"<img", "<script>alert", "<!--<a", `href="https://evil`} {
		if bytes.Contains(p.raw, []byte(raw)) {
			t.Errorf("%q appears raw in the page", raw)
		}
	}
	plain := renderHTML(t, hostileEverywhere("x"), Options{Inventory: []map[string]string{{"host": "x"}}})
	if got, want := len(p.all(func(*html.Node) bool { return true })), len(plain.all(func(*html.Node) bool { return true })); got != want {
		t.Errorf("hostile text made %d elements, plain text %d", got, want)
	}
	// The text is shown, as text.
	cells := rows(p.byID("findings-table"))[0]
	if cells[4] != "p"+hostileHTML+" f"+hostileHTML || cells[3] != "t"+hostileHTML {
		t.Errorf("cells %q", cells)
	}
	if f := p.scriptData(t).Findings[0]; f.Path != "p"+hostileHTML || f.Match != "m"+hostileHTML {
		t.Errorf("data: %+v", f)
	}
}

func TestHTMLEmptyAndEndpoints(t *testing.T) {
	type endpoint struct {
		Key   string   `json:"key"`
		Port  int      `json:"port,omitempty"`
		Query []string `json:"query,omitempty"`
	}
	inv := struct {
		Version   int        `json:"version"`
		Targets   []string   `json:"targets"`
		Endpoints []endpoint `json:"endpoints"`
	}{1, []string{"app.apk", "src"}, []endpoint{{Key: "https://api.example.net/v1"}, {Key: "http://10.0.0.7", Port: 8080, Query: []string{"a", "b"}}}}
	p := renderHTML(t, &scanner.Result{}, Options{Inventory: inv})
	if n := p.byID("no-findings"); n == nil || hasAttr(n, "hidden") {
		t.Error("an empty report does not say there are no findings")
	}
	if got := rows(p.byID("findings-table")); len(got) != 0 {
		t.Errorf("rows %q", got)
	}
	section := p.byID("endpoints")
	if section == nil {
		t.Fatal("no endpoints section")
	}
	if got, want := text(section), "Endpoints version 1 targets app.apk, src endpoints key port query https://api.example.net/v1 http://10.0.0.7 8080 a, b"; got != want {
		t.Errorf("endpoints:\n got %q\nwant %q", got, want)
	}
	if p := renderHTML(t, &scanner.Result{}, Options{}); p.byID("endpoints") != nil {
		t.Error("an endpoints section without an inventory")
	}
}

// FuzzHTML puts arbitrary text in every field that comes from scanned
// content or file names: the page stays well formed, has the same elements
// as with plain text, and its data round-trips.
func FuzzHTML(f *testing.F) {
	f.Add("x")
	f.Add(hostileHTML)
	f.Add("\n\r\u2028\u0085\x1b[2J\xff\u202e")
	f.Add("]]><![CDATA[</style></title></textarea>")
	plain := len(renderHTML(f, hostileEverywhere("x"), Options{}).all(func(*html.Node) bool { return true }))
	f.Fuzz(func(t *testing.T, junk string) {
		p := renderHTML(t, hostileEverywhere(junk), Options{})
		if n := len(p.all(func(*html.Node) bool { return true })); n != plain {
			t.Fatalf("%q made %d elements, not %d", junk, n, plain)
		}
		if got := p.scriptData(t).Findings[0].Path; got != oneLine("p"+junk, 0) {
			t.Fatalf("path %q came back as %q", junk, got)
		}
	})
}
