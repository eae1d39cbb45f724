package main

import (
	"archive/zip"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"log"
	"math/rand"
	"os"
	"strings"
	"unicode/utf16"

	"howett.net/plist"
)

// IPA mode: Payload/App.app as Xcode exports a development build of a
// Swift app with React Native screens. Every file is generated here, from
// one seed, except the provisioning profile (it must be CMS-signed, which
// testdata/ios/generate.go does with openssl). Sizes are shares of the
// target, chosen so that the payload is about twice the IPA, as an App
// Store app's install size is about twice its download; Assets.car,
// incompressible like the image catalogue it stands in for, takes
// whatever is left so the IPA comes out at the size asked.
//
// What is planted, one "rule path" line each, is printed on standard
// output, so that a scan's findings can be checked against it.

const appDir = "Payload/App.app/"

// frameworks are the embedded frameworks in order of inclusion; Alamofire
// is always there because the app's use of its DisabledTrustEvaluator is
// one of the planted findings.
var frameworks = []string{"AcmeKit", "Alamofire", "Kingfisher", "Lottie", "RealmSwift", "Sentry", "SnapKit",
	"FirebaseCore", "FirebaseMessaging", "GoogleUtilities", "StripeCore", "AmplitudeSwift"}

var languages = []string{"en", "de", "fr", "es", "it", "ja", "ko", "zh-Hans", "pt-BR", "ru", "nl", "sv"}

// finding is a planted finding: the rule that must report it, and where.
type finding struct{ rule, path string }

type ipaGen struct {
	rng     *rand.Rand
	zw      *zip.Writer
	written *counter
	files   []codeHash // what _CodeSignature/CodeResources seals
	planted []finding
	raw     int64 // uncompressed bytes
}

type codeHash struct {
	name       string
	sha1, sha2 []byte
}

