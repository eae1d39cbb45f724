package report

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// chromium finds Debian's chromium. Without it the browser tests are
// skipped on a workstation and fail under CI, which must install it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed (apt-get install chromium); CI must run the HTML report's browser test")
	}
	t.Skip("chromium is not installed")
	return ""
}

// console matches what chromium logs for each console message, error or
// not ("[…:INFO:CONSOLE:12] "Uncaught …", source: …"). The report logs
// nothing, so every such line is a script error or a blocked load.
var console = regexp.MustCompile(`(?m)^.*:CONSOLE[:(].*$`)

// browse loads file in headless chromium, lets its script run and returns
// the DOM it produced and the console messages it logged.
func browse(t *testing.T, bin, file, hash string) (page, []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	u := (&url.URL{Scheme: "file", Path: file, Fragment: hash}).String()
	cmd := exec.CommandContext(ctx, bin,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--enable-logging=stderr", "--v=0",
		"--virtual-time-budget=2000", "--dump-dom", u)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second // helper processes may hold the pipes open
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", u, err, stderr.Bytes())
	}
	doc, err := html.Parse(&stdout)
	if err != nil {
		t.Fatal(err)
	}
	return page{stdout.Bytes(), doc}, console.FindAllString(stderr.String(), -1)
}

// shownRows are the findings table's rows as the script rendered them:
// severity, rule, target and line of each.
func shownRows(t *testing.T, p page) []string {
	t.Helper()
	if c := p.byID("controls"); c == nil || hasAttr(c, "hidden") {
		t.Fatal("the filter controls are hidden: the script did not run")
	}
	var out []string
	for _, cells := range rows(p.byID("findings-table")) {
		if len(cells) == 1 { // "No findings match the filters."
			out = append(out, cells[0])
			continue
		}
		out = append(out, strings.Join([]string{cells[0], strings.Fields(cells[1])[0], cells[3], cells[5]}, " "))
	}
	return out
}

func TestBrowserConsoleDetection(t *testing.T) {
	bin := chromium(t)
	file := filepath.Join(t.TempDir(), "broken.html")
	if err := os.WriteFile(file, []byte(`<!DOCTYPE html><p>x</p><script>notDefined()</script>`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errs := browse(t, bin, file, ""); len(errs) == 0 || !strings.Contains(errs[0], "Uncaught") {
		t.Fatalf("a script error went unnoticed: %q", errs)
	}
}

func TestBrowserFiltersAndSorts(t *testing.T) {
	bin := chromium(t)
	file := filepath.Join(t.TempDir(), "report.html")
	var b bytes.Buffer
	if err := Write(&b, fixture(), Options{Format: "html", ToolVersion: "1.2.3", Rules: testRules(t)}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	all := []string{
		"critical aws-access-token src 3:19",
		"medium cleartext-endpoint src 7:10",
		"critical github-pat src 12:14",
		"high generic-api-key src 1:1",
		"low gcp-api-key build/app.apk 12:5",
		"high android-trust-all-certs build/app.apk 40:1",
		"info cleartext-endpoint build/app.apk 2",
		"critical github-pat repo 12:14",
	}
	for _, c := range []struct {
		hash  string
		rows  []string
		shown string
	}{
		{"", all, "8 findings"},
		{"severity=critical", []string{all[0], all[2], all[7]}, "3 of 8 findings"},
		{"target=build/app.apk&sort=severity&dir=desc", []string{all[5], all[4], all[6]}, "3 of 8 findings"},
		{"rule=cleartext-endpoint&kind=misconfig&sort=line&dir=desc", []string{all[1], all[6]}, "2 of 8 findings"},
		{"q=ALICE", []string{all[7]}, "1 of 8 findings"},
		{"sort=target&dir=desc&severity=critical,high", []string{all[0], all[2], all[3], all[7], all[5]}, "5 of 8 findings"},
		{"q=" + url.QueryEscape("not there"), []string{"No findings match the filters."}, "0 of 8 findings"},
	} {
		t.Run(c.hash, func(t *testing.T) {
			t.Parallel() // a browser mostly waits on its own start-up
			p, errs := browse(t, bin, file, c.hash)
			if len(errs) > 0 {
				t.Errorf("console: %q", errs)
			}
			if got := shownRows(t, p); !slices.Equal(got, c.rows) {
				t.Errorf("rows:\n got %q\nwant %q", got, c.rows)
			}
			if got := text(p.byID("shown")); got != c.shown {
				t.Errorf("count %q, want %q", got, c.shown)
			}
			if c.hash == "" {
				var targets []string
				for o := range p.byID("filter-target").Descendants() {
					if o.DataAtom == atom.Option {
						targets = append(targets, text(o))
					}
				}
				if want := []string{"all", "build/app.apk", "repo", "src"}; !slices.Equal(targets, want) {
					t.Errorf("target choices %q, want %q", targets, want)
				}
			}
		})
	}
}

// TestBrowserLongReport: the script shows the first thousand matching rows
// and a button for the rest.
func TestBrowserLongReport(t *testing.T) {
	bin := chromium(t)
	file := filepath.Join(t.TempDir(), "long.html")
	var b bytes.Buffer
	if err := Write(&b, many(1500), Options{Format: "html"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		hash   string
		rows   int
		button string
	}{
		{"", 1000, "Show all 1500 findings"},
	} {
		p, errs := browse(t, bin, file, c.hash)
		if len(errs) > 0 {
			t.Errorf("%s: console: %q", c.hash, errs)
		}
		if got := len(shownRows(t, p)); got != c.rows {
			t.Errorf("%s: %d rows, want %d", c.hash, got, c.rows)
		}
		button := ""
		if n := p.byID("show-more"); n != nil {
			button = text(n)
		}
		if button != c.button {
			t.Errorf("%s: button %q, want %q", c.hash, button, c.button)
		}
	}
}

// TestBrowserHostileText: markup in names and matches stays text when the
// script renders it.
func TestBrowserHostileText(t *testing.T) {
	bin := chromium(t)
	file := filepath.Join(t.TempDir(), "hostile.html")
	var b bytes.Buffer
	if err := Write(&b, hostileEverywhere(hostileHTML), Options{Format: "html"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	p, errs := browse(t, bin, file, "")
	if len(errs) > 0 {
		t.Errorf("console: %q", errs)
	}
	if imgs := p.all(elements(atom.Img)); len(imgs) > 0 {
		t.Errorf("%d <img> elements in the rendered page", len(imgs))
	}
	if n := len(p.all(elements(atom.Script))); n != 2 {
		t.Errorf("%d scripts in the rendered page, want 2", n)
	}
	got := rows(p.byID("findings-table"))
	if len(got) != 1 || got[0][4] != "p"+hostileHTML+" f"+hostileHTML || got[0][0] != "high"+hostileHTML {
		t.Errorf("rendered row %q", got)
	}
}
