package report

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/keyholesec/keyhole/rules"
	"github.com/keyholesec/keyhole/scanner"
)

const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	toolURI      = "https://github.com/keyholesec/keyhole"
	srcRoot      = "%SRCROOT%"
	fingerprintV = "keyhole/v1"
)

// securitySeverity is GitHub's 0-10 score per severity (it shows >= 9 as
// critical, 7-8.9 high, 4-6.9 medium, below that low).
var securitySeverity = map[string]string{
	"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0",
}

// writeSARIF writes a SARIF 2.1.0 log for GitHub code scanning and other
// consumers: one run, the rules that have findings, one result per
// finding, and warnings as tool execution notifications.
//
// Locations: a finding in a plain file has the file's path as a URI
// relative to %SRCROOT% (the directory the scan ran from, usually the
// repository root), with its line and column. A finding inside an archive
// member ("build/app.apk!res/values/strings.xml") points at the archive,
// the file GitHub can show, at line 1; the member is a logical location
// and, with its own line and column, in the result's properties.
// Absolute paths become file:// URIs.
func writeSARIF(w io.Writer, res *scanner.Result, opts Options) error {
	ruleIDs, index := sarifRuleIDs(res.Findings)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "keyhole", Version: opts.ToolVersion, InformationURI: toolURI,
		}},
		Invocations: []sarifInvocation{sarifInvocationOf(res.Warnings)},
		Results:     make([]sarifResult, 0, len(res.Findings)),
	}
	for _, id := range ruleIDs {
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(id, opts.Rules, res.Findings))
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		run.Results = append(run.Results, sarifResultOf(f, index[f.Rule]))
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// sarifRuleIDs lists the rules that have findings, sorted, and each one's
// index in that list.
func sarifRuleIDs(findings []scanner.Finding) ([]string, map[string]int) {
	index := map[string]int{}
	var ids []string
	for _, f := range findings {
		if _, ok := index[f.Rule]; !ok {
			index[f.Rule] = 0
			ids = append(ids, f.Rule)
		}
	}
	slices.Sort(ids)
	for i, id := range ids {
		index[id] = i
	}
	return ids, index
}

// placeholder matches ${name} in a rule description, filled per finding.
var placeholder = regexp.MustCompile(`\$\{(\w+)\}`)

// sarifRuleOf describes rule id from the ruleset, or, for a rule it does
// not know (results read back from JSON), from the rule's first finding.
func sarifRuleOf(id string, rs *rules.Ruleset, findings []scanner.Finding) sarifRule {
	var r *rules.Rule
	if rs != nil {
		r = rs.Rule(id)
	}
	if r == nil {
		i := slices.IndexFunc(findings, func(f scanner.Finding) bool { return f.Rule == id })
		f := findings[i]
		r = &rules.Rule{ID: id, Description: f.Description, Kind: f.Kind, Severity: f.Severity, Tags: f.Tags}
	}
	desc := oneLine(placeholder.ReplaceAllString(r.Description, "<$1>"), 0)
	if desc == "" {
		desc = id
	}
	full := desc + "."
	if r.Kind == rules.KindSecret || r.Kind == "" {
		full += " Revoke and rotate the secret, then remove it from the code (and from history if it was committed)."
	}
	help := sarifHelp{Text: full}
	if len(r.References) > 0 {
		help.Text += "\n\nReferences:"
		help.Markdown = full + "\n\nReferences:\n"
		for _, ref := range r.References {
			help.Text += "\n- " + ref
			help.Markdown += fmt.Sprintf("\n- <%s>", ref)
		}
	}
	rule := sarifRule{
		ID: id, Name: pascalCase(id),
		ShortDescription:     sarifText{Text: desc},
		FullDescription:      sarifText{Text: full},
		Help:                 help,
		DefaultConfiguration: sarifRuleLevel{Level: sarifLevel(r.Severity)},
		Properties: sarifRuleProps{
			Tags: sarifTags(r), Kind: r.Kind, Severity: r.Severity, SecuritySeverity: securitySeverity[r.Severity],
		},
	}
	if len(r.References) > 0 {
		rule.HelpURI = r.References[0]
	}
	return rule
}

