package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/keyholesec/keyhole/internal/sarifcheck"
	"github.com/keyholesec/keyhole/rules"
	"github.com/keyholesec/keyhole/scanner"
)

// sarifErrors checks doc against the SARIF 2.1.0 schema.
func sarifErrors(doc []byte) error { return sarifcheck.Validate(doc) }

func validateSARIF(t *testing.T, doc []byte) {
	t.Helper()
	if err := sarifErrors(doc); err != nil {
		t.Fatal(err)
	}
}

func TestSARIFValidates(t *testing.T) {
	for name, res := range map[string]*scanner.Result{
		"fixture": fixture(), "empty": {}, "hostile": hostile("\n\x1b[2J\xff !#%?"),
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, res, Options{Format: "sarif", ToolVersion: "1.2.3"}); err != nil {
				t.Fatal(err)
			}
			validateSARIF(t, b.Bytes())
		})
	}
}

// The validator must reject what GitHub would: a line 0, an unknown level.
func TestSARIFValidatorHasTeeth(t *testing.T) {
	good := string(render(t, Options{Format: "sarif"}))
	for _, bad := range []struct{ from, to string }{
		{`"startLine": 3`, `"startLine": 0`},
		{`"level": "error"`, `"level": "critical"`},
		{`"partialFingerprints"`, `"partialFingerprint"`},
	} {
		doc := strings.Replace(good, bad.from, bad.to, 1)
		if doc == good {
			t.Fatalf("%s not in the document", bad.from)
		}
		if err := sarifErrors([]byte(doc)); err == nil {
			t.Errorf("%s passes validation", bad.to)
		}
	}
}

func TestSARIFMapsFindings(t *testing.T) {
	rs := &rules.Ruleset{}
	var log sarif.Report
	if err := json.Unmarshal(render(t, Options{Format: "sarif", Rules: rs}), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs", len(log.Runs))
	}
	run := log.Runs[0]
	fx := fixture()
	if len(run.Results) != len(fx.Findings) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(fx.Findings))
	}
	ruleIDs := map[string]bool{}
	for _, f := range fx.Findings {
		ruleIDs[f.Rule] = true
	}
	if got := len(run.Tool.Driver.Rules); got != len(ruleIDs) {
		t.Errorf("%d rules, want the %d with findings", got, len(ruleIDs))
	}
	for _, r := range run.Tool.Driver.Rules {
		if r.Properties == nil || r.Properties.Properties["security-severity"] == nil {
			t.Errorf("rule %s has no security-severity", *r.ID)
		}
	}
	for i, res := range run.Results {
		f := fx.Findings[i]
		if rule := run.Tool.Driver.Rules[res.RuleIndex]; *rule.ID != f.Rule || *res.RuleID != f.Rule {
			t.Errorf("result %d: ruleIndex %d is %s, want %s", i, res.RuleIndex, *rule.ID, f.Rule)
		}
		if res.PartialFingerprints[fingerprintV] != f.Fingerprint {
			t.Errorf("result %d: partial fingerprint %v", i, res.PartialFingerprints)
		}
		if want := map[string]string{"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}[f.Severity]; res.Level != want {
			t.Errorf("result %d: level %s for %s", i, res.Level, f.Severity)
		}
		al := res.Locations[0].PhysicalLocation.ArtifactLocation
		if al.URIBaseID == nil || *al.URIBaseID != srcRoot || strings.ContainsAny(*al.URI, "!\n\xff") {
			t.Errorf("result %d: artifact %s base %v", i, *al.URI, al.URIBaseID)
		}
		if f.Secret != "" && !strings.Contains(*res.Message.Text, f.Secret) {
			t.Errorf("result %d: message %q lacks the redacted secret", i, *res.Message.Text)
		}
	}
	// The archive member: the APK on disk, the member as a logical location.
	member := run.Results[4]
	if uri := *member.Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "build/app.apk" {
		t.Errorf("member uri %s", uri)
	}
	if ll := member.Locations[0].LogicalLocations; len(ll) != 1 || *ll[0].Name != "res/values/strings.xml" {
		t.Errorf("member logical location %+v", ll)
	}
	if p := member.Properties.Properties; p["member"] != "res/values/strings.xml" || p["memberLine"] != float64(12) {
		t.Errorf("member properties %v", p)
	}
	// The newline and invalid byte in a file name are percent-encoded.
	if uri := *run.Results[3].Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "src/evil%0Aname%FF.txt" {
		t.Errorf("escaped uri %s", uri)
	}
	// Git provenance.
	if p := run.Results[7].Properties.Properties; p["commit"] != fx.Findings[7].Commit || p["author"] != "Alice Example" {
		t.Errorf("git properties %v", p)
	}
	// One fatal and one non-fatal warning.
	inv := run.Invocations[0]
	if *inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 2 ||
		inv.ToolExecutionNotifications[0].Level != "warning" || inv.ToolExecutionNotifications[1].Level != "error" {
		t.Errorf("invocation %+v", inv)
	}
}

func TestSARIFRuleMetadataFromRuleset(t *testing.T) {
	rs, err := rules.Load(rules.Source{Name: "t.toml", Data: []byte(`
[[rules]]
id = "cleartext-endpoint"
kind = "misconfig"
severity = "medium"
description = "Cleartext URL to ${host}"
regex = '''http://(?P<host>[a-z.]+)'''
keywords = ["http://"]
tags = ["network"]
references = ["https://cwe.mitre.org/data/definitions/319.html"]
examples = ["http://api.example.net"]
negatives = ["https://api.example.net"]
`)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var log sarif.Report
	if err := json.Unmarshal(render(t, Options{Format: "sarif", Rules: rs}), &log); err != nil {
		t.Fatal(err)
	}
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		if *r.ID != "cleartext-endpoint" {
			continue
		}
		if *r.ShortDescription.Text != "Cleartext URL to <host>" || *r.HelpURI != "https://cwe.mitre.org/data/definitions/319.html" ||
			*r.Name != "CleartextEndpoint" || r.DefaultConfiguration.Level != "warning" {
			t.Errorf("rule metadata: %s %v %s %s", *r.ShortDescription.Text, r.HelpURI, *r.Name, r.DefaultConfiguration.Level)
		}
		if tags := r.Properties.Tags; strings.Join(tags, ",") != "security,misconfig,network" {
			t.Errorf("tags %v", tags)
		}
		return
	}
	t.Error("no cleartext-endpoint rule")
}

func TestSARIFArtifactURIs(t *testing.T) {
	for in, want := range map[string]sarifArtifact{
		"src/a.env":        {URI: "src/a.env", URIBaseID: srcRoot},
		"./deploy/ci.sh":   {URI: "deploy/ci.sh", URIBaseID: srcRoot},
		"my dir/a b#c?.go": {URI: "my%20dir/a%20b%23c%3F.go", URIBaseID: srcRoot},
		"c:x/y":            {URI: "./c:x/y", URIBaseID: srcRoot},
		"/home/u/repo/x":   {URI: "file:///home/u/repo/x"},
	} {
		if got := sarifArtifactOf(in); got != want {
			t.Errorf("sarifArtifactOf(%q) = %+v, want %+v", in, got, want)
		}
	}
}
