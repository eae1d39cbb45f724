package inventory

import (
	"reflect"
	"strings"
	"testing"
)

// keysIn returns the normalised keys of the endpoints written in text.
func keysIn(text string, lines bool) []string {
	data := []byte(text)
	var out []string
	for _, r := range find(data, lowerASCII(nil, data), lines) {
		if p, ok := parseRaw(r); ok {
			out = append(out, p.key())
		}
	}
	return out
}

func TestFindAndNormalise(t *testing.T) {
	cases := []struct {
		name, text string
		lines      bool
		want       []string
	}{
		{"url with ids and query", `fetch("https://API.Shop.com:443/users/12345/orders/550e8400-e29b-41d4-a716-446655440000?page=2&sort=asc#top")`, false,
			[]string{"https://api.shop.com/users/{id}/orders/{id}"}},
		{"placeholders", `"https://api.shop.com/v2/users/{userId}/items/:itemId/%s/${x}/%1$s" "http://h.shop.com:8080/a/%d"`, false,
			[]string{"https://api.shop.com/v2/users/{id}/items/{id}/{id}/{id}/{id}", "http://h.shop.com:8080/a/{id}"}},
		{"long hex and inner placeholders", `u = 'https://cdn.shop.com/img/0123456789abcdef0123/user_{id}.json/'`, false,
			[]string{"https://cdn.shop.com/img/{id}/user_{id}.json"}},
		{"root and trailing punctuation", `see https://shop.com. And (https://shop.com/help).`, false,
			[]string{"https://shop.com/", "https://shop.com/help"}},
		{"websocket and ftp default ports", `ws://rt.shop.com:80/live wss://rt.shop.com:443/live ftp://files.shop.com:21/pub`, false,
			[]string{"ws://rt.shop.com/live", "wss://rt.shop.com/live", "ftp://files.shop.com/pub"}},
		{"ipv4 and ipv6", `"http://10.1.2.3:8080/x" "http://[2001:DB8::1]:9000/y" "https://[::1]/"`, false,
			[]string{"http://10.1.2.3:8080/x", "http://[2001:db8::1]:9000/y", "https://[::1]/"}},
		{"credentials dropped", `amqp://user:pa55@mq.shop.com/vhost`, false, []string{"amqp://mq.shop.com/vhost"}},
		{"json escaped", `{"u":"https:\/\/api.shop.com\/v1\/x"}`, false, []string{"https://api.shop.com/v1/x"}},
		{"custom scheme with host", `<data android:scheme="shopapp" /> open shopapp://product/42`, false, []string{"shopapp://product/{id}"}},
		{"local schemes are not endpoints", `file:///etc/hosts content://com.shop.provider/items android.resource://com.shop/raw/x jar:file:/a.jar!/x`, false, nil},
		{"templated host keeps the path", "`https://${HOST}/api/v1/users/${id}`", false, []string{"/api/v1/users/{id}"}},
		{"format host is dropped", `String.format("http://%s:%d/", host, port)`, false, nil},
		{"s3 forms", `s3://my-bucket/path/1 "my-bucket.s3.eu-west-1.amazonaws.com/k" https://s3.amazonaws.com/other-bucket/key`, false,
			[]string{"s3://my-bucket/path/{id}", "my-bucket.s3.eu-west-1.amazonaws.com/k", "https://s3.amazonaws.com/other-bucket/key"}},
		{"bare cloud host", `DB = "shop-prod.firebaseio.com"`, false, []string{"shop-prod.firebaseio.com"}},
		{"host contexts", "host: api.shop.com\nbaseUrl = \"api2.shop.com:8443\"\nb.setHost(\"files.shop.com\");\n<string name=\"api_endpoint\">edge.shop.com</string>\nserverName => '10.9.8.7'\n<domain includeSubdomains=\"true\">old.shop.com</domain>", false,
			[]string{"api.shop.com", "api2.shop.com:8443", "files.shop.com", "edge.shop.com", "10.9.8.7", "old.shop.com"}},
		{"not hosts", "host: config.json\nurl: com.shop.app\nghost: phantom.shop.com\nhostess: x.shop.com\nhost: localhost\nversion: 1.2.3", false, nil},
		{"json and properties", "{\"baseUrl\": \"api.shop.com\", \"apiHost\":\"[2001:db8::7]:8443\"}\nserver.host=db.shop.com # primary\nInetAddress.getByName(\"10.1.1.1\")", false,
			[]string{"api.shop.com", "[2001:db8::7]:8443", "db.shop.com", "10.1.1.1"}},
		{"code, not hosts", "\tHost: cm.targetAddr,\n\tu.Host = req.url.host;\nsetHost(conf.api.host)\n'host' => $cfg.host\nhost: \"api.shop.com", false, nil},
		{"api paths", `get("/api/v1/users/42?fields=name") post('/v2/orders') "/video/x" "/apiary" "/v1/has space"`, false,
			[]string{"/api/v1/users/{id}", "/v2/orders"}},
		{"route annotations", "@GET(\"users/{id}\")\n@POST(\"/api/v2/orders\")\n@GetMapping(\"/health\")\n@Deprecated(\"old\")\n@GET(\"https://api.shop.com/x\")", false,
			[]string{"/users/{id}", "/api/v2/orders", "/health", "https://api.shop.com/x"}},
		{"api paths in string tables", "/api/v3/items\nsome text /api/no\n/v1/ok", true, []string{"/api/v3/items", "/v1/ok"}},
		{"url in url query", `https://a.shop.com/r?next=http://b.shop.com/x`, false, []string{"https://a.shop.com/r"}},
		{"supabase.com is not supabase.co", `x.supabase.com.evil`, false, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := keysIn(c.text, c.lines)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestQueryNames(t *testing.T) {
	got := keysAndQuery(`"https://api.shop.com/search?q=shoes&page=2&q=x&api_key=abc&&=v&%s"`)
	want := "https://api.shop.com/search [api_key page q]"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func keysAndQuery(text string) string {
	data := []byte(text)
	var out []string
	for _, r := range find(data, lowerASCII(nil, data), false) {
		if p, ok := parseRaw(r); ok {
			out = append(out, p.key()+" ["+strings.Join(p.query, " ")+"]")
		}
	}
	return strings.Join(out, "; ")
}

func TestTemplatePath(t *testing.T) {
	for in, want := range map[string]string{
		"":                               "",
		"/":                              "/",
		"//a//b/":                        "/a/b",
		"/users/<name>/x":                "/users/{id}/x",
		"/files/%2Fetc%2f":               "/files/%2Fetc%2f",
		"/a/-12/b/#{x}":                  "/a/{id}/b/{id}",
		"/deadbeefcafebabe":              "/deadbeefcafebabe",
		"/deadbeefcafebabe1":             "/{id}",
		"/v1/items/:id.json":             "/v1/items/:id.json",
		"/v1/items/{id}.json":            "/v1/items/{id}.json",
		"/x/" + strings.Repeat("s/", 40): "/x" + strings.Repeat("/s", maxSegments-1),
	} {
		if got := templatePath(in); got != want {
			t.Errorf("templatePath(%q) = %q, want %q", in, got, want)
		}
	}
}
