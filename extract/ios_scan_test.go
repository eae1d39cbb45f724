package extract_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/keyholesec/keyhole"
	"github.com/keyholesec/keyhole/extract"
	"github.com/keyholesec/keyhole/rules"
	"github.com/keyholesec/keyhole/scanner"
)

func iosRules(t testing.TB) *rules.Ruleset {
	t.Helper()
	rs, err := rules.Load(rules.Source{Name: keyhole.DefaultRulesName, Data: keyhole.DefaultRules}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// iosFindings scans fixtures end to end and lists the ios-* findings as
// "rule severity path:line description".
func iosFindings(t *testing.T, paths ...string) []string {
	t.Helper()
	res, err := scanner.Scan(context.Background(), iosRules(t), paths, scanner.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range res.Findings {
		if strings.HasPrefix(f.Rule, "ios-") {
			out = append(out, f.Rule+" "+f.Severity+" "+f.Path+":"+strconv.Itoa(f.Line)+" "+f.Description)
		}
	}
	sort.Strings(out)
	return out
}

func fixture(name string) string { return filepath.Join("..", "testdata", "ios", name) }

func TestIOSRulesEndToEnd(t *testing.T) {
	got := iosFindings(t, fixture("vulnerable.ipa"))
	want := []string{
		"ios-ats-arbitrary-loads high Payload/App.app/Info.plist:22 App Transport Security is off (NSAllowsArbitraryLoads, or its web-content/media variants): the app may load cleartext HTTP",
		"ios-ats-insecure-exception low Payload/App.app/Info.plist:38 App Transport Security exception for localhost: cleartext HTTP or a TLS version below 1.2 allowed",
		"ios-ats-insecure-exception medium Payload/App.app/Info.plist:26 App Transport Security exception for cdn.partner-example.com: cleartext HTTP or a TLS version below 1.2 allowed",
		"ios-ats-insecure-exception medium Payload/App.app/Info.plist:31 App Transport Security exception for legacy.vulnerable-example.net: cleartext HTTP or a TLS version below 1.2 allowed",
		"ios-ats-insecure-exception medium Payload/App.app/Info.plist:43 App Transport Security exception for old-tls.vulnerable-example.net: cleartext HTTP or a TLS version below 1.2 allowed",
		"ios-get-task-allow medium Payload/App.app/embedded.mobileprovision:3 Development build: get-task-allow is true in the embedded provisioning profile of team ABCDE12345 (expires 2027-01-01); a debugger can attach to the app",
		"ios-tls-validation-disabled high Payload/App.app/App:1 TLS certificate validation is disabled by the app's own code",
		"ios-tls-validation-disabled low Payload/App.app/App:1 TLS certificate validation is disabled by the app's own code",
		"ios-tls-validation-disabled low Payload/App.app/App:1 TLS certificate validation is disabled by the app's own code",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("vulnerable.ipa:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, clean := range []string{"clean.ipa", "socketrocket.ipa", "socketrocket.macho", "distribution.mobileprovision", "src/clean-Info.plist", "src/reactnative-Info.plist"} {
		if got := iosFindings(t, fixture(clean)); len(got) > 0 {
			t.Errorf("%s:\n%s", clean, strings.Join(got, "\n"))
		}
	}
}

// Info.plist source: each finding points at the line of its key.
func TestIOSRulesOnSource(t *testing.T) {
	path := fixture("src/vulnerable-Info.plist")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	res, err := scanner.Scan(context.Background(), iosRules(t), []string{path}, scanner.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"ios-ats-arbitrary-loads":    "NSAllowsArbitraryLoads",
		"ios-ats-insecure-exception": "example.net</key>|example.com</key>|localhost</key>",
	}
	n := 0
	for _, f := range res.Findings {
		key, ok := want[f.Rule]
		if !ok {
			continue
		}
		n++
		line := lines[f.Line-1]
		matched := false
		for _, k := range strings.Split(key, "|") {
			matched = matched || strings.Contains(line, k)
		}
		if !matched {
			t.Errorf("%s at line %d %q", f.Rule, f.Line, line)
		}
	}
	if n != 5 {
		t.Errorf("%d ATS findings, want 5", n)
	}
}

// The other findings an IPA must give: the secrets in its binary and plists.
func TestIOSSecretsEndToEnd(t *testing.T) {
	res, err := scanner.Scan(context.Background(), iosRules(t), []string{fixture("vulnerable.ipa")}, scanner.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	for _, f := range res.Findings {
		found[f.Rule] = f.Path
	}
	for rule, path := range map[string]string{
		"aws-access-token":   "Payload/App.app/App",
		"cleartext-endpoint": "Payload/App.app/App",
		"gcp-api-key":        "Payload/App.app/GoogleService-Info.plist",
	} {
		if found[rule] != path {
			t.Errorf("%s found at %q, want %s", rule, found[rule], path)
		}
	}
}

// BenchmarkExtractIPA extracts a generated ~5 MB IPA laid out like a real
// one: the vulnerable app's members, 200 framework binaries, a 1 MB
// JavaScript bundle and 4.5 MB of compiled assets (random, as compressed
// images are).
func BenchmarkExtractIPA(b *testing.B) {
	data := bigIPA(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		extract.New(extract.Options{}, discard{}).Bytes(context.Background(), extract.Origin{Target: "big.ipa"}, "big.ipa", data)
	}
}

type discard struct{}

func (discard) Chunk(extract.Chunk)  {}
func (discard) Warn(extract.Warning) {}

func bigIPA(b *testing.B) []byte {
	src, err := os.ReadFile(fixture("vulnerable.ipa"))
	if err != nil {
		b.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, data []byte) {
		w, err := zw.Create(name)
		if err == nil {
			_, err = w.Write(data)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	var app []byte
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		r, err := f.Open()
		if err != nil {
			b.Fatal(err)
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			b.Fatal(err)
		}
		add(f.Name, data)
		if f.Name == "Payload/App.app/App" {
			app = data
		}
	}
	for i := range 200 {
		name := "Lib" + strconv.Itoa(i)
		add("Payload/App.app/Frameworks/"+name+".framework/"+name, app)
	}
	var js strings.Builder
	for i := 0; js.Len() < 1<<20; i++ {
		fmt.Fprintf(&js, "__d(function(g,r,i,a,m,e,d){m.exports={id:%d,url:'https://api.example-%d.com/v1/items',label:'Item %d'}},%d,[]);\n", i, i%97, i, i)
	}
	add("Payload/App.app/main.jsbundle", []byte(js.String()))
	assets := make([]byte, 9<<19)
	rand.New(rand.NewSource(1)).Read(assets)
	add("Payload/App.app/Assets.car", assets)
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}
