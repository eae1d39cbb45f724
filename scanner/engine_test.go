package scanner

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/keyholesec/keyhole"
	"github.com/keyholesec/keyhole/extract"
	"github.com/keyholesec/keyhole/rules"
)

// testRules are a fixed set for engine tests, apart from the default rules.
func testRules(t testing.TB) *rules.Ruleset {
	t.Helper()
	const path = "../testdata/configs/engine-rules.toml"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rules.Load(rules.Source{Name: path, Data: data}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func scanText(t testing.TB, e *Engine, path, text string) []Finding {
	t.Helper()
	return e.Scan(extract.Chunk{Origin: extract.Origin{Target: path}, Data: []byte(text)})
}

const (
	ghToken  = "ghp_R8rBwTHfqkGXiQ1MpcU2aNvLz06SJtC4dYe3"
	awsToken = "AKIAZ7VRSQ5TQMBOI6XK"
)

func TestFindsAndLocates(t *testing.T) {
	e, _ := NewEngine(testRules(t), true)
	text := "package x\n\n// config\nvar tok = \"" + ghToken + "\"\n"
	fs := scanText(t, e, "a.go", text)
	if len(fs) != 1 {
		t.Fatalf("want 1 finding, got %d: %+v", len(fs), fs)
	}
	f := fs[0]
	if f.Rule != "github-pat" || f.Line != 4 || f.Column != 12 || f.EndLine != 4 || f.Secret != ghToken {
		t.Errorf("got rule %s at %d:%d-%d secret %q", f.Rule, f.Line, f.Column, f.EndLine, f.Secret)
	}
	if f.Fingerprint != Fingerprint("github-pat", "a.go", ghToken) {
		t.Errorf("fingerprint %s", f.Fingerprint)
	}
}

func TestRedactedByDefault(t *testing.T) {
	e, _ := NewEngine(testRules(t), false)
	fs := scanText(t, e, "a.env", "GITHUB_TOKEN="+ghToken+"\n")
	if len(fs) == 0 {
		t.Fatal("no finding")
	}
	for _, f := range fs {
		if strings.Contains(f.Secret, ghToken[4:]) || strings.Contains(f.Match, ghToken[4:]) {
			t.Errorf("secret not redacted: %+v", f)
		}
	}
}

func TestInlineAllow(t *testing.T) {
	e, _ := NewEngine(testRules(t), true)
	for _, marker := range []string{"keyhole:allow", "gitleaks:allow"} {
		if fs := scanText(t, e, "a.go", `tok := "`+ghToken+`" // `+marker+"\n"); len(fs) != 0 {
			t.Errorf("%s: still reported: %+v", marker, fs)
		}
	}
}

// Windowed matching must give exactly what running every selected rule on
// the whole text gives, for the engine's test rules and the default rules.
func TestWindowsEqualFullText(t *testing.T) {
	checkWindowsEqualFullText(t, testRules(t), 300)
	def, err := rules.Load(rules.Source{Name: keyhole.DefaultRulesName, Data: keyhole.DefaultRules}, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkWindowsEqualFullText(t, def, 150)
}

func checkWindowsEqualFullText(t *testing.T, rs *rules.Ruleset, texts int) {
	windowed, _ := NewEngine(rs, true)
	full, _ := NewEngine(rs, true)
	full.fullText = true
	rng := rand.New(rand.NewSource(1))
	var corpus []string
	for _, r := range rs.Rules {
		corpus = append(corpus, r.Examples...)
		corpus = append(corpus, r.Negatives...)
	}
	words := []string{"key", "token", "api_key = ", "password: ", "secret=", "\n", " ", "\"", "AKIA", "ghp_", "xoxb-", "sk_live_", "-----BEGIN", "=", "auth", "\t"}
	for i := 0; i < texts; i++ {
		var b strings.Builder
		for j := 0; j < 40; j++ {
			switch rng.Intn(4) {
			case 0:
				b.WriteString(corpus[rng.Intn(len(corpus))])
			case 1:
				b.WriteString(words[rng.Intn(len(words))])
			default:
				for k := rng.Intn(30); k > 0; k-- {
					b.WriteByte("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+/= \n"[rng.Intn(68)])
				}
			}
		}
		text := b.String()
		got, want := scanText(t, windowed, "x", text), scanText(t, full, "x", text)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("text %d: windowed found %d, full text %d\n%q", i, len(got), len(want), text)
		}
	}
}

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 60; i++ {
		files[fmt.Sprintf("d%d/f%d.txt", i%7, i)] = fmt.Sprintf("line\nexport AWS_ACCESS_KEY_ID=%s\ntoken=%s\n", awsToken, ghToken)
	}
	dir := writeTree(t, files)
	rs := testRules(t)
	var first []Finding
	for _, j := range []int{1, 8, 3} {
		res, err := Scan(context.Background(), rs, []string{dir}, Options{Workers: j})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Findings) < 120 {
			t.Fatalf("-j %d: %d findings", j, len(res.Findings))
		}
		if first == nil {
			first = res.Findings
		} else if !reflect.DeepEqual(first, res.Findings) {
			t.Fatalf("-j %d gives a different order or content", j)
		}
	}
}