// sarifTags puts "security" first (GitHub files such results as security
// alerts), then the kind, CWE-798 for hard-coded credentials, and the
// rule's own tags.
func sarifTags(r *rules.Rule) []string {
	tags := []string{"security"}
	if r.Kind != "" {
		tags = append(tags, r.Kind)
	}
	if r.Kind == rules.KindSecret {
		tags = append(tags, "external/cwe/cwe-798")
	}
	for _, t := range r.Tags {
		if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	return tags
}

func sarifLevel(severity string) string {
	switch severity {
	case "critical", "high":
		return "error"
	case "low", "info":
		return "note"
	default:
		return "warning"
	}
}

func sarifResultOf(f *scanner.Finding, ruleIndex int) sarifResult {
	file, member := splitMember(location(f))
	props := sarifResultProps{
		Severity: f.Severity, Kind: f.Kind, Description: f.Description, Secret: f.Secret, SecretHash: f.SecretHash,
		Target: f.Target, Path: f.Path, Format: f.Format, Entropy: f.Entropy,
		Commit: f.Commit, Author: f.Author, Email: f.Email,
	}
	loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifactOf(file)}}
	if member == "" {
		loc.PhysicalLocation.Region = regionOf(f)
	} else {
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: 1}
		loc.LogicalLocations = []sarifLogical{{Name: member, FullyQualifiedName: location(f), Kind: "resource"}}
		props.Member, props.MemberLine, props.MemberColumn = member, max(f.Line, 0), max(f.Column, 0)
	}
	if f.Date != nil {
		props.Date = f.Date.UTC().Format("2006-01-02T15:04:05Z")
	}
	r := sarifResult{
		RuleID: f.Rule, RuleIndex: ruleIndex, Level: sarifLevel(f.Severity),
		Message:    sarifText{Text: sarifMessage(f, member)},
		Locations:  []sarifLocation{loc},
		Properties: props,
	}
	if f.Fingerprint != "" {
		r.PartialFingerprints = map[string]string{fingerprintV: f.Fingerprint}
	}
	return r
}

// sarifMessage is the description, the (redacted) secret, where inside an
// archive, and which commit: "GitHub personal access token (secret
// ghp_…REDACTED), commit 1a2b3c4 Alice <alice@example.com> 2024-03-01."
func sarifMessage(f *scanner.Finding, member string) string {
	m := oneLine(f.Description, maxDescription)
	if m == "" {
		m = oneLine(f.Rule, 0)
	}
	if f.Secret != "" && f.Kind != rules.KindMisconfig {
		m += " (secret " + oneLine(f.Secret, maxSecret) + ")"
	}
	if member != "" {
		m += " in " + oneLine(member, 0)
		if f.Line > 0 {
			m += fmt.Sprintf(" line %d", f.Line)
		}
		if f.Format != "" {
			m += " of the text read from " + oneLine(f.Format, 0)
		}
	}
	if f.Commit != "" {
		m += ", commit " + provenance(f)
	}
	return m + "."
}

// regionOf is the finding's lines; SARIF lines start at 1, so a finding on
// a whole file is placed at line 1.
func regionOf(f *scanner.Finding) *sarifRegion {
	r := &sarifRegion{StartLine: max(f.Line, 1)}
	if f.Column > 0 && f.Line > 0 {
		r.StartColumn = f.Column
	}
	r.EndLine = max(f.EndLine, r.StartLine)
	return r
}

// splitMember splits "build/app.apk!res/values/strings.xml" into the file
// on disk and the member path inside it.
func splitMember(loc string) (file, member string) {
	if i := strings.IndexByte(loc, '!'); i >= 0 {
		return loc[:i], loc[i+1:]
	}
	return loc, ""
}

// sarifArtifactOf turns a path on disk into a URI: relative to %SRCROOT%,
// or file:// when absolute. Bytes that are not URI-safe (spaces, newlines,
// invalid UTF-8) are percent-encoded.
func sarifArtifactOf(p string) sarifArtifact {
	if filepath.IsAbs(p) {
		slashed := filepath.ToSlash(p)
		if !strings.HasPrefix(slashed, "/") {
			slashed = "/" + slashed // C:/x -> /C:/x
		}
		return sarifArtifact{URI: (&url.URL{Scheme: "file", Path: slashed}).String()}
	}
	clean := path.Clean(filepath.ToSlash(p))
	return sarifArtifact{URI: (&url.URL{Path: clean}).String(), URIBaseID: srcRoot}
}

// sarifInvocationOf reports warnings as notifications: fatal ones (a
// target that could not be scanned) as errors that make the execution
// unsuccessful.
func sarifInvocationOf(warnings []scanner.Warning) sarifInvocation {
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, w := range warnings {
		n := sarifNotification{
			Level:      "warning",
			Message:    sarifText{Text: warningMessage(w)},
			Locations:  []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifactOf(w.Target)}}},
			Properties: sarifWarningProps{Target: w.Target, Path: w.Path, Limit: w.Limit},
		}
		if w.Fatal {
			n.Level = "error"
			inv.ExecutionSuccessful = false
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	return inv
}

func warningMessage(w scanner.Warning) string {
	m := oneLine(w.Target, 0)
	if w.Path != "" {
		m += ": " + oneLine(w.Path, 0)
	}
	if w.Limit != "" {
		m += ": limit " + oneLine(w.Limit, 0)
	}
	return m + ": " + oneLine(w.Message, maxMessage)
}

// pascalCase turns a rule id into the SARIF name: "aws-access-token" ->
// "AwsAccessToken".
func pascalCase(id string) string {
	var b strings.Builder
	for _, word := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' || r == '.' || r == ' ' }) {
		r, size := utf8.DecodeRuneInString(word)
		b.WriteString(string(unicode.ToUpper(r)) + word[size:])
	}
	if b.Len() == 0 {
		return id
	}
	return b.String()
}
