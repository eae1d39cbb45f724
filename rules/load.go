package rules

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// Source is a rule file: a name for messages (its path) and its content.
type Source struct {
	Name string
	Data []byte
	// Trusted marks rules checked elsewhere (the embedded defaults, which
	// the tests load untrusted): their regexes are parsed on first use
	// rather than when loaded, which a pre-commit hook notices.
	Trusted bool
}

// Problem is one thing wrong with a rule file.
type Problem struct {
	File string
	Line int // 0 when unknown
	Rule string
	Msg  string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Rule != "" {
		fmt.Fprintf(&b, "rule %q: ", p.Rule)
	}
	b.WriteString(p.Msg)
	return b.String()
}

// LoadError lists every problem found while loading rules.
type LoadError struct{ Problems []Problem }

func (e *LoadError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// maxExtendDepth bounds chains of [extend] path (and cycles).
const maxExtendDepth = 4

// Load parses, validates and compiles the rule file src. When src extends
// the default rules ([extend] useDefault = true), def supplies them; def
// may be nil when src is the default itself. [extend] path is read
// relative to src's directory.
func Load(src Source, def *Source) (*Ruleset, error) {
	var problems []Problem
	spec := loadSpec(src, def, 0, &problems)
	if len(problems) > 0 {
		return nil, &LoadError{problems}
	}
	rs, problems := compile(spec)
	if len(problems) > 0 {
		return nil, &LoadError{problems}
	}
	return rs, nil
}

// located pairs a rule spec with where it was written, for messages.
type located struct {
	ruleSpec
	pos position
}

type position struct {
	file    string
	line    int
	loc     *locator
	trusted bool
}

type loadedSpec struct {
	rules      []located
	allowlists []allowlistSpec
	allowPos   position
}

func loadSpec(src Source, def *Source, depth int, problems *[]Problem) *loadedSpec {
	add := func(line int, rule, msg string) {
		*problems = append(*problems, Problem{File: src.Name, Line: line, Rule: rule, Msg: msg})
	}
	var cfg configSpec
	md, err := toml.Decode(string(src.Data), &cfg)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			add(pe.Position.Line, "", pe.Message)
		} else {
			add(lineOf(err), "", strings.TrimPrefix(err.Error(), "toml: "))
		}
		return nil
	}
	loc := newLocator(src.Data)
	for _, key := range md.Undecoded() {
		line, rule := loc.find(key, cfg.Rules)
		add(line, rule, fmt.Sprintf("unknown key %q", key.String()))
	}
	out := &loadedSpec{allowPos: position{file: src.Name, loc: loc}}

	// The configs this one extends come first; this file's rules then
	// override theirs field by field, as in gitleaks.
	var base *loadedSpec
	if depth >= maxExtendDepth && (cfg.Extend.UseDefault || cfg.Extend.Path != "") {
		add(loc.keyLine("extend"), "", fmt.Sprintf("[extend] nested more than %d levels deep (a cycle?)", maxExtendDepth))
		return nil
	}
	switch {
	case cfg.Extend.URL != "":
		add(loc.keyLine("url"), "", "[extend] url is not supported: keyhole never fetches rules over the network; download the file and use [extend] path")
	case cfg.Extend.UseDefault && cfg.Extend.Path != "":
		add(loc.keyLine("path"), "", "[extend] takes useDefault or path, not both")
	case cfg.Extend.UseDefault:
		if def == nil {
			add(loc.keyLine("useDefault"), "", "[extend] useDefault in the default rules themselves")
		} else {
			base = loadSpec(*def, nil, depth+1, problems)
		}
	case cfg.Extend.Path != "":
		p := cfg.Extend.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(src.Name), p)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			add(loc.keyLine("path"), "", fmt.Sprintf("[extend] path: %v", err))
		} else {
			base = loadSpec(Source{Name: p, Data: data}, def, depth+1, problems)
		}
	}
	if base != nil {
		for _, r := range base.rules {
			if !slices.Contains(cfg.Extend.DisabledRules, r.ID) {
				out.rules = append(out.rules, r)
			}
		}
		out.allowlists = base.allowlists
	}
	for i, r := range cfg.Rules {
		pos := position{file: src.Name, line: loc.ruleLine(i), loc: loc, trusted: src.Trusted}
		if r.Allowlist != nil {
			r.Allowlists = append([]allowlistSpec{*r.Allowlist}, r.Allowlists...)
			r.Allowlist = nil
		}
		if j := slices.IndexFunc(out.rules, func(b located) bool { return b.ID == r.ID && r.ID != "" }); j >= 0 {
			out.rules[j] = located{mergeRule(out.rules[j].ruleSpec, r), pos}
			continue
		}
		out.rules = append(out.rules, located{r, pos})
	}
	if cfg.Allowlist != nil {
		out.allowlists = append(out.allowlists, *cfg.Allowlist)
	}
	out.allowlists = append(out.allowlists, cfg.Allowlists...)
	return out
}