func TestWalkScansDotfilesSkipsGitAndLinks(t *testing.T) {
	outside := writeTree(t, map[string]string{"secret.txt": "token=" + ghToken + "\n"})
	dir := writeTree(t, map[string]string{
		".env":          "GITHUB_TOKEN=" + ghToken + "\n",
		".git/config":   "token=" + ghToken + "\n",
		"sub/plain.txt": "nothing here\n",
	})
	if err := os.Symlink(outside, filepath.Join(dir, "out")); err != nil {
		t.Skip("no symlinks:", err)
	}
	if err := os.Symlink(dir, filepath.Join(dir, "sub", "loop")); err != nil {
		t.Fatal(err)
	}
	res, err := Scan(context.Background(), testRules(t), []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range res.Findings {
		paths = append(paths, f.Path)
	}
	if !reflect.DeepEqual(paths, []string{".env"}) {
		t.Errorf("findings in %v, want only .env", paths)
	}
}

func TestBinaryFileReducedToStrings(t *testing.T) {
	bin := append([]byte{0, 1, 2, 3, 0xff, 0}, []byte("token="+ghToken)...)
	bin = append(bin, 0, 0, 7)
	dir := writeTree(t, map[string]string{"blob.bin": string(bin)})
	res, _ := Scan(context.Background(), testRules(t), []string{dir}, Options{})
	if len(res.Findings) != 1 || res.Findings[0].Format != "strings" || res.Findings[0].Line != 1 {
		t.Fatalf("got %+v", res.Findings)
	}
}

func TestDecodedSecretsFound(t *testing.T) {
	e, _ := NewEngine(testRules(t), true)
	sess := &Session{eng: e}
	sess.ex = extract.New(extract.Options{}, sess)
	// base64, hex and percent-encoded copies of an assignment with a token.
	plain := "GITHUB_TOKEN=" + ghToken
	b64 := "c2VjcmV0OiBHSVRIVUJfVE9LRU49Z2hwX1I4ckJ3VEhmcWtHWGlRMU1wY1UyYU52THowNlNKdEM0ZFllMw=="
	text := "a: 1\nb: " + b64 + "\nc: " + fmt.Sprintf("%x", plain) + "\nd: " + strings.ReplaceAll(plain, "=", "%3D") + "\n"
	sess.ex.Bytes(context.Background(), extract.Origin{Target: "enc.yaml"}, "enc.yaml", []byte(text))
	res := sess.Result()
	formats := map[string]int{}
	for _, f := range res.Findings {
		if f.Rule == "github-pat" {
			formats[f.Format] = f.Line
		}
	}
	want := map[string]int{"base64": 2, "hex": 3, "percent": 4}
	if !reflect.DeepEqual(formats, want) {
		t.Errorf("found in %v, want %v", formats, want)
	}
}

func TestSuppression(t *testing.T) {
	rs := testRules(t)
	v1 := writeTree(t, map[string]string{"app.env": "A=1\nGITHUB_TOKEN=" + ghToken + "\n"})
	res, _ := Scan(context.Background(), rs, []string{v1}, Options{})
	if len(res.Findings) != 1 {
		t.Fatalf("want 1 finding, got %d", len(res.Findings))
	}
	fp := res.Findings[0].Fingerprint
	// The secret moves down three lines: the baseline still hides it.
	if err := os.WriteFile(filepath.Join(v1, "app.env"), []byte("A=1\nB=2\nC=3\n\nGITHUB_TOKEN="+ghToken+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, _ = Scan(context.Background(), rs, []string{v1}, Options{Baseline: map[string]bool{fp: true, "gone": true}})
	if len(res.Findings) != 0 || res.Suppressed != 1 || res.BaselineUnused != 1 {
		t.Errorf("baseline: %d findings, %d suppressed, %d unused", len(res.Findings), res.Suppressed, res.BaselineUnused)
	}
	ignore := map[string]bool{}
	ig := filepath.Join(t.TempDir(), ".keyholeignore")
	os.WriteFile(ig, []byte("# known test token\n"+fp+"  # ok\n"), 0o644)
	if err := ReadIgnoreFile(ig, ignore); err != nil {
		t.Fatal(err)
	}
	res, _ = Scan(context.Background(), rs, []string{v1}, Options{Ignore: ignore})
	if len(res.Findings) != 0 || res.Suppressed != 1 {
		t.Errorf(".keyholeignore: %d findings, %d suppressed", len(res.Findings), res.Suppressed)
	}
	// A different secret on the same line is not hidden.
	os.WriteFile(filepath.Join(v1, "app.env"), []byte("A=1\nB=2\nC=3\n\nGITHUB_TOKEN=ghp_Xq7vLmN2pR4sT6uW8yZ0aB1cD3eF5gH7iJ9k\n"), 0o644)
	res, _ = Scan(context.Background(), rs, []string{v1}, Options{Ignore: ignore})
	if len(res.Findings) != 1 {
		t.Errorf("another secret was hidden by the old fingerprint")
	}
}

func TestBaselineReadsReports(t *testing.T) {
	for _, doc := range []string{`[{"rule":"x","fingerprint":"aa"}]`, `{"findings":[{"fingerprint":"aa"}]}`} {
		got, err := ReadBaseline(strings.NewReader(doc))
		if err != nil || !got["aa"] || len(got) != 1 {
			t.Errorf("%s: %v %v", doc, got, err)
		}
	}
	if _, err := ReadBaseline(strings.NewReader(`{"nope":1}`)); err == nil {
		t.Error("a JSON object without findings was accepted")
	}
}
