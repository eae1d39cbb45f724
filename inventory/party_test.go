package inventory

import (
	"reflect"
	"testing"
)

func TestRegistrableDomain(t *testing.T) {
	for host, want := range map[string]string{
		"api.shopfast.com":         "shopfast.com",
		"shopfast.com":             "shopfast.com",
		"api.shopfast.co.uk":       "shopfast.co.uk",
		"co.uk":                    "",
		"shop-prod.firebaseio.com": "shop-prod.firebaseio.com",
		"b.s3.amazonaws.com":       "b.s3.amazonaws.com",
		"my-app.herokuapp.com":     "my-app.herokuapp.com",
		"10.1.2.3":                 "",
		"[2001:db8::1]":            "",
		"intranet":                 "",
		"x.y.shopfast.github.io":   "shopfast.github.io",
	} {
		if got := registrableDomain(host); got != want {
			t.Errorf("registrableDomain(%q) = %q, want %q", host, got, want)
		}
	}
}

func TestAppIDs(t *testing.T) {
	plist := []byte("<key>CFBundleIdentifier</key>\n\t<string>com.shopfast.ios</string>")
	for _, c := range []struct {
		path string
		data []byte
		want string
	}{
		{"AndroidManifest.xml", []byte(`<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.shopfast.app">`), "com.shopfast.app"},
		{"app/build.gradle.kts", []byte(`android { namespace = "com.shopfast.app" }`), "com.shopfast.app"},
		{"app/build.gradle", []byte(`defaultConfig { applicationId "uk.co.shopfast.app" }`), "uk.co.shopfast.app"},
		{"Payload/ShopFast.app/Info.plist", plist, "com.shopfast.ios"},
		{"Payload/ShopFast.app/Frameworks/Kit.framework/Info.plist", plist, ""},
		{"Pods/Kit/Info.plist", plist, ""},
		{"ShopFast.xcodeproj/project.pbxproj", []byte(`PRODUCT_BUNDLE_IDENTIFIER = "com.shopfast.ios";`), "com.shopfast.ios"},
		{"ShopFast.xcodeproj/project.pbxproj", []byte(`PRODUCT_BUNDLE_IDENTIFIER = $(BUNDLE_ID);`), ""},
		{"notes.txt", plist, ""},
	} {
		if got := appIDOf(c.path, c.data); got != c.want {
			t.Errorf("appIDOf(%q) = %q, want %q", c.path, got, c.want)
		}
	}
	for id, want := range map[string]string{"com.shopfast.app": "shopfast.com", "uk.co.shopfast.app": "shopfast.co.uk", "io.shopfast": "shopfast.io", "shopfast": ""} {
		if got := appDomain(id); got != want {
			t.Errorf("appDomain(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestFirstPartyFallback(t *testing.T) {
	eps := []*Endpoint{
		{Host: "api.acme-shop.com", Address: AddrPublic},
		{Host: "cdn.acme-shop.com", Address: AddrPublic},
		{Host: "api.segment.io", Address: AddrPublic, Service: "Segment"},
		{Host: "x.segment.io", Address: AddrPublic, Service: "Segment"},
		{Host: "10.0.0.1", Address: AddrPrivate},
		{Host: "one.other.net", Address: AddrPublic},
	}
	if got := inferFirstParty(nil, nil, eps); !reflect.DeepEqual(got, []string{"acme-shop.com"}) {
		t.Errorf("fallback first party %q, want the most common unnamed domain", got)
	}
	if got := inferFirstParty(nil, nil, eps[2:]); len(got) != 0 {
		t.Errorf("no domain seen twice, yet first party %q", got)
	}
	if got := inferFirstParty([]string{"com.shopfast.app"}, []string{"Shop.IO"}, eps); !reflect.DeepEqual(got, []string{"shop.io", "shopfast.com"}) {
		t.Errorf("app ids and given domains: %q", got)
	}
}
