package scanner

import (
	"os"
	"strings"
	"testing"

	"github.com/keyholesec/keyhole"
	"github.com/keyholesec/keyhole/extract"
	"github.com/keyholesec/keyhole/rules"
)

func loadConfig(t *testing.T, name string) (*rules.Ruleset, error) {
	t.Helper()
	path := "../testdata/configs/" + name
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	def := rules.Source{Name: keyhole.DefaultRulesName, Data: keyhole.DefaultRules}
	return rules.Load(rules.Source{Name: path, Data: data}, &def)
}

func ruleIDs(fs []Finding) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.Rule)
	}
	return ids
}

func scanAt(e *Engine, origin extract.Origin, text string) []string {
	return ruleIDs(e.Scan(extract.Chunk{Origin: origin, Data: []byte(text)}))
}

func TestConfigExtendsDefault(t *testing.T) {
	rs, err := loadConfig(t, "extend-default.toml")
	if err != nil {
		t.Fatal(err)
	}
	if rs.Rule("generic-api-key") != nil {
		t.Error("disabledRules kept generic-api-key")
	}
	if rs.Rule("aws-access-token") == nil || rs.Rule("acme-deploy-token") == nil {
		t.Fatal("default or own rule missing")
	}
	e, _ := NewEngine(rs, true)
	o := extract.Origin{Target: "x.txt"}
	if got := scanAt(e, o, "deploy: acme_0123456789abcdefghijklmnopqrstuv\n"); strings.Join(got, ",") != "acme-deploy-token" {
		t.Errorf("own rule: %v", got)
	}
	// The extending rule's allowlist applies to the default rule of that id.
	if got := scanAt(e, o, "t = "+ghToken+"\n"); len(got) != 0 {
		t.Errorf("merged allowlist ignored: %v", got)
	}
	if got := scanAt(e, o, "t = ghp_Xq7vLmN2pR4sT6uW8yZ0aB1cD3eF5gH7iJ9k\n"); strings.Join(got, ",") != "github-pat" {
		t.Errorf("merged rule lost its regex: %v", got)
	}
}

func TestConfigUseDefault(t *testing.T) {
	def := rules.Source{Name: keyhole.DefaultRulesName, Data: keyhole.DefaultRules}
	all, err := rules.Load(def, nil)
	if err != nil {
		t.Skip("default rules do not load; rules tests report why")
	}
	off := all.Rules[0].ID
	rs, err := rules.Load(rules.Source{Name: "x.toml", Data: []byte("[extend]\nuseDefault = true\ndisabledRules = [\"" + off + "\"]\n")}, &def)
	if err != nil {
		t.Fatal(err)
	}
	if rs.Rule(off) != nil || len(rs.Rules) != len(all.Rules)-1 {
		t.Errorf("useDefault gave %d rules of %d, %s kept: %v", len(rs.Rules), len(all.Rules), off, rs.Rule(off) != nil)
	}
}

func TestConfigEveryField(t *testing.T) {
	rs, err := loadConfig(t, "full-schema.toml")
	if err != nil {
		t.Fatal(err)
	}
	if rs.Rule("aws-access-token") != nil {
		t.Error("a config without [extend] must replace the default rules")
	}
	e, _ := NewEngine(rs, true)
	at := func(path string) extract.Origin { return extract.Origin{Target: "repo", Dir: true, Path: path} }
	cases := []struct {
		name, path, text, want string
		commit                 string
	}{
		{"secretGroup+keywords", "a.py", `password = "Zq8#kLm2vX"`, "pass-assign", ""},
		{"entropy too low", "a.py", `password = "aaaaaaaa"`, "", ""},
		{"keyword absent", "a.py", `pwd = "Zq8#kLm2vX"`, "", ""},
		{"rule allowlist, line target", "a.py", `password = "Zq8#kLm2vX" # fixture`, "", ""},
		{"rule allowlist AND: path only", "a.md", `password = "Zq8#kLm2vX"`, "pass-assign", ""},
		{"rule allowlist AND: both", "a.md", `password = "docsZq8#kLm2vX"`, "", ""},
		{"global allowlist with targetRules", "a.py", `password = "hunter2Zq8#"`, "", ""},
		{"global allowlist, commits", "a.py", `password = "Zq8#kLm2vX"`, "", "0123456789abcdef0123456789abcdef01234567"},
		{"older global [allowlist] paths", "vendor/lib/a.py", `password = "Zq8#kLm2vX"`, "", ""},
		{"path-scoped rule, right path", "app/.env", "TOKEN=Qm9vZ3Rva2VuMTIzNDU2Nzg5", "env-file-token", ""},
		{"path-scoped rule, wrong path", "app/env.txt", "TOKEN=Qm9vZ3Rva2VuMTIzNDU2Nzg5", "", ""},
		{"older [rules.allowlist], match target", "app/.env", "TOKEN=AAAAZ3Rva2VuMTIzNDU2Nzg5", "", ""},
		{"path-only rule", "certs/server.pem", "anything", "pem-file", ""},
		{"composite: required nearby", "a.txt", "id: acme_id_12345678\nsecret: acme_secret_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8", "acme-client-secret", ""},
		{"composite: required too far", "a.txt", "id: acme_id_12345678\n\n\n\nsecret: acme_secret_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8", "", ""},
		{"composite: required absent", "a.txt", "secret: acme_secret_Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8", "", ""},
	}
	for _, c := range cases {
		o := at(c.path)
		o.Commit = c.commit
		got := strings.Join(scanAt(e, o, c.text), ",")
		if got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestConfigErrorsNameFileLineRule(t *testing.T) {
	cases := map[string][]string{
		"bad-unknown-key.toml": {"bad-unknown-key.toml:9:", `rule "typo-rule"`, `unknown key "rules.keyword"`},
		"bad-regex.toml":       {"bad-regex.toml:4:", `rule "broken"`, "missing closing )", "bad-regex.toml:10:", `rule "bad-group"`, "secretGroup 3"},
		"bad-syntax.toml":      {"bad-syntax.toml:3"},
	}
	for name, wants := range cases {
		_, err := loadConfig(t, name)
		if err == nil {
			t.Errorf("%s loaded", name)
			continue
		}
		for _, w := range wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", name, err, w)
			}
		}
	}
}
