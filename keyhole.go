// Package keyhole holds what the binary embeds: the default rules.
package keyhole

import _ "embed"

// DefaultRules is the default rule file, rules.toml.
//
//go:embed rules.toml
var DefaultRules []byte

// DefaultRulesName names the default rules in messages.
const DefaultRulesName = "rules.toml (default)"

// Version is set at build time with -ldflags "-X github.com/keyholesec/keyhole.Version=…".
var Version = "dev"