// mergeRule applies an extending config's rule to the base rule of the same
// id: fields it sets replace the base's, lists are appended (gitleaks).
func mergeRule(base, over ruleSpec) ruleSpec {
	if over.Description != "" {
		base.Description = over.Description
	}
	if over.Regex != "" {
		base.Regex = over.Regex
	}
	if over.SecretGroup != 0 {
		base.SecretGroup = over.SecretGroup
	}
	if over.Entropy != 0 {
		base.Entropy = over.Entropy
	}
	if over.Path != "" {
		base.Path = over.Path
	}
	if over.Kind != "" {
		base.Kind = over.Kind
	}
	if over.Severity != "" {
		base.Severity = over.Severity
	}
	if over.SkipReport {
		base.SkipReport = true
	}
	base.Keywords = append(slices.Clone(base.Keywords), over.Keywords...)
	base.Tags = append(slices.Clone(base.Tags), over.Tags...)
	base.Allowlists = append(slices.Clone(base.Allowlists), over.Allowlists...)
	base.Required = append(slices.Clone(base.Required), over.Required...)
	base.Examples = append(slices.Clone(base.Examples), over.Examples...)
	base.Negatives = append(slices.Clone(base.Negatives), over.Negatives...)
	base.References = append(slices.Clone(base.References), over.References...)
	base.Overrides = append(slices.Clone(base.Overrides), over.Overrides...)
	return base
}

var tomlLine = regexp.MustCompile(`line (\d+)`)

func lineOf(err error) int {
	m := tomlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n := 0
	fmt.Sscan(m[1], &n)
	return n
}

// locator finds where things were written in a TOML file: the decoder
// does not say, and users need file:line in every message.
type locator struct {
	lines      []string
	ruleStarts []int // 1-based line of each [[rules]] header
}

func newLocator(data []byte) *locator {
	l := &locator{lines: strings.Split(string(data), "\n")}
	for i, line := range l.lines {
		// "[[ rules ]]  # comment" is a header too.
		header, _, _ := strings.Cut(line, "#")
		if strings.Join(strings.Fields(header), "") == "[[rules]]" {
			l.ruleStarts = append(l.ruleStarts, i+1)
		}
	}
	return l
}

func (l *locator) ruleLine(i int) int {
	if i < len(l.ruleStarts) {
		return l.ruleStarts[i]
	}
	return 0
}

// keyLine is the first line assigning key, anywhere.
func (l *locator) keyLine(key string) int { return l.keyLineIn(key, 1, len(l.lines)) }

// keyLineIn is the first line in [from, to] (1-based) assigning key.
func (l *locator) keyLineIn(key string, from, to int) int {
	for n := max(from, 1); n <= to && n <= len(l.lines); n++ {
		t := strings.TrimSpace(l.lines[n-1])
		if rest, ok := strings.CutPrefix(t, key); ok {
			rest = strings.TrimSpace(rest)
			if strings.HasPrefix(rest, "=") {
				return n
			}
		}
	}
	return 0
}

// ruleKeyLine is the line of key inside the i-th rule's block.
func (l *locator) ruleKeyLine(i int, key string) int {
	if i >= len(l.ruleStarts) {
		return 0
	}
	end := len(l.lines)
	if i+1 < len(l.ruleStarts) {
		end = l.ruleStarts[i+1] - 1
	}
	if n := l.keyLineIn(key, l.ruleStarts[i], end); n > 0 {
		return n
	}
	return l.ruleStarts[i]
}

// find locates an undecoded key and the rule it belongs to.
func (l *locator) find(key toml.Key, rules []ruleSpec) (int, string) {
	last := key[len(key)-1]
	if len(key) >= 2 && key[0] == "rules" {
		for i := range l.ruleStarts {
			end := len(l.lines)
			if i+1 < len(l.ruleStarts) {
				end = l.ruleStarts[i+1] - 1
			}
			if n := l.keyLineIn(last, l.ruleStarts[i], end); n > 0 {
				id := ""
				if i < len(rules) {
					id = rules[i].ID
				}
				return n, id
			}
		}
	}
	return l.keyLine(last), ""
}
