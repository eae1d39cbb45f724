package inventory

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/keyholesec/keyhole"
	"github.com/keyholesec/keyhole/rules"
)

// fixtures is testdata/inventory, absolute so tests may change directory.
var fixtures, _ = filepath.Abs(filepath.Join("..", "testdata", "inventory"))

var update = flag.Bool("update", false, "rewrite the golden inventories in testdata/inventory")

var loadDefault = sync.OnceValues(func() (*rules.Ruleset, error) {
	return rules.Load(rules.Source{Name: keyhole.DefaultRulesName, Data: keyhole.DefaultRules}, nil)
})

func defaultRules(t testing.TB) *rules.Ruleset {
	t.Helper()
	rs, err := loadDefault()
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// golden compares got with testdata/inventory/NAME, or rewrites it.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(fixtures, name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./inventory -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the run produced:\n%s", path, got)
	}
}

func runInventory(t *testing.T, targets ...string) *Inventory {
	t.Helper()
	inv, err := Run(context.Background(), defaultRules(t), targets, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func TestSourceTreeInventory(t *testing.T) {
	t.Chdir(fixtures) // targets and so provenance are relative, as users name them
	inv := runInventory(t, "src")
	var out bytes.Buffer
	if err := Write(&out, inv, "json"); err != nil {
		t.Fatal(err)
	}
	golden(t, "src.inventory.json", out.Bytes())
	out.Reset()
	if err := Write(&out, inv, "text"); err != nil {
		t.Fatal(err)
	}
	golden(t, "src.inventory.txt", out.Bytes())

	if got := strings.Join(inv.FirstParty, ","); got != "shopfast.com" {
		t.Errorf("first-party domains %q, want shopfast.com (from the package and bundle id)", got)
	}
	for _, c := range []struct{ key, transport, address, party, service, links string }{
		{"http://legacy.shopfast.com/api/orders", "cleartext", "public", "first", "", "cleartext-endpoint"},
		{"ftp://ftp.partner-feed.com/upload", "cleartext", "public", "third", "", "cleartext-endpoint,url-basic-auth"},
		{"https://o123456.ingest.sentry.io/{id}", "tls", "public", "third", "Sentry", "sentry-dsn"},
		{"gateway.shopfast.com", "unknown", "public", "first", "", ""},
		{"http://10.0.2.2:8080/api/dev", "cleartext", "loopback", "unknown", "", ""},
		{"http://metadata.google.internal/computeMetadata/v1", "cleartext", "metadata", "unknown", "", ""},
		{"https://api.example.com/v1/demo", "tls", "documentation", "unknown", "", ""},
		{"redis://cache.internal/{id}", "unknown", "private", "unknown", "", ""},
		{"shopfast://product/{id}", "unknown", "unknown", "unknown", "", ""},
		{"gs://shopfast-media/assets", "unknown", "public", "third", "Google Cloud Storage", ""},
		{"/api/v2/products/{id}", "unknown", "unknown", "unknown", "", ""},
	} {
		e := endpointByKey(inv, c.key)
		if e == nil {
			t.Errorf("%s: missing", c.key)
			continue
		}
		var rules []string
		for _, l := range e.Links {
			rules = append(rules, l.Rule)
		}
		got := []string{e.Transport, e.Address, e.Party, e.Service, strings.Join(rules, ",")}
		want := []string{c.transport, c.address, c.party, c.service, c.links}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: transport, address, party, service, links = %q, want %q", c.key, got, want)
		}
	}
	for _, e := range inv.Endpoints {
		if e.Host == "schemas.android.com" || e.Host == "www.w3.org" || e.Host == "www.apple.com" || strings.Contains(e.Key, "schema/orders") {
			t.Errorf("namespace or DTD listed as an endpoint: %s", e.Key)
		}
	}
}

func endpointByKey(inv *Inventory, key string) *Endpoint {
	for i := range inv.Endpoints {
		if inv.Endpoints[i].Key == key {
			return &inv.Endpoints[i]
		}
	}
	return nil
}