type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func writeIPA(path, profilePath string, target int64) error {
	profile, err := os.ReadFile(profilePath)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	g := &ipaGen{rng: rand.New(rand.NewSource(1)), written: &counter{w: f}}
	g.zw = zip.NewWriter(g.written)
	for _, d := range []string{"Payload/", appDir} {
		if _, err := g.zw.Create(d); err != nil {
			return err
		}
	}
	share := func(permille int64) int { return int(max(target*permille/1000, 4<<10)) }

	awsKey := "AKIA" + g.token("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
	g.add("Info.plist", appInfo(), finding{"ios-ats-insecure-exception", appDir + "Info.plist"})
	g.add("PkgInfo", []byte("APPL????"))
	g.add("embedded.mobileprovision", profile, finding{"ios-get-task-allow", appDir + "embedded.mobileprovision"})
	g.add("GoogleService-Info.plist", g.googleService(), finding{"gcp-api-key", appDir + "GoogleService-Info.plist"})

	n := min(4+int(target/(10<<20)), len(frameworks))
	h := 0.0
	for i := range n {
		h += 1 / float64(i+1)
	}
	var links []string
	for i, name := range frameworks[:n] {
		links = append(links, "@rpath/"+name+".framework/"+name)
		dir := "Frameworks/" + name + ".framework/"
		// Harmonic shares: the app's own kit is largest, as in real apps.
		bin := g.binary(name, int(float64(target)*0.6/h/float64(i+1)), mhDylib, frameworkTypes(name), nil, nil)
		g.add(dir+name, bin)
		g.add(dir+"Info.plist", marshal(map[string]any{
			"CFBundleExecutable": name, "CFBundleIdentifier": "org.cocoapods." + name, "CFBundleName": name,
			"CFBundlePackageType": "FMWK", "CFBundleShortVersionString": "5.8.1", "CFBundleVersion": "1",
			"MinimumOSVersion": "13.0", "CFBundleSupportedPlatforms": []string{"iPhoneOS"},
		}, plist.BinaryFormat))
	}

	app := g.binary("App", share(800), mhExecute, []string{"AppDelegate", "SceneDelegate"},
		[]string{"http://legacy-api.acme-corp.io/v1/checkout/confirm", awsKey},
		append(links, "/System/Library/Frameworks/Foundation.framework/Foundation", "/usr/lib/libobjc.A.dylib", "/usr/lib/swift/libswiftCore.dylib"))
	g.add("App", app,
		finding{"aws-access-token", appDir + "App"},
		finding{"cleartext-endpoint", appDir + "App"},
		finding{"ios-tls-validation-disabled", appDir + "App"})

	slack := fmt.Sprintf("https://hooks.slack.com/services/T%s/B%s/%s", g.token(upperAlnum, 8), g.token(upperAlnum, 10), g.token(alnum, 24))
	for _, ext := range []struct {
		name, point string
		secrets     []string
	}{
		{"NotificationService", "com.apple.usernotifications.service", nil},
		{"ShareExtension", "com.apple.share-services", []string{slack}},
	} {
		dir := "PlugIns/" + ext.name + ".appex/"
		var p []finding
		if ext.secrets != nil {
			p = append(p, finding{"slack-webhook-url", appDir + dir + ext.name})
		}
		g.add(dir+ext.name, g.binary(ext.name, share(20), mhExecute, []string{ext.name + "ViewController"}, ext.secrets, links[:1]), p...)
		g.add(dir+"Info.plist", marshal(map[string]any{
			"CFBundleExecutable": ext.name, "CFBundleIdentifier": "io.acme-corp.shop." + ext.name, "CFBundlePackageType": "XPC!",
			"CFBundleShortVersionString": "4.12.0", "CFBundleVersion": "4120",
			"NSExtension": map[string]any{"NSExtensionPointIdentifier": ext.point, "NSExtensionPrincipalClass": "$(PRODUCT_MODULE_NAME)." + ext.name},
		}, plist.BinaryFormat))
	}

	stripe := "sk_live_" + g.token(alnum, 32)
	g.add("main.jsbundle", g.jsBundle(share(250), stripe), finding{"stripe-secret-key", appDir + "main.jsbundle"})
	for _, lang := range languages {
		g.add(lang+".lproj/Localizable.strings", g.localized(lang, share(3)))
	}
	for i := range max(target/(256<<10), 2) {
		g.add(fmt.Sprintf("Base.lproj/Main.storyboardc/%s-view-%d.nib", g.typeName(), i), g.nib())
	}

	// Assets.car fills up to the target, less what is still to come: its
	// own and the seal's headers, the seal (about 60 bytes a file,
	// deflated) and the central directory.
	if err := g.zw.Flush(); err != nil {
		return err
	}
	rest := int64(22 + 60*(len(g.files)+2))
	for _, h := range g.files {
		rest += 46 + int64(len(appDir+h.name))
	}
	for _, name := range []string{"Assets.car", "_CodeSignature/CodeResources"} {
		rest += 2 * (46 + int64(len(appDir+name)))
	}
	g.add("Assets.car", g.assets(int(max(target-g.written.n-rest, 64<<10))))
	g.add("_CodeSignature/CodeResources", g.codeResources())
	if err := g.zw.Close(); err != nil {
		return err
	}
	for _, p := range g.planted {
		fmt.Println(p.rule, p.path)
	}
	log.Printf("%s: %d bytes, %d files, %d bytes uncompressed", path, g.written.n, len(g.files)+1, g.raw)
	return nil
}

// add deflates one file into the bundle, as Xcode's export does, and
// records its hashes for the seal.
func (g *ipaGen) add(name string, data []byte, p ...finding) {
	w, err := g.zw.CreateHeader(&zip.FileHeader{Name: appDir + name, Method: zip.Deflate})
	if err == nil {
		_, err = w.Write(data)
	}
	if err != nil {
		log.Fatal(err)
	}
	s1, s2 := sha1.Sum(data), sha256.Sum256(data)
	g.files = append(g.files, codeHash{name, s1[:], s2[:]})
	g.planted = append(g.planted, p...)
	g.raw += int64(len(data))
}

const (
	alnum      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)

func (g *ipaGen) token(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.rng.Intn(len(alphabet))]
	}
	return string(b)
}

