package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/keyholesec/keyhole/extract"
	"github.com/keyholesec/keyhole/internal/sarifcheck"
	"github.com/keyholesec/keyhole/scanner"
	"github.com/keyholesec/keyhole/scanner/report"
)

// crashingSink hands chunks to a session but panics on those holding
// marker, as a parser bug would, deep inside the extraction.
type crashingSink struct {
	*scanner.Session
	marker []byte
}

func (c crashingSink) Chunk(ch extract.Chunk) {
	if bytes.Contains(ch.Data, c.marker) {
		panic("parser bug at " + string(ch.Data))
	}
	c.Session.Chunk(ch)
}

// A panic while extracting one target is an error for that target; the
// other targets' findings are intact in every report format.
func TestHostilePanicIsIsolated(t *testing.T) {
	rs, err := loadRules("")
	if err != nil {
		t.Fatal(err)
	}
	s, err := scanner.NewSession(rs, scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ex := extract.New(extract.Options{}, crashingSink{s, []byte("CRASH")})
	ctx := context.Background()
	ex.Bytes(ctx, extract.Origin{Target: "crash.txt"}, "crash.txt", []byte("CRASH token="+goodToken+"\n"))
	ex.Bytes(ctx, extract.Origin{Target: "good.txt"}, "good.txt", []byte("token="+goodToken+"\n"))
	res := s.Result()
	if len(res.Warnings) != 1 || !res.Warnings[0].Fatal || res.Warnings[0].Target != "crash.txt" ||
		!strings.Contains(res.Warnings[0].Message, "internal error") || strings.Contains(res.Warnings[0].Message, goodToken) {
		t.Fatalf("warnings %+v", res.Warnings)
	}
	for _, format := range []string{"json", "jsonl", "sarif", "text"} {
		var b bytes.Buffer
		if err := report.Write(&b, res, report.Options{Format: format, Rules: rs, Summary: true}); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		out := b.String()
		if !strings.Contains(out, "good.txt") || !strings.Contains(out, "github-pat") || strings.Contains(out, goodToken) {
			t.Errorf("%s report lacks the good target's finding or shows the secret:\n%s", format, out)
		}
		if format == "sarif" {
			if err := sarifcheck.Validate(b.Bytes()); err != nil {
				t.Errorf("sarif: %v", err)
			}
		}
		if format == "text" && !strings.Contains(out, "crash.txt") {
			t.Error("the text report does not name the target that crashed")
		}
	}
}
