// Package report renders a scan's Result for people (text) and machines
// (JSON, JSONL, SARIF). Each format is one writer in its own file; the
// writers print findings as the engine produced them and never un-redact.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/keyholesec/keyhole/rules"
	"github.com/keyholesec/keyhole/scanner"
)

// Options choose and tune a report.
type Options struct {
	Format      string
	Color       bool   // text: ANSI colours (the CLI decides: a terminal and NO_COLOR unset)
	ToolVersion string // SARIF: tool.driver.version
	// Rules supplies rule metadata (descriptions, tags, references) to
	// SARIF; may be nil, then rules are described from their findings.
	Rules *rules.Ruleset
	// Summary ends the text report with a per-target table.
	Summary bool
	// Inventory, when not nil, is rendered by the HTML report as its
	// Endpoints section, laid out from its JSON form.
	Inventory any
}

type writer func(w io.Writer, res *scanner.Result, opts Options) error

// formats lists the writers in the order Formats presents them.
var formats = []struct {
	name  string
	write writer
}{
	{"text", writeText},
	{"json", writeJSON},
	{"jsonl", writeJSONL},
	{"sarif", writeSARIF},
	{"html", writeHTML},
}

// Formats names the report formats Write accepts.
func Formats() []string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.name
	}
	return names
}

// Write renders res to w in opts.Format.
func Write(w io.Writer, res *scanner.Result, opts Options) error {
	if res == nil {
		res = &scanner.Result{}
	}
	for _, f := range formats {
		if f.name == opts.Format {
			return f.write(w, res, opts)
		}
	}
	return fmt.Errorf("unknown report format %q (valid: %s)", opts.Format, strings.Join(Formats(), ", "))
}