// Vocabulary of the generated strings: an e-commerce app's.
var (
	nouns    = strings.Fields("account order cart checkout profile session payment product catalog search feed message notification settings wallet coupon review address shipment subscription device media upload login onboarding favorite store receipt user inventory")
	verbs    = strings.Fields("fetch load update delete create refresh sync validate present dismiss handle configure observe register track")
	suffixes = strings.Fields("id token count url key name status type date state identifier value")
	// Every app sends these; they put "key" and "value" all over the
	// selector names.
	systemSelectors = strings.Fields("objectForKey: setObject:forKey: valueForKey: setValue:forKey: valueForKeyPath: " +
		"addObserver:forKeyPath:options:context: dataTaskWithRequest:completionHandler: initWithFrame: viewDidLoad " +
		"tableView:cellForRowAtIndexPath: tableView:numberOfRowsInSection: stringWithFormat: isEqualToString: " +
		"JSONObjectWithData:options:error: dataUsingEncoding: countByEnumeratingWithState:objects:count: dealloc description")
	headers = []string{"Authorization", "Bearer %@", "application/json", "X-Api-Key", "Content-Type", "access_token",
		"refresh_token", "password", "client_secret", "grant_type", "expires_in", "Accept-Language", "User-Agent"}
	words = map[string][]string{
		"en": strings.Fields("Your order could not be placed Try again later Add to cart Sign in Continue Payment failed"),
		"de": strings.Fields("Ihre Bestellung konnte nicht aufgegeben werden Später erneut versuchen Größe Zurück Weiter"),
		"fr": strings.Fields("Votre commande n'a pas pu être passée Réessayez plus tard Ajouter au panier Connexion"),
		"ja": strings.Fields("ご注文 を 確定 できません でした 後で もう一度 お試し ください カート に 追加"),
		"ru": strings.Fields("Не удалось оформить заказ Повторите попытку позже Добавить в корзину Войти"),
	}
)

