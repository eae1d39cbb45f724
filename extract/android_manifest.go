package extract

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Manifest facts. What an attribute says, the rendered XML already shows
// (android:debuggable="true" matches as it would in source). What only
// the whole manifest tells (a default, an absence) is appended after the
// XML as comment lines a rule can match, so that the rules stay regexes:
//
//	<!-- keyhole: allowBackup absent -->
//	<!-- keyhole: cleartext-default targetSdk=26 networkSecurityConfig=absent -->
//	<!-- keyhole: exported component=service name=com.x.Sync reason=intent-filter permission=none -->
//
// A fact is written only when it holds, one a line, "keyhole: " then a
// name then key=value words (targetSdk=absent when uses-sdk is missing):
//   - allowBackup absent: backups default to on.
//   - cleartext-default: targetSdk < 28, no network security config and
//     no usesCleartextTraffic (an explicit "true" shows in the XML itself).
//   - exported: a component exported without android:exported, so only
//     by default: an intent filter before targetSdk 31 (reason=intent-filter),
//     a provider before targetSdk 17 (reason=provider-default), with no
//     permission of its own or from <application>. Components exported
//     explicitly show as android:exported="true" in the XML. The launcher
//     activity (MAIN + LAUNCHER) is meant to be reachable and is skipped.
func appendManifestFacts(text []byte, manifest *xmlNode) []byte {
	var facts bytes.Buffer
	fact := func(format string, args ...any) {
		facts.WriteString("<!-- keyhole: ")
		fmt.Fprintf(&facts, format, args...)
		facts.WriteString(" -->\n")
	}
	target, targetText := targetSdk(manifest)
	pkg, _ := manifest.attr("package")
	for _, app := range manifest.elements("application") {
		if _, ok := app.attr("android:allowBackup"); !ok {
			fact("allowBackup absent")
		}
		_, nsc := app.attr("android:networkSecurityConfig")
		_, cleartext := app.attr("android:usesCleartextTraffic")
		if target < 28 && !nsc && !cleartext {
			fact("cleartext-default targetSdk=%s networkSecurityConfig=absent", targetText)
		}
		_, appPermission := app.attr("android:permission")
		for _, c := range app.children {
			if reason := implicitExport(c, target); reason != "" && !appPermission && !hasPermission(c) {
				fact("exported component=%s name=%s reason=%s permission=none",
					c.name, className(pkg, c), reason)
			}
		}
	}
	if facts.Len() == 0 {
		return text
	}
	return append(text, facts.Bytes()...)
}

// targetSdk returns the target SDK (absent means 1, as on a device).
func targetSdk(manifest *xmlNode) (int, string) {
	for _, u := range manifest.elements("uses-sdk") {
		for _, name := range []string{"android:targetSdkVersion", "android:minSdkVersion"} {
			if v, ok := u.attr(name); ok {
				if n, err := strconv.Atoi(v); err == nil {
					return n, v
				}
			}
		}
	}
	return 1, "absent"
}

// implicitExport says why a component without android:exported is exported
// by default, or "" when it is not (or is the launcher).
func implicitExport(c *xmlNode, target int) string {
	if _, explicit := c.attr("android:exported"); explicit {
		return ""
	}
	switch c.name {
	case "activity", "activity-alias", "service", "receiver":
		filters := c.elements("intent-filter")
		if len(filters) == 0 || target >= 31 || isLauncher(filters) {
			return ""
		}
		return "intent-filter"
	case "provider":
		if target < 17 {
			return "provider-default"
		}
	}
	return ""
}

func isLauncher(filters []*xmlNode) bool {
	for _, f := range filters {
		if hasNamed(f, "action", "android.intent.action.MAIN") && hasNamed(f, "category", "android.intent.category.LAUNCHER") {
			return true
		}
	}
	return false
}

func hasNamed(n *xmlNode, element, name string) bool {
	for _, e := range n.elements(element) {
		if v, _ := e.attr("android:name"); v == name {
			return true
		}
	}
	return false
}

// hasPermission says whether a component guards itself; a provider needs
// a permission for reads and writes alike.
func hasPermission(c *xmlNode) bool {
	if _, ok := c.attr("android:permission"); ok {
		return true
	}
	_, read := c.attr("android:readPermission")
	_, write := c.attr("android:writePermission")
	return read && write
}

// className is the component's full class name (".Main" is relative to
// the package); spaces would break the fact's words, so none survive.
func className(pkg string, c *xmlNode) string {
	name, _ := c.attr("android:name")
	if strings.HasPrefix(name, ".") {
		name = pkg + name
	}
	if name == "" {
		name = "unnamed"
	}
	return strings.Join(strings.Fields(name), "_")
}
