package report

import (
	"fmt"
	"io"
	"testing"

	"github.com/keyholesec/keyhole/scanner"
)

// many is a Result of n findings spread over n/10 files, like a big scan.
func many(n int) *scanner.Result {
	base := fixture().Findings
	res := &scanner.Result{Findings: make([]scanner.Finding, n)}
	for i := range res.Findings {
		f := base[i%len(base)]
		f.Path = fmt.Sprintf("pkg%d/file%d.go", i/100, i/10)
		f.Location = f.Target + "/" + f.Path
		f.Line = i%10 + 1
		res.Findings[i] = f
	}
	return res
}

func BenchmarkWrite(b *testing.B) {
	res := many(10_000)
	for _, format := range Formats() {
		b.Run(format, func(b *testing.B) {
			opts := Options{Format: format, Summary: true}
			for b.Loop() {
				if err := Write(io.Discard, res, opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(res.Findings)), "ns/finding")
		})
	}
}
