package extract

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

func iosFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "ios", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writeTree renders a tree as "key=value" lines, for comparing trees.
func writeTree(n *plistNode, prefix string, b *strings.Builder) {
	switch n.kind {
	case plistDict:
		for i, k := range n.keys {
			writeTree(n.items[i], prefix+"/"+k, b)
		}
	case plistArray:
		for i, item := range n.items {
			writeTree(item, prefix+"/"+strconv.Itoa(i), b)
		}
	default:
		b.WriteString(prefix + "=" + plistTags[n.kind] + ":" + n.text + "\n")
	}
}

func treeText(n *plistNode) string {
	var b strings.Builder
	writeTree(n, "", &b)
	return b.String()
}

// A binary Info.plist renders to XML that parses back to the same tree as
// the XML source it was made from.
func TestBinaryPlistRendersLikeItsSource(t *testing.T) {
	src, err := parseXMLPlist(iosFixture(t, "src/vulnerable-Info.plist"))
	if err != nil {
		t.Fatal(err)
	}
	bin, err := readBinaryPlist(iosFixture(t, "vulnerable-Info.bplist"))
	if err != nil {
		t.Fatal(err)
	}
	text, complete := renderPlist(bin, plistRenderBudget(1000))
	if !complete {
		t.Fatal("rendering stopped early")
	}
	back, err := parseXMLPlist(text)
	if err != nil {
		t.Fatalf("rendered XML does not parse: %v\n%s", err, text)
	}
	// howett's encoder sorts dictionary keys; compare sorted lines.
	sorted := func(s string) string {
		l := strings.Split(s, "\n")
		sort.Strings(l)
		return strings.Join(l, "\n")
	}
	if got, want := sorted(treeText(back)), sorted(treeText(src)); got != want {
		t.Errorf("rendered tree differs:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(treeText(src), "/NSAppTransportSecurity/NSExceptionDomains/old-tls.vulnerable-example.net/NSExceptionMinimumTLSVersion=string:TLSv1.0") {
		t.Errorf("source tree lacks the TLS exception:\n%s", treeText(src))
	}
}

// XML plist source is scanned as it is; facts land on the line of their key.
func TestXMLPlistFactsAtKeyLines(t *testing.T) {
	src := iosFixture(t, "src/vulnerable-Info.plist")
	c := extractBytes(t, Options{NoDecode: true}, "Info.plist", src)
	if got := c.text("", ""); got != string(src) {
		t.Errorf("source not emitted as is")
	}
	lines := strings.Split(string(src), "\n")
	want := map[string]string{
		"ats arbitrary-loads=true effective=true severity=high":                                                 "<key>NSAllowsArbitraryLoads</key>",
		"ats exception domain=legacy.vulnerable-example.net insecure-http=true subdomains=true severity=medium": "<key>legacy.vulnerable-example.net</key>",
		"ats exception domain=old-tls.vulnerable-example.net min-tls=TLSv1.0 severity=medium":                   "<key>old-tls.vulnerable-example.net</key>",
		"ats exception domain=cdn.partner-example.com insecure-http=true severity=medium":                       "<key>cdn.partner-example.com</key>",
		"ats exception domain=localhost insecure-http=true severity=low":                                        "<key>localhost</key>",
	}
	got := 0
	for _, ch := range c.chunks {
		if ch.Format != "facts" {
			continue
		}
		got++
		text := strings.TrimSuffix(strings.TrimPrefix(string(ch.Data), "<!-- keyhole: "), " -->\n")
		key, ok := want[text]
		if !ok {
			t.Errorf("unexpected fact %q", text)
			continue
		}
		if line := lines[ch.LineOffset]; !strings.Contains(line, key) {
			t.Errorf("fact %q placed at line %d %q, want the line of %s", text, ch.LineOffset+1, line, key)
		}
	}
	if got != len(want) {
		t.Errorf("%d facts, want %d", got, len(want))
	}
}

func TestHostileBinaryPlists(t *testing.T) {
	for _, tc := range []struct{ name, warning string }{
		{"cycle.bplist", "contains itself"},
		{"huge-count.bplist", "past the object area"},
		{"laughs.bplist", "rendering budget"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := iosFixture(t, tc.name)
			c := extractBytes(t, Options{NoDecode: true}, tc.name, data)
			if len(c.warnings) != 1 || !strings.Contains(c.warnings[0].Err.Error(), tc.warning) {
				t.Fatalf("warnings %v, want one saying %q", c.warnings, tc.warning)
			}
			total := 0
			for _, ch := range c.chunks {
				total += len(ch.Data)
			}
			if total > plistRenderBudget(len(data)) {
				t.Errorf("%d bytes rendered from %d", total, len(data))
			}
		})
	}
}

