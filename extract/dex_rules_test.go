package extract

import (
	"strings"
	"testing"

	"github.com/keyholesec/keyhole"
	"github.com/keyholesec/keyhole/rules"
)

// The default rules find exactly the insecure methods in rendered DEX
// text, at the right severity, and nothing in the secure twin.
func TestDEXRenderingMeetsRules(t *testing.T) {
	rs, err := rules.Load(rules.Source{Name: keyhole.DefaultRulesName, Data: keyhole.DefaultRules}, nil)
	if err != nil {
		t.Fatal(err)
	}
	type finding struct{ rule, class, severity string }
	find := func(fixture string) map[finding]int {
		text := extractBinary(t, fixture, readFixture(t, "dex", fixture)).text("dex")
		out := map[finding]int{}
		for _, r := range rs.Rules {
			if !strings.HasPrefix(r.ID, "android-") {
				continue
			}
			for _, m := range rs.Test(r, text) {
				line := text[m.Start:m.End]
				class, _, _ := strings.Cut(line, ";->")
				sev := r.Severity
				if m.Severity != "" {
					sev = m.Severity
				}
				out[finding{r.ID, class[strings.LastIndexByte(class, '/')+1:], sev}]++
			}
		}
		return out
	}
	want := map[finding]int{
		{"android-trust-all-certs", "TrustAll", "high"}:                                  1,
		{"android-trust-all-certs", "KotlinTrustAll", "high"}:                            1,
		{"android-trust-all-certs", "HttpSetup", "high"}:                                 1,
		{"android-trust-all-certs", "DerivedTrust", "high"}:                              1,
		{"android-hostname-verifier-allow-all", "AllowAllVerifier", "high"}:              1,
		{"android-hostname-verifier-allow-all", "Net$$ExternalSyntheticLambda0", "high"}: 1,
		{"android-hostname-verifier-allow-all", "HttpSetup", "high"}:                     2,
		{"android-webview-ssl-error-proceed", "ProceedClient", "high"}:                   1,
		{"android-webview-ssl-error-proceed", "SystemWebViewClient", "low"}:              1,
	}
	got := find("insecure.dex")
	for f, n := range want {
		if got[f] != n {
			t.Errorf("%v: %d findings, want %d", f, got[f], n)
		}
	}
	for f, n := range got {
		if want[f] == 0 {
			t.Errorf("unexpected %v (%d)", f, n)
		}
	}
	if got := find("secure.dex"); len(got) > 0 {
		t.Errorf("findings in secure.dex: %v", got)
	}
}
