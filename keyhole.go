// Package keyhole holds what the binary embeds: the default rules.
package keyhole

import (
	"embed"
	"io/fs"
	"sort"
)

//go:embed rules*.toml
var ruleFiles embed.FS

// DefaultRules is the default rule file: rules.toml, followed by any
// rules.*.toml beside it (each holding only [[rules]] tables).
var DefaultRules = func() []byte {
	names, _ := fs.Glob(ruleFiles, "rules*.toml")
	sort.Slice(names, func(i, j int) bool { return names[i] == "rules.toml" || names[j] != "rules.toml" && names[i] < names[j] })
	var out []byte
	for _, n := range names {
		b, _ := ruleFiles.ReadFile(n)
		out = append(append(out, b...), '\n')
	}
	return out
}()

// DefaultRulesName names the default rules in messages.
const DefaultRulesName = "rules.toml (default)"

// Version is set at build time with -ldflags "-X github.com/keyholesec/keyhole.Version=…".
var Version = "dev"
