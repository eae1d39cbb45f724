package rules

// The TOML schema: a superset of gitleaks' (and Betterleaks') config, so
// that users' .gitleaks.toml files load unchanged. Field names follow
// gitleaks exactly; keyhole's own fields are marked.

type configSpec struct {
	Title       string          `toml:"title"`
	Description string          `toml:"description"`
	MinVersion  string          `toml:"minVersion"`
	Extend      extendSpec      `toml:"extend"`
	Rules       []ruleSpec      `toml:"rules"`
	Allowlist   *allowlistSpec  `toml:"allowlist"` // gitleaks' older single global allowlist
	Allowlists  []allowlistSpec `toml:"allowlists"`
}

type extendSpec struct {
	UseDefault    bool     `toml:"useDefault"`
	Path          string   `toml:"path"`
	URL           string   `toml:"url"`
	DisabledRules []string `toml:"disabledRules"`
}

type ruleSpec struct {
	ID          string          `toml:"id"`
	Description string          `toml:"description"`
	Regex       string          `toml:"regex"`
	SecretGroup int             `toml:"secretGroup"`
	Entropy     float64         `toml:"entropy"`
	Keywords    []string        `toml:"keywords"`
	Path        string          `toml:"path"`
	Tags        []string        `toml:"tags"`
	Allowlist   *allowlistSpec  `toml:"allowlist"` // older single form
	Allowlists  []allowlistSpec `toml:"allowlists"`
	Required    []requiredSpec  `toml:"required"`
	SkipReport  bool            `toml:"skipReport"`

	// keyhole's own fields.
	Kind       string         `toml:"kind"`
	Severity   string         `toml:"severity"`
	Examples   []string       `toml:"examples"`
	Negatives  []string       `toml:"negatives"`
	References []string       `toml:"references"`
	Overrides  []overrideSpec `toml:"overrides"`
}

type allowlistSpec struct {
	Description string   `toml:"description"`
	Condition   string   `toml:"condition"`
	Commits     []string `toml:"commits"`
	Paths       []string `toml:"paths"`
	RegexTarget string   `toml:"regexTarget"`
	Regexes     []string `toml:"regexes"`
	StopWords   []string `toml:"stopwords"`
	TargetRules []string `toml:"targetRules"`
}

// requiredSpec is a gitleaks composite-rule component: the rule reports
// only when a finding of rule ID lies within the given distance.
type requiredSpec struct {
	ID            string `toml:"id"`
	WithinLines   *int   `toml:"withinLines"`
	WithinColumns *int   `toml:"withinColumns"`
}

// overrideSpec (keyhole) changes a rule's severity for matching paths,
// e.g. disabled TLS verification in a test file is low.
type overrideSpec struct {
	Paths    []string `toml:"paths"`
	Severity string   `toml:"severity"`
}