func title(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func (g *ipaGen) pick(list []string) string { return list[g.rng.Intn(len(list))] }

func (g *ipaGen) typeName() string { return title(g.pick(nouns)) + title(g.pick(nouns)) }

// cstring is one literal as Swift and Objective-C code leaves them in
// __cstring: endpoints, keys, log and error formats, SQL, identifiers.
func (g *ipaGen) cstring() string {
	n, m := g.pick(nouns), g.pick(nouns)
	switch g.rng.Intn(10) {
	case 0:
		return fmt.Sprintf("https://api.acme-corp.io/v%d/%s/%s", 1+g.rng.Intn(3), n, m)
	case 1:
		return fmt.Sprintf("Failed to %s %s: %%@", g.pick(verbs), n)
	case 2:
		return n + "_" + g.pick(suffixes)
	case 3:
		return "io.acme-corp.shop." + n + "." + g.pick(suffixes)
	case 4:
		return title(n) + title(m) + "ViewController"
	case 5:
		return g.pick(headers)
	case 6:
		return fmt.Sprintf("SELECT %s_id, payload FROM %s WHERE updated_at > ? LIMIT %d", n, m, 10*g.rng.Intn(100))
	case 7:
		return n + "." + m + ".title"
	case 8:
		return fmt.Sprintf("<%%@: %%p; %s = %%@; %s = %%ld>", n, m)
	default:
		return fmt.Sprintf("Acme/%d.%d (iPhone; iOS %%@; Scale/%%0.2f) %s", 4+g.rng.Intn(3), g.rng.Intn(20), n)
	}
}

// strs joins NUL-terminated strings from gen up to size bytes, with the
// secrets in the middle, where a linker would leave them.
func strs(size int, gen func() string, secrets ...string) []byte {
	var out []byte
	for len(out) < size/2 {
		out = append(append(out, gen()...), 0)
	}
	out = append(out, cstrings(secrets...)...)
	for len(out) < size {
		out = append(append(out, gen()...), 0)
	}
	return out
}

// binary builds a Mach-O of about size bytes for module: sections in the
// proportions of a Swift app's (seven tenths machine code, an eighth
// strings and names, the rest data and symbols), with the secrets in
// __cstring and typeNames among its Swift type descriptors.
func (g *ipaGen) binary(module string, size int, filetype uint32, typeNames, secrets, dylibs []string) []byte {
	part := func(permille int) int { return size * permille / 1000 }
	mangle := func(parts ...string) string {
		var b strings.Builder
		for _, p := range parts {
			fmt.Fprintf(&b, "%d%s", len(p), p)
		}
		return b.String()
	}
	for range part(1) / 40 {
		typeNames = append(typeNames, g.typeName()+g.pick([]string{"ViewModel", "Service", "Store", "Cell", "Coordinator"}))
	}
	selector := func() string {
		n := title(g.pick(nouns))
		switch g.rng.Intn(5) {
		case 0:
			return g.pick(verbs) + n + "WithCompletion:"
		case 1:
			return "set" + n + ":"
		case 2:
			return "initWith" + n + ":" + g.pick(nouns) + ":"
		case 3:
			return g.pick(nouns) + "DidChange" + n + ":"
		default:
			return g.pick(systemSelectors)
		}
	}
	sections := []section{
		{"__TEXT", "__text", 0x80000400, code(g.rng, part(706))},
		{"__TEXT", "__stubs", 0x80000408, code(g.rng, part(10))},
		{"__TEXT", "__objc_methname", 0x2, strs(part(20), selector)},
		{"__TEXT", "__objc_classname", 0x2, strs(part(4), func() string { return "_TtC" + mangle(module, g.pick(typeNames)) })},
		{"__TEXT", "__objc_methtype", 0x2, strs(part(10), func() string {
			return g.pick([]string{"v24@0:8@16", "@16@0:8", "B24@0:8@16", "v32@0:8@16@?24", "q16@0:8"})
		})},
		{"__TEXT", "__cstring", 0x2, strs(part(70), g.cstring, secrets...)},
		{"__TEXT", "__const", 0, append(cstrings(typeNames...), pointers(g.rng, part(30))...)},
		{"__TEXT", "__swift5_typeref", 0, strs(part(10), func() string { return mangle(module, g.pick(typeNames)) + "C" })},
		{"__TEXT", "__swift5_reflstr", 0, strs(part(8), func() string { return g.pick(nouns) + title(g.pick(suffixes)) })},
		{"__TEXT", "__ustring", 0, utf16z(part(2), func() string { return g.phrase("de", 3) })},
		{"__TEXT", "__oslogstring", 0x2, strs(part(10), func() string {
			return fmt.Sprintf("%%{public}s: %s %s failed with %%ld: %%{private}@", g.pick(verbs), g.pick(nouns))
		})},
		{"__TEXT", "__unwind_info", 0, code(g.rng, part(20))},
		{"__DATA_CONST", "__const", 0, pointers(g.rng, part(60))},
		{"__DATA_CONST", "__objc_selrefs", 0x10000005, pointers(g.rng, part(10))},
		{"__DATA", "__data", 0, pointers(g.rng, part(30))},
	}
	m := &machO{filetype: filetype, dylibs: dylibs, sections: sections}
	imports := []string{"_objc_msgSend", "_objc_retain", "_objc_release", "_swift_allocObject", "_swift_release", "_swift_retain"}
	if module == "App" { // the planted TLS finding
		imports = append(imports, "_$s9Alamofire22DisabledTrustEvaluatorCACycfC", "_$s9Alamofire18ServerTrustManagerC9allHostsEvaluators")
	}
	for range max(part(1)/4, 1) {
		imports = append(imports, g.pick([]string{"_OBJC_CLASS_$_NS", "_OBJC_CLASS_$_UI", "_$s10Foundation"})+g.typeName()+g.pick([]string{"", "Manager", "Session", "V4dataAA4DataVvg"}))
	}
	m.imports = imports
	if filetype == mhDylib {
		m.id = "@rpath/" + module + ".framework/" + module
		for range part(1) / 2 {
			m.exports = append(m.exports, "_$s"+mangle(module, g.pick(typeNames), g.pick(verbs)+title(g.pick(nouns)))+"yyF")
		}
	}
	return m.bytes()
}

// frameworkTypes are a framework's own type names; Alamofire's include
// DisabledTrustEvaluator, which it defines and so is not flagged for.
func frameworkTypes(name string) []string {
	if name == "Alamofire" {
		return []string{"Session", "DisabledTrustEvaluator", "DefaultTrustEvaluator", "PinnedCertificatesTrustEvaluator", "ServerTrustManager"}
	}
	return []string{name + "Client"}
}

func cstrings(s ...string) []byte {
	var out []byte
	for _, x := range s {
		out = append(append(out, x...), 0)
	}
	return out
}

func utf16z(size int, gen func() string) []byte {
	var out []byte
	for len(out) < size {
		for _, u := range utf16.Encode([]rune(gen())) {
			out = binary.LittleEndian.AppendUint16(out, u)
		}
		out = append(out, 0, 0)
	}
	return out
}

func (g *ipaGen) phrase(lang string, n int) string {
	list := words[lang]
	if list == nil {
		list = words["en"]
	}
	w := make([]string, n)
	for i := range w {
		w[i] = g.pick(list)
	}
	return strings.Join(w, " ")
}

// jsBundle is a Metro production bundle: one minified __d() module a
// line, screens calling the API with tokens and password fields, as
// React Native apps are written; the planted key sits in a config module.
func (g *ipaGen) jsBundle(size int, stripe string) []byte {
	var b strings.Builder
	b.WriteString(`var __BUNDLE_START_TIME__=this.nativePerformanceNow?nativePerformanceNow():Date.now(),__DEV__=false,process=this.process||{};process.env=process.env||{};process.env.NODE_ENV=process.env.NODE_ENV||"production";` + "\n")
	// Minified names and style values vary from module to module, so the
	// bundle deflates about as a real one does, not ten to one.
	ident := func() string {
		const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"
		return string(letters[g.rng.Intn(len(letters))]) + string(alnum[g.rng.Intn(len(alnum))])
	}
	id := 0
	module := func() {
		n, m := g.pick(nouns), g.pick(nouns)
		t, o, u, l := ident(), ident(), ident(), ident()
		switch g.rng.Intn(4) {
		case 0:
			fmt.Fprintf(&b, `__d(function(g,r,i,a,m,e,d){"use strict";Object.defineProperty(e,"__esModule",{value:!0}),e.%s%s=function(%s){return fetch(r(d[0]).API+"/v%d/%s/"+%s.id,{method:"GET",headers:{Authorization:"Bearer "+%s.token,"Content-Type":"application/json"}}).then(function(%s){if(!%s.ok)throw new Error("%s request failed: "+%s.status);return %s.json()})}},%d,[%d]);`+"\n",
				g.pick(verbs), title(n), t, 1+g.rng.Intn(3), m, t, t, o, o, n, o, o, id, g.rng.Intn(id+1))
		case 1:
			fmt.Fprintf(&b, `__d(function(g,r,i,a,m,e,d){var %s=r(d[0]),%s=r(d[1]);m.exports=function(p){var %s=%s.useState(""),%s=%s[0],c=%s[1];return %s.createElement(%s.View,{key:"%s-"+p.id,style:p.style},%s.createElement(%s.TextInput,{secureTextEntry:!0,placeholder:"%s",value:%s,onChangeText:c,testID:"%s-password"}))}},%d,[%d,%d]);`+"\n",
				t, o, u, t, l, u, u, t, o, n, t, o, g.phrase("en", 2), l, m, id, g.rng.Intn(id+1), g.rng.Intn(id+1))
		case 2:
			fmt.Fprintf(&b, `__d(function(g,r,i,a,m,e,d){var %s=r(d[0]);m.exports=%s.StyleSheet.create({%s:{flex:%d,padding:%d,marginTop:%d,backgroundColor:"#%06x",borderRadius:%d},%s:{fontSize:%d,lineHeight:%d,color:"#%06x",fontWeight:"%d00"}})},%d,[%d]);`+"\n",
				t, t, n, g.rng.Intn(3), g.rng.Intn(32), g.rng.Intn(48), g.rng.Intn(1<<24), g.rng.Intn(16), m, 10+g.rng.Intn(20), 14+g.rng.Intn(20), g.rng.Intn(1<<24), 3+g.rng.Intn(6), id, g.rng.Intn(id+1))
		default:
			fmt.Fprintf(&b, `__d(function(g,r,i,a,m,e,d){m.exports={"%s.title":"%s","%s.error":"%s","%s.empty":"%s"}},%d,[]);`+"\n",
				n, g.phrase("en", 3), n, g.phrase("en", 5), m, g.phrase("en", 4), id)
		}
		id++
	}
	for b.Len() < size/2 {
		module()
	}
	fmt.Fprintf(&b, `__d(function(g,r,i,a,m,e,d){m.exports={API:"https://api.acme-corp.io",stripe:{live:"%s"},sentry:{environment:"production"}}},%d,[]);`+"\n", stripe, id)
	id++
	for b.Len() < size {
		module()
	}
	fmt.Fprintf(&b, "__r(%d);\n", id-1)
	return []byte(b.String())
}

// localized is a compiled Localizable.strings: a binary plist, as Xcode
// writes them by default.
func (g *ipaGen) localized(lang string, size int) []byte {
	m := map[string]string{}
	for n := 0; n < size; {
		k, v := fmt.Sprintf("%s.%s.%d", g.pick(nouns), g.pick(suffixes), g.rng.Intn(1000)), g.phrase(lang, 2+g.rng.Intn(8))
		m[k] = v
		n += len(k) + len(v)
	}
	return marshal(m, plist.BinaryFormat)
}

// nib is a compiled storyboard scene: an NSKeyedArchiver binary plist of
// views and their texts.
func (g *ipaGen) nib() []byte {
	objects := []any{"$null"}
	for range 40 {
		class := g.pick([]string{"UILabel", "UIButton", "UIImageView", "UIStackView", "UITextField"})
		objects = append(objects,
			map[string]any{"$class": plist.UID(len(objects) + 1), "UIText": plist.UID(len(objects) + 2), "UITag": g.rng.Intn(100)},
			map[string]any{"$classname": class, "$classes": []string{class, "UIView", "UIResponder", "NSObject"}},
			g.phrase("en", 3))
	}
	return marshal(map[string]any{"$version": 100000, "$archiver": "NSKeyedArchiver",
		"$top": map[string]any{"IB.objectdata": plist.UID(1)}, "$objects": objects}, plist.BinaryFormat)
}

// assets stands in for Assets.car: a BOM store of renditions, each a name
// and compressed image data.
func (g *ipaGen) assets(size int) []byte {
	out := make([]byte, 0, size)
	out = append(out, "BOMStore\x00\x00\x00\x01"...)
	for len(out) < size {
		name := make([]byte, 128)
		copy(name, fmt.Sprintf("icon_%s_%s@%dx.png", g.pick(nouns), g.pick(nouns), 2+g.rng.Intn(2)))
		out = append(append(out, "ISTC"...), name...)
		img := make([]byte, min(4<<10+g.rng.Intn(60<<10), max(size-len(out), 0)))
		g.rng.Read(img)
		out = append(out, img...)
	}
	return out
}

func appInfo() []byte {
	return marshal(map[string]any{
		"CFBundleDevelopmentRegion": "en", "CFBundleExecutable": "App", "CFBundleIdentifier": "io.acme-corp.shop",
		"CFBundleName": "Acme Shop", "CFBundleDisplayName": "Acme", "CFBundlePackageType": "APPL",
		"CFBundleShortVersionString": "4.12.0", "CFBundleVersion": "4120", "MinimumOSVersion": "15.0",
		"CFBundleSupportedPlatforms": []string{"iPhoneOS"}, "UIDeviceFamily": []int{1, 2},
		"CFBundleURLTypes":            []any{map[string]any{"CFBundleURLSchemes": []string{"acmeshop", "com.googleusercontent.apps.412983746510-acme"}}},
		"LSApplicationQueriesSchemes": []string{"instagram", "fb", "twitter"},
		"NSCameraUsageDescription":    "Scan a product's barcode",
		"UIBackgroundModes":           []string{"remote-notification", "fetch"},
		"UILaunchStoryboardName":      "LaunchScreen",
		"UIApplicationSceneManifest":  map[string]any{"UIApplicationSupportsMultipleScenes": false},
		// The one planted misconfiguration: cleartext allowed to one host.
		"NSAppTransportSecurity": map[string]any{"NSExceptionDomains": map[string]any{
			"legacy-api.acme-corp.io": map[string]any{"NSExceptionAllowsInsecureHTTPLoads": true, "NSIncludesSubdomains": true},
		}},
	}, plist.BinaryFormat)
}

// googleService is Firebase's config as its console hands it out: an XML
// plist with the project's API key.
func (g *ipaGen) googleService() []byte {
	return marshal(map[string]any{
		"API_KEY": "AIza" + g.token(alnum+"-_", 35), "GCM_SENDER_ID": "412983746510", "PLIST_VERSION": "1",
		"BUNDLE_ID": "io.acme-corp.shop", "PROJECT_ID": "acme-shop-prod", "STORAGE_BUCKET": "acme-shop-prod.appspot.com",
		"IS_ADS_ENABLED": false, "IS_ANALYTICS_ENABLED": false, "IS_APPINVITE_ENABLED": true, "IS_GCM_ENABLED": true,
		"IS_SIGNIN_ENABLED": true, "GOOGLE_APP_ID": "1:412983746510:ios:" + g.token("0123456789abcdef", 16),
	}, plist.XMLFormat)
}

// codeResources is the seal: every file's SHA-1 and SHA-256, base64 in
// an XML plist.
func (g *ipaGen) codeResources() []byte {
	files, files2 := map[string]any{}, map[string]any{}
	for _, h := range g.files {
		files[h.name] = h.sha1
		files2[h.name] = map[string]any{"hash": h.sha1, "hash2": h.sha2}
	}
	return marshal(map[string]any{"files": files, "files2": files2,
		"rules": map[string]any{"^.*": true, "^.*\\.lproj/": map[string]any{"optional": true, "weight": 1000.0}}}, plist.XMLFormat)
}

func marshal(v any, format int) []byte {
	b, err := plist.Marshal(v, format)
	if err != nil {
		log.Fatal(err)
	}
	return b
}