func TestXMLPlistNestingBounded(t *testing.T) {
	deep := strings.Repeat("<array>", maxPlistDepth+1) + strings.Repeat("</array>", maxPlistDepth+1)
	if _, err := parseXMLPlist([]byte("<plist>" + deep + "</plist>")); err == nil || !strings.Contains(err.Error(), "deeper") {
		t.Errorf("err = %v, want a nesting error", err)
	}
	ok := strings.Repeat("<array>", 10) + "<string>x</string>" + strings.Repeat("</array>", 10)
	if _, err := parseXMLPlist([]byte("<plist>" + ok + "</plist>")); err != nil {
		t.Error(err)
	}
}

// A UTF-16 string in a binary plist (a binary Localizable.strings) renders
// as UTF-8.
func TestBinaryPlistUTF16(t *testing.T) {
	c := extractBytes(t, Options{NoDecode: true}, "vulnerable.ipa", iosFixture(t, "vulnerable.ipa"))
	got := c.text("Payload/App.app/en.lproj/Localizable.strings", "plist")
	if !strings.Contains(got, "<string>Contraseña incorrecta</string>") {
		t.Errorf("rendered strings file:\n%s", got)
	}
}

func FuzzPlist(f *testing.F) {
	for _, name := range []string{"vulnerable-Info.bplist", "cycle.bplist", "laughs.bplist", "huge-count.bplist", "src/vulnerable-Info.plist", "src/clean-Info.plist"} {
		f.Add(iosFixture(f, name))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var root *plistNode
		if bytes.HasPrefix(data, []byte("bplist")) {
			root, _ = readBinaryPlist(data)
		} else {
			root, _ = parseXMLPlist(data)
		}
		if root == nil {
			return
		}
		budget := plistRenderBudget(len(data))
		text, _ := renderPlist(root, budget)
		if len(text) > budget {
			t.Fatalf("%d bytes rendered over a %d budget", len(text), budget)
		}
		for _, f := range plistFacts(root) {
			if strings.ContainsAny(f.text, "\n<>") {
				t.Fatalf("fact %q can break out of its line", f.text)
			}
		}
	})
}

// UTF-16 .strings and plists (with a byte-order mark) are scanned as their
// UTF-8 text.
func TestUTF16Text(t *testing.T) {
	encode := func(s string, order binary.AppendByteOrder, bom []byte) []byte {
		out := append([]byte(nil), bom...)
		for _, u := range utf16.Encode([]rune(s)) {
			out = order.AppendUint16(out, u)
		}
		return out
	}
	strings16 := "/* Login */\n\"login.error\" = \"Contraseña incorrecta\";\n\"api.key\" = \"AKIAQ4T5W2XNPL7RJ3VD\";\n"
	plist16 := "<?xml version=\"1.0\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>NSAppTransportSecurity</key>\n\t<dict>\n\t\t<key>NSAllowsArbitraryLoads</key>\n\t\t<true/>\n\t</dict>\n</dict>\n</plist>\n"
	for _, tc := range []struct {
		name string
		data []byte
		text string
		fact string
	}{
		{"Localizable.strings", encode(strings16, binary.LittleEndian, []byte{0xff, 0xfe}), strings16, ""},
		{"InfoPlist.strings", encode(strings16, binary.BigEndian, []byte{0xfe, 0xff}), strings16, ""},
		{"Info.plist", encode(plist16, binary.LittleEndian, []byte{0xff, 0xfe}), plist16, "ats arbitrary-loads=true effective=true severity=high"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &collect{}
			New(Options{NoDecode: true}, c).newJob(t.Context()).utf16(scope{name: tc.name}, tc.data)
			if got := c.text("", ""); got != tc.text {
				t.Errorf("text %q, want %q", got, tc.text)
			}
			facts := strings.Join(factTexts(c, ""), "\n")
			if facts != tc.fact {
				t.Errorf("facts %q, want %q", facts, tc.fact)
			}
		})
	}
}

// Text that mentions <plist without being one gets no warning; a plist
// document that does not parse does.
func TestXMLPlistParseWarnings(t *testing.T) {
	for _, tc := range []struct {
		data string
		warn bool
	}{
		{"func TestX() { s := \"<plist><dict>\" }\n", false},
		{"<?xml version=\"1.0\"?>\n<plist version=\"1.0\"><dict><key>a</key><string>b</string>\n", true},
		{"\ufeff<plist version=\"1.0\"><dict><key>a</key><string>b</string></dict></plist>\n", false},
	} {
		c := extractBytes(t, Options{NoDecode: true}, "x", []byte(tc.data))
		if got := len(c.warnings) > 0; got != tc.warn {
			t.Errorf("%q: warnings %v, want warning %v", tc.data, c.warnings, tc.warn)
		}
	}
}
