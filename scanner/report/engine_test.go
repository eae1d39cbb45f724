package report

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/keyholesec/keyhole"
	"github.com/keyholesec/keyhole/extract"
	"github.com/keyholesec/keyhole/rules"
	"github.com/keyholesec/keyhole/scanner"
)

// scanned is what the engine finds, with the default rules, in a small
// config file: findings as the writers meet them in a real run.
func scanned(t *testing.T) (*rules.Ruleset, *scanner.Result) {
	t.Helper()
	rs, err := rules.Load(rules.Source{Name: keyhole.DefaultRulesName, Data: keyhole.DefaultRules}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := scanner.NewSession(rs, scanner.Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := "aws_access_key_id = AKIAZ3MSJV4WWNKWW5FG\n" +
		"github_token: ghp_4mVkq7Lr0XbT9cYp2WzN8hJd6Fs1Ga3Ke5Uo\n" +
		"api_url: http://payments.paygrid.io/api\n"
	s.Extractor().Bytes(context.Background(), extract.Origin{Target: "conf", Dir: true, Path: "deploy/app.yml"}, "app.yml", []byte(text))
	res := s.Result()
	var found []string
	for _, f := range res.Findings {
		found = append(found, f.Rule)
	}
	for _, id := range []string{"aws-access-token", "github-pat", "cleartext-endpoint"} {
		if !slices.Contains(found, id) {
			t.Fatalf("the engine found %v in the sample, not %s", found, id)
		}
	}
	return rs, res
}

func TestWritersOnEngineFindings(t *testing.T) {
	rs, res := scanned(t)
	for _, format := range Formats() {
		var b bytes.Buffer
		if err := Write(&b, res, Options{Format: format, Rules: rs, ToolVersion: "test", Summary: true}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, secret := range []string{"AKIAZ3MSJV4WWNKWW5FG", "ghp_4mVkq7Lr0XbT9cYp2WzN8hJd6Fs1Ga3Ke5Uo"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s: the engine redacted %s but the report shows it", format, secret[:4])
			}
		}
		switch format {
		case "sarif":
			validateSARIF(t, b.Bytes())
			if !strings.Contains(out, `"uri": "conf/deploy/app.yml"`) {
				t.Errorf("sarif: no uri for conf/deploy/app.yml")
			}
		case "json":
			var got []scanner.Finding
			if err := json.Unmarshal(b.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			want := append([]scanner.Finding(nil), res.Findings...)
			for i := range want {
				want[i].Location = ""
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("json round trip:\n got %+v\nwant %+v", got, want)
			}
		case "text":
			if !strings.HasPrefix(out, "conf/deploy/app.yml\n") {
				t.Errorf("text does not start with the location:\n%s", out)
			}
		}
	}
}
