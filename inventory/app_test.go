package inventory

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// keys lists the endpoint keys of inv.
func keys(eps []Endpoint) []string {
	out := []string{}
	for _, e := range eps {
		out = append(out, e.Key)
	}
	return out
}

func TestAPKInventory(t *testing.T) {
	t.Chdir(fixtures)
	inv := runInventory(t, "release2.apk")
	want := []string{
		"https://api.shopfast.com/v2",
		"https://api.stripe.com/v1/payment_intents",
		"https://cdn.shopfast.com/img",
		"legacy.shopfast.com",
		"https://o4504.ingest.sentry.io/{id}",
		"http://partner-feed.com/export",
		"wss://push.shopfast.com/events",
		"search.shopfast.com",
		"https://shopfast-prod.firebaseio.com/",
		"s3://shopfast-uploads/incoming",
		"/api/v2/cart",
	}
	if got := keys(inv.Endpoints); !reflect.DeepEqual(got, want) {
		t.Errorf("endpoints:\n got %q\nwant %q", got, want)
	}
	if got := strings.Join(inv.FirstParty, ","); got != "shopfast.com" {
		t.Errorf("first party %q, want shopfast.com (from the manifest's package)", got)
	}
	checks := []struct {
		key, path      string
		line           int
		party, service string
	}{
		{"legacy.shopfast.com", "res/xml/network_security_config.xml", 4, "first", ""},
		{"http://partner-feed.com/export", "resources.arsc", 6, "third", ""},
		{"https://api.stripe.com/v1/payment_intents", "assets/index.android.bundle", 1, "third", "Stripe"},
		{"s3://shopfast-uploads/incoming", "assets/config.json", 1, "third", "AWS S3"},
	}
	for _, c := range checks {
		e := endpointByKey(inv, c.key)
		if e == nil {
			continue // reported above
		}
		got := []any{e.Seen[0].Target, e.Seen[0].Path, e.Seen[0].Line, e.Party, e.Service}
		if want := []any{"release2.apk", c.path, c.line, c.party, c.service}; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: seen, party, service = %v, want %v", c.key, got, want)
		}
	}
	if e := endpointByKey(inv, "http://partner-feed.com/export"); e != nil && (len(e.Links) != 1 || e.Links[0].Rule != "cleartext-endpoint") {
		t.Errorf("cleartext endpoint not linked to its finding: %+v", e.Links)
	}
	if e := endpointByKey(inv, "https://api.stripe.com/v1/payment_intents"); e != nil && !reflect.DeepEqual(e.Query, []string{"expand[]"}) {
		t.Errorf("query names %q", e.Query)
	}
}

func TestIPAInventory(t *testing.T) {
	t.Chdir(fixtures)
	inv := runInventory(t, "shop.ipa")
	for _, key := range []string{"wss://live.shopfast.com/stream", "/api/v2/orders"} {
		if endpointByKey(inv, key) == nil {
			t.Errorf("%s missing from %q", key, keys(inv.Endpoints))
		}
	}
	if got := strings.Join(inv.FirstParty, ","); got != "shopfast.com" {
		t.Errorf("first party %q, want shopfast.com (an embedded framework's bundle id is not the app's)", got)
	}
	sdk := 0
	for _, e := range inv.Endpoints {
		switch {
		case e.Host == "www.apple.com" || e.Host == "www.w3.org":
			t.Errorf("DTD or namespace listed: %s", e.Key)
		case e.Host == "collect.analyticskit.io":
			sdk++
			if e.Party != "third" || !strings.Contains(e.Seen[0].Path, "AnalyticsKit.framework/Info.plist") {
				t.Errorf("framework endpoint: party %s, seen %+v", e.Party, e.Seen)
			}
		case e.Host == "live.shopfast.com" && e.Party != "first":
			t.Errorf("%s: party %s, want first", e.Key, e.Party)
		}
	}
	if sdk == 0 {
		t.Errorf("the embedded framework's endpoint is missing: %q", keys(inv.Endpoints))
	}
}

func TestReleaseDiff(t *testing.T) {
	t.Chdir(fixtures)
	d := Diff(runInventory(t, "release1.apk"), runInventory(t, "release2.apk"))
	wantAdded := []string{
		"https://api.shopfast.com/v2", "https://api.stripe.com/v1/payment_intents", "https://o4504.ingest.sentry.io/{id}",
		"http://partner-feed.com/export", "wss://push.shopfast.com/events", "search.shopfast.com", "/api/v2/cart",
	}
	wantRemoved := []string{
		"http://10.0.2.2:8081/status", "https://api.mixpanel.com/track", "https://api.shopfast.com/v1",
		"ws://push.shopfast.com/events", "/api/v1/cart",
	}
	if got := keys(d.Added); !reflect.DeepEqual(got, wantAdded) {
		t.Errorf("added:\n got %q\nwant %q", got, wantAdded)
	}
	if got := keys(d.Removed); !reflect.DeepEqual(got, wantRemoved) {
		t.Errorf("removed:\n got %q\nwant %q", got, wantRemoved)
	}
	if len(d.Changed) != 1 || d.Changed[0].Key != "https://cdn.shopfast.com/img" || !reflect.DeepEqual(d.Changed[0].Changes, []string{"query"}) {
		t.Errorf("changed: %+v, want the CDN's query names", d.Changed)
	}
	var text strings.Builder
	if err := WriteDelta(&text, d, "text"); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"+ http://partner-feed.com/export  [cleartext, public, third]\n",
		"- https://api.mixpanel.com/track  [Mixpanel, tls, public, third]\n",
		"~ https://cdn.shopfast.com/img  (query: none -> width)\n",
		"7 added, 5 removed, 1 changed\n",
	} {
		if !strings.Contains(text.String(), line) {
			t.Errorf("text diff lacks %q:\n%s", line, text.String())
		}
	}
	for _, format := range []string{"json", "jsonl"} { // what diff reads back is what was written
		inv := runInventory(t, "release1.apk")
		var buf bytes.Buffer
		if err := Write(&buf, inv, format); err != nil {
			t.Fatal(err)
		}
		back, err := Read(&buf)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if !reflect.DeepEqual(back.Endpoints, inv.Endpoints) {
			t.Errorf("%s: endpoints read back differ", format)
		}
	}
	if same := Diff(runInventory(t, "release2.apk"), runInventory(t, "release2.apk")); !same.Empty() {
		t.Errorf("an inventory differs from itself: %+v", same)
	}
}
