package extract

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyholesec/keyhole"
	"github.com/keyholesec/keyhole/rules"
)

func androidFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "android", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// zipMember returns a member of an archive fixture.
func zipMember(t testing.TB, archive []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// androidRuleHits runs the default android-* rules (those of this file's
// renderings, not the DEX ones) over every chunk of a fixture, as the
// engine would, and counts findings by rule.
func androidRuleHits(t *testing.T, rs *rules.Ruleset, chunks []Chunk) map[string]int {
	t.Helper()
	hits := map[string]int{}
	for _, r := range rs.Rules {
		if !strings.HasPrefix(r.ID, "android-") || dexRules[r.ID] {
			continue
		}
		for _, c := range chunks {
			hits[r.ID] += len(rs.Test(r, string(c.Data)))
		}
	}
	for id, n := range hits {
		if n == 0 {
			delete(hits, id)
		}
	}
	return hits
}

var dexRules = map[string]bool{"android-trust-all-certs": true, "android-hostname-verifier-allow-all": true, "android-webview-ssl-error-proceed": true}

// Each Android rule fires on the vulnerable app, in every packaging and
// in its source, and none fires on the clean one.
func TestAndroidRulesOnVulnerableAndCleanApps(t *testing.T) {
	rs, err := rules.Load(rules.Source{Name: keyhole.DefaultRulesName, Data: keyhole.DefaultRules}, nil)
	if err != nil {
		t.Fatal(err)
	}
	built := map[string]int{
		"android-debuggable":         1,
		"android-allow-backup":       1, // absent: a fact
		"android-cleartext-traffic":  1,
		"android-nsc-cleartext":      1,
		"android-nsc-user-ca":        1,
		"android-nsc-override-pins":  1,
		"android-exported-component": 2, // DeepLinkActivity (explicit), SyncService (intent filter)
	}
	source := map[string]int{ // an absence is not seen in source, nor an implicit export
		"android-debuggable": 1, "android-cleartext-traffic": 1, "android-nsc-cleartext": 1,
		"android-nsc-user-ca": 1, "android-nsc-override-pins": 1, "android-exported-component": 1,
	}
	for _, tc := range []struct {
		name   string
		chunks []Chunk
		want   map[string]int
	}{
		{"vulnerable.apk", fixtureChunks(t, "vulnerable.apk"), built},
		{"vulnerable.aab", fixtureChunks(t, "vulnerable.aab"), built},
		{"stripped.apk", fixtureChunks(t, "stripped.apk"), built},
		{"src/vulnerable", sourceChunks(t, "vulnerable"), source},
		{"legacy.aab", fixtureChunks(t, "legacy.aab"), map[string]int{
			"android-allow-backup": 1, "android-cleartext-traffic": 1, "android-exported-component": 1}},
		{"bundle.xapk", fixtureChunks(t, "bundle.xapk"), map[string]int{ // base and split manifests
			"android-allow-backup": 2, "android-cleartext-traffic": 2, "android-exported-component": 2}},
		{"release.jks", fixtureChunks(t, "release.jks"), map[string]int{"android-embedded-keystore": 1}},
		{"client.bks", fixtureChunks(t, "client.bks"), map[string]int{"android-embedded-keystore": 1}},
		{"clean.apk", fixtureChunks(t, "clean.apk"), map[string]int{}},
		{"clean.aab", fixtureChunks(t, "clean.aab"), map[string]int{}},
		{"src/clean", sourceChunks(t, "clean"), map[string]int{}},
	} {
		if got := androidRuleHits(t, rs, tc.chunks); !maps.Equal(got, tc.want) {
			t.Errorf("%s: findings %v, want %v", tc.name, got, tc.want)
		}
	}
}

func fixtureChunks(t *testing.T, name string) []Chunk {
	return extractBytes(t, Options{NoDecode: true}, name, androidFixture(t, name)).chunks
}

// sourceChunks reads a source project's XML as a directory scan would.
func sourceChunks(t *testing.T, app string) []Chunk {
	var out []Chunk
	root := filepath.Join("..", "testdata", "android", "src", app)
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out = append(out, extractBytes(t, Options{NoDecode: true}, p, data).chunks...)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Archive members are names, never paths written anywhere: a duplicate
// entry is read twice and a zip-slip name is only provenance.
func TestAPKDuplicateAndZipSlipMembers(t *testing.T) {
	c := extractBytes(t, Options{}, "duplicates.apk", androidFixture(t, "duplicates.apk"))
	manifests := 0
	for _, ch := range c.chunks {
		if ch.Origin.Path == "AndroidManifest.xml" && ch.Format == "axml" {
			manifests++
		}
	}
	if manifests != 2 {
		t.Errorf("%d manifest renderings, want 2", manifests)
	}
	if !strings.Contains(c.text("../../evil", ""), "zip-slip-member") {
		t.Errorf("the ../../evil member was not scanned; paths %q, warnings %v", c.paths(), c.warnings)
	}
}

func BenchmarkExtractAPK(b *testing.B) {
	apk := bigAPK(b)
	b.SetBytes(int64(len(apk)))
	for b.Loop() {
		New(Options{}, &discardSink{}).Bytes(b.Context(), Origin{Target: "big.apk"}, "big.apk", apk)
	}
}

// bigAPK builds a ~4 MB APK from the vulnerable one: its manifest, table
// and network security config, plus compressed assets and many res/xml
// copies so that binary XML dominates.
func bigAPK(b *testing.B) []byte {
	src := androidFixture(b, "vulnerable.apk")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, data []byte) {
		w, err := zw.Create(name)
		if err != nil {
			b.Fatal(err)
		}
		w.Write(data)
	}
	for _, m := range []string{"AndroidManifest.xml", "resources.arsc"} {
		add(m, zipMember(b, src, m))
	}
	nsc := zipMember(b, src, "res/xml/network_security_config.xml")
	manifest := zipMember(b, src, "AndroidManifest.xml")
	for i := 0; buf.Len() < 4<<20; i++ {
		add(fmt.Sprintf("res/xml/config_%d.xml", i), nsc)
		add(fmt.Sprintf("res/xml/manifest_copy_%d.xml", i), manifest)
		add(fmt.Sprintf("assets/data_%d.json", i), []byte(strings.Repeat(fmt.Sprintf(`{"id": %d, "url": "https://cdn.example.net/a/%d"}`+"\n", i, i), 40)))
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}
