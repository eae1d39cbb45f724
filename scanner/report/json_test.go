package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/keyholesec/keyhole/scanner"
)

// wantFromJSON is the fixture's findings as JSON can carry them: Location
// is not serialised and invalid UTF-8 becomes U+FFFD.
func wantFromJSON() []scanner.Finding {
	want := fixture().Findings
	for i := range want {
		want[i].Location = ""
		want[i].Path = strings.ToValidUTF8(want[i].Path, "\uFFFD")
	}
	return want
}

func TestJSONParsesBackToTheFindings(t *testing.T) {
	var got []scanner.Finding
	if err := json.Unmarshal(render(t, Options{Format: "json"}), &got); err != nil {
		t.Fatal(err)
	}
	if want := wantFromJSON(); !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
}

func TestJSONLIsOneFindingPerLine(t *testing.T) {
	out := render(t, Options{Format: "jsonl"})
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	want := wantFromJSON()
	if len(lines) != len(want) {
		t.Fatalf("%d lines for %d findings", len(lines), len(want))
	}
	for i, line := range lines {
		var f scanner.Finding
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if !reflect.DeepEqual(f, want[i]) {
			t.Errorf("line %d:\n got %+v\nwant %+v", i+1, f, want[i])
		}
	}
}

func TestJSONEmpty(t *testing.T) {
	for format, want := range map[string]string{"json": "[]\n", "jsonl": ""} {
		var b bytes.Buffer
		if err := Write(&b, &scanner.Result{}, Options{Format: format}); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Errorf("%s with no findings: %q, want %q", format, b.String(), want)
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	err := Write(&bytes.Buffer{}, fixture(), Options{Format: "xml"})
	if err == nil {
		t.Fatal("no error for format xml")
	}
	for _, name := range append(Formats(), `"xml"`) {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %s", err, name)
		}
	}
}
