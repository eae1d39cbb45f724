//go:build ignore

// Generates the iOS fixtures in this directory. Run from the repository
// root with `go run testdata/ios/generate.go`. It needs openssl (to sign the
// provisioning profiles); the tests do not.
//
// The Mach-O files are written here section by section (Go cannot compile
// Objective-C or Swift), laid out as ld64 lays out an app's executable:
// __TEXT with __cstring, __objc_methname, __objc_classname, __ustring,
// __swift5_typeref and __swift5_reflstr, __DATA with __const, and a
// symbol table of imported symbols. The tests also cross-compile a real Go
// Mach-O (thin and fat) on the fly.
//
//	vulnerable.ipa   Payload/App.app as Xcode lays it out: a fat App (arm64,
//	                 x86_64) with an AWS key, a cleartext URL, AFNetworking's
//	                 TLS setters sent and Alamofire's DisabledTrustEvaluator
//	                 imported; AFNetworking and Alamofire frameworks; a binary
//	                 Info.plist with ATS off and weak exceptions; a binary
//	                 GoogleService-Info.plist; a development provisioning
//	                 profile (get-task-allow); binary Localizable.strings
//	clean.ipa        the same app done right: no ios-* rule fires
//	socketrocket.ipa a React Native app: SocketRocket's classes, selectors
//	                 and constants, a plain-JS main.jsbundle: nothing fires
//	*.macho          the binaries alone; encrypted.macho has cryptid 1 over
//	                 __TEXT and a string in unencrypted __DATA,__const
//	truncated.macho, fat-past-end.macho, huge-section.macho   hostile
//	cycle.bplist, laughs.bplist, huge-count.bplist            hostile
//	*.mobileprovision  profiles signed into CMS by a throwaway certificate
//	src/*-Info.plist   the Info.plist sources (binary in the IPAs)
package main

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"log"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"howett.net/plist"
)

const dir = "testdata/ios"

func main() {
	tmp, err := os.MkdirTemp("", "keyhole-ios")
	check(err)
	defer os.RemoveAll(tmp)
	signer := newSigner(tmp)

	vulnerableApp := fat(appBinary(cpuARM64, vulnerableSections(), vulnerableImports, nil), appBinary(cpuX8664, vulnerableSections(), vulnerableImports, nil))
	cleanApp := appBinary(cpuARM64, cleanSections(), []string{"_objc_msgSend", "_OBJC_CLASS_$_NSURLSession"}, nil)
	rnApp := appBinary(cpuARM64, socketRocketSections(), []string{"_objc_msgSend", "_kCFStreamSSLValidatesCertificateChain", "_kCFStreamSSLPeerName", "_SecTrustEvaluateWithError"}, nil)
	write("vulnerable.macho", vulnerableApp)
	write("clean.macho", cleanApp)
	write("socketrocket.macho", rnApp)

	encrypted := appBinary(cpuARM64, []section{
		{"__TEXT", "__cstring", cstrings("https://api.vulnerable-example.net/v2/orders", "AKIAQ4T5W2XNPL7RJ3VD")},
		{"__DATA", "__const", cstrings("unencrypted-marker: telemetry.vulnerable-example.net")},
	}, nil, &encryption{segment: "__TEXT"})
	write("encrypted.macho", encrypted)

	thin := appBinary(cpuARM64, vulnerableSections(), vulnerableImports, nil)
	write("truncated.macho", thin[:len(thin)/2])
	pastEnd := fat(thin, thin)
	binary.BigEndian.PutUint32(pastEnd[8+20+8:], uint32(len(pastEnd)+4096)) // second slice's offset
	write("fat-past-end.macho", pastEnd)
	huge := appBinary(cpuARM64, []section{{"__TEXT", "__cstring", cstrings("https://api.vulnerable-example.net/huge")}}, nil, nil)
	binary.LittleEndian.PutUint64(huge[32+72+32+8:], 1<<40) // the section's size
	write("huge-section.macho", huge)

	write("cycle.bplist", cyclePlist())
	write("laughs.bplist", laughsPlist(40))
	write("huge-count.bplist", hugeCountPlist())

	vulnerableInfo := binaryPlist(read("src/vulnerable-Info.plist"))
	cleanInfo := binaryPlist(read("src/clean-Info.plist"))
	rnInfo := binaryPlist(read("src/reactnative-Info.plist"))
	write("vulnerable-Info.bplist", vulnerableInfo)

	devProfile := signer.sign(profile(true, "ABCDE12345", "Vulnerable Example Development", signer.certDER))
	distProfile := signer.sign(profile(false, "FGHIJ67890", "Clean Example App Store", signer.certDER))
	write("development.mobileprovision", devProfile)
	write("distribution.mobileprovision", distProfile)

	googleService := marshal(map[string]any{
		"API_KEY":        "AIzaSyC4mQ8vT2nX7pL1wR9kJ5hF3dB6gZ0yE8s",
		"GCM_SENDER_ID":  "412983746510",
		"BUNDLE_ID":      "com.example.vulnerable",
		"PROJECT_ID":     "vulnerable-example",
		"STORAGE_BUCKET": "vulnerable-example.appspot.com",
		"IS_ADS_ENABLED": false,
		"GOOGLE_APP_ID":  "1:412983746510:ios:5e7a3c9b1d2f4a6e",
	}, plist.BinaryFormat)
	strings := marshal(map[string]string{
		"login.error":   "Contraseña incorrecta",
		"support.email": "soporte@vulnerable-example.net",
	}, plist.BinaryFormat)

	write("vulnerable.ipa", ipa("App", []file{
		{"App", vulnerableApp},
		{"Info.plist", vulnerableInfo},
		{"embedded.mobileprovision", devProfile},
		{"GoogleService-Info.plist", googleService},
		{"en.lproj/Localizable.strings", strings},
		{"Frameworks/AFNetworking.framework/AFNetworking", appBinary(cpuARM64, afNetworkingSections(), []string{"_SecTrustEvaluateWithError"}, nil)},
		{"Frameworks/Alamofire.framework/Alamofire", appBinary(cpuARM64, alamofireSections(), []string{"_SecTrustEvaluateWithError"}, nil)},
		{"_CodeSignature/CodeResources", marshal(map[string]any{"files": map[string][]byte{"Info.plist": bytes.Repeat([]byte{0xa5}, 20)}}, plist.XMLFormat)},
	}))
	write("clean.ipa", ipa("App", []file{
		{"App", cleanApp},
		{"Info.plist", cleanInfo},
		{"embedded.mobileprovision", distProfile},
		{"Frameworks/AFNetworking.framework/AFNetworking", appBinary(cpuARM64, afNetworkingSections(), []string{"_SecTrustEvaluateWithError"}, nil)},
	}))
	write("socketrocket.ipa", ipa("RNApp", []file{
		{"RNApp", rnApp},
		{"Info.plist", rnInfo},
		{"embedded.mobileprovision", distProfile},
		{"main.jsbundle", []byte("var __BUNDLE_START_TIME__=this.nativePerformanceNow?nativePerformanceNow():Date.now();\n" +
			"__d(function(g,r,i,a,m,e,d){var API='https://api.rnapp-example.com/v1';m.exports={API:API}},0,[]);\n")},
	}))
}

// Section contents.

var vulnerableImports = []string{
	"_objc_msgSend", "_OBJC_CLASS_$_AFSecurityPolicy", "_OBJC_CLASS_$_AFHTTPSessionManager",
	"_$s9Alamofire22DisabledTrustEvaluatorCACycfC", "_$s9Alamofire18ServerTrustManagerC9allHostsEvaluators",
}

func vulnerableSections() []section {
	return []section{
		{"__TEXT", "__cstring", cstrings(
			"https://api.vulnerable-example.net/v1",
			"http://telemetry.vulnerable-example.net/collect",
			"AKIAQ4T5W2XNPL7RJ3VD",
			"Authorization",
			"application/json",
		)},
		{"__TEXT", "__objc_classname", cstrings("AppDelegate", "APIClient", "SceneDelegate")},
		{"__TEXT", "__objc_methname", cstrings(
			"application:didFinishLaunchingWithOptions:",
			"policyWithPinningMode:",
			"setAllowInvalidCertificates:",
			"setValidatesDomainName:",
			"setSecurityPolicy:",
			"GET:parameters:headers:progress:success:failure:",
		)},
		{"__TEXT", "__ustring", utf16("Contraseña incorrecta")},
		{"__TEXT", "__swift5_typeref", cstrings("9Alamofire7SessionC", "9Alamofire22DisabledTrustEvaluatorC")},
		{"__TEXT", "__swift5_reflstr", cstrings("session", "baseURL", "trustManager")},
		{"__DATA", "__const", cstrings("vulnerable-example-build-142")},
	}
}

func cleanSections() []section {
	return []section{
		{"__TEXT", "__cstring", cstrings("https://api.clean-example.com/v2", "application/json")},
		{"__TEXT", "__objc_classname", cstrings("AppDelegate", "SceneDelegate")},
		{"__TEXT", "__objc_methname", cstrings("application:didFinishLaunchingWithOptions:", "dataTaskWithRequest:completionHandler:", "policyWithPinningMode:")},
		{"__TEXT", "__swift5_reflstr", cstrings("session", "baseURL")},
	}
}

// socketRocketSections is what SocketRocket brings into a React Native
// app's executable: its classes, its TLS options and its selectors.
func socketRocketSections() []section {
	return []section{
		{"__TEXT", "__cstring", cstrings(
			"SR_SSLPinnedCertificates",
			"kCFStreamSSLValidatesCertificateChain",
			"Invalid server certificate.",
			"https://api.rnapp-example.com/v1",
		)},
		{"__TEXT", "__objc_classname", cstrings("SRWebSocket", "SRSecurityPolicy", "SRPinningSecurityPolicy", "SRRunLoopThread", "RCTWebSocketModule", "AppDelegate")},
		{"__TEXT", "__objc_methname", cstrings(
			"policyWithCertificateChainValidationEnabled:",
			"initWithCertificateChainValidationEnabled:",
			"setAllowsUntrustedSSLCertificates:",
			"allowsUntrustedSSLCertificates",
			"SR_SSLPinnedCertificates",
			"updateSecurityOptionsInStream:",
		)},
	}
}

func afNetworkingSections() []section {
	return []section{
		{"__TEXT", "__cstring", cstrings("AFNetworkingErrorDomain", "Invalid Security Policy")},
		{"__TEXT", "__objc_classname", cstrings("AFSecurityPolicy", "AFHTTPSessionManager", "AFURLSessionManager")},
		{"__TEXT", "__objc_methname", cstrings("allowInvalidCertificates", "setAllowInvalidCertificates:", "validatesDomainName", "setValidatesDomainName:", "policyWithPinningMode:")},
	}
}

func alamofireSections() []section {
	return []section{
		{"__TEXT", "__const", cstrings("Alamofire", "DisabledTrustEvaluator", "DefaultTrustEvaluator", "PinnedCertificatesTrustEvaluator")},
		{"__TEXT", "__swift5_typeref", cstrings("9Alamofire22DisabledTrustEvaluatorC", "9Alamofire18ServerTrustManagerC")},
		{"__TEXT", "__swift5_reflstr", cstrings("evaluators", "allHostsMustBeEvaluated")},
	}
}

// Mach-O writing.

const (
	cpuARM64 = 0x0100000c
	cpuX8664 = 0x01000007
)

type section struct {
	seg, name string
	data      []byte
}

type encryption struct{ segment string }

// appBinary lays out a 64-bit little-endian MH_EXECUTE: header, one
// LC_SEGMENT_64 per segment, LC_SYMTAB, optionally LC_ENCRYPTION_INFO_64
// (cryptid 1 over a segment, whose bytes are then scrambled as FairPlay
// leaves them), then section contents, symbols and strings.
func appBinary(cpu uint32, sections []section, imports []string, enc *encryption) []byte {
	var segs []string
	bySeg := map[string][]int{}
	for i, s := range sections {
		if _, ok := bySeg[s.seg]; !ok {
			segs = append(segs, s.seg)
		}
		bySeg[s.seg] = append(bySeg[s.seg], i)
	}
	ncmds, cmdsize := len(segs)+1, 24
	for _, s := range segs {
		cmdsize += 72 + 80*len(bySeg[s])
	}
	if enc != nil {
		ncmds++
		cmdsize += 24
	}
	offsets := make([]int, len(sections))
	segRange := map[string][2]int{}
	at := align(32+cmdsize, 16)
	for _, seg := range segs {
		start := at
		for _, i := range bySeg[seg] {
			offsets[i] = at
			at = align(at+len(sections[i].data), 8)
		}
		segRange[seg] = [2]int{start, at}
	}
	symoff := at
	strtab := []byte{' ', 0}
	var syms []byte
	for _, name := range imports {
		sym := make([]byte, 16)
		binary.LittleEndian.PutUint32(sym, uint32(len(strtab)))
		sym[4] = 0x01 // N_UNDF | N_EXT
		syms = append(syms, sym...)
		strtab = append(append(strtab, name...), 0)
	}
	stroff := symoff + len(syms)

	le := binary.LittleEndian
	var out []byte
	u32 := func(v uint32) { out = le.AppendUint32(out, v) }
	u64 := func(v uint64) { out = le.AppendUint64(out, v) }
	name16 := func(s string) { b := make([]byte, 16); copy(b, s); out = append(out, b...) }
	subtype := uint32(0)
	if cpu == cpuX8664 {
		subtype = 3
	}
	u32(0xfeedfacf)
	u32(cpu)
	u32(subtype)
	u32(2) // MH_EXECUTE
	u32(uint32(ncmds))
	u32(uint32(cmdsize))
	u32(0x00200085) // NOUNDEFS | DYLDLINK | TWOLEVEL | PIE
	u32(0)
	const base = 0x100000000
	for _, seg := range segs {
		r := segRange[seg]
		u32(0x19)
		u32(uint32(72 + 80*len(bySeg[seg])))
		name16(seg)
		u64(base + uint64(r[0]))
		u64(uint64(r[1] - r[0]))
		u64(uint64(r[0]))
		u64(uint64(r[1] - r[0]))
		u32(5)
		u32(5)
		u32(uint32(len(bySeg[seg])))
		u32(0)
		for _, i := range bySeg[seg] {
			s := sections[i]
			name16(s.name)
			name16(s.seg)
			u64(base + uint64(offsets[i]))
			u64(uint64(len(s.data)))
			u32(uint32(offsets[i]))
			u32(0)
			u32(0)
			u32(0)
			flags := uint32(0)
			if s.name == "__cstring" || s.name == "__objc_methname" || s.name == "__objc_classname" {
				flags = 0x2 // S_CSTRING_LITERALS
			}
			u32(flags)
			u32(0)
			u32(0)
			u32(0)
		}
	}
	u32(0x2) // LC_SYMTAB
	u32(24)
	u32(uint32(symoff))
	u32(uint32(len(imports)))
	u32(uint32(stroff))
	u32(uint32(len(strtab)))
	if enc != nil {
		r := segRange[enc.segment]
		u32(0x2c) // LC_ENCRYPTION_INFO_64
		u32(24)
		u32(uint32(r[0]))
		u32(uint32(r[1] - r[0]))
		u32(1) // cryptid
		u32(0)
	}
	out = append(out, make([]byte, stroff+len(strtab)-len(out))...)
	for i, s := range sections {
		copy(out[offsets[i]:], s.data)
	}
	copy(out[symoff:], syms)
	copy(out[stroff:], strtab)
	if enc != nil {
		r := segRange[enc.segment]
		rand.New(rand.NewSource(1)).Read(out[r[0]:r[1]])
	}
	return out
}

// fat joins thin slices into a universal binary, each slice 4 KB aligned.
func fat(slices ...[]byte) []byte {
	be := binary.BigEndian
	out := be.AppendUint32(nil, 0xcafebabe)
	out = be.AppendUint32(out, uint32(len(slices)))
	at := align(8+20*len(slices), 4096)
	for _, s := range slices {
		out = be.AppendUint32(out, le32(s[4:]))
		out = be.AppendUint32(out, le32(s[8:]))
		out = be.AppendUint32(out, uint32(at))
		out = be.AppendUint32(out, uint32(len(s)))
		out = be.AppendUint32(out, 12)
		at = align(at+len(s), 4096)
	}
	for _, s := range slices {
		out = append(out, make([]byte, align(len(out), 4096)-len(out))...)
		out = append(out, s...)
	}
	return out
}

func le32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }

func align(n, a int) int { return (n + a - 1) / a * a }

func cstrings(s ...string) []byte {
	var out []byte
	for _, x := range s {
		out = append(append(out, x...), 0)
	}
	return out
}

func utf16(s string) []byte {
	var out []byte
	for _, r := range s {
		out = binary.LittleEndian.AppendUint16(out, uint16(r))
	}
	return append(out, 0, 0)
}

// Property lists.

func binaryPlist(xmlText []byte) []byte {
	var v any
	_, err := plist.Unmarshal(xmlText, &v)
	check(err)
	return marshal(v, plist.BinaryFormat)
}

func marshal(v any, format int) []byte {
	b, err := plist.Marshal(v, format)
	check(err)
	return b
}

// bplist assembles a binary plist from encoded objects (2-byte offsets
// and references).
func bplist(objects [][]byte, top int) []byte {
	out := []byte("bplist00")
	var offsets []byte
	for _, o := range objects {
		offsets = binary.BigEndian.AppendUint16(offsets, uint16(len(out)))
		out = append(out, o...)
	}
	table := len(out)
	out = append(out, offsets...)
	out = append(out, 0, 0, 0, 0, 0, 0, 2, 2)
	out = binary.BigEndian.AppendUint64(out, uint64(len(objects)))
	out = binary.BigEndian.AppendUint64(out, uint64(top))
	return binary.BigEndian.AppendUint64(out, uint64(table))
}

// cyclePlist is an array that contains itself through a dictionary.
func cyclePlist() []byte {
	return bplist([][]byte{
		{0xA1, 0, 1},       // array [dict]
		{0xD1, 0, 2, 0, 0}, // dict {"loop": array}
		{0x54, 'l', 'o', 'o', 'p'},
	}, 0)
}

// laughsPlist nests n arrays, each holding the next one twice: 2^n
// elements when expanded, a few hundred bytes on disk.
func laughsPlist(n int) []byte {
	var objects [][]byte
	for i := 0; i < n; i++ {
		objects = append(objects, []byte{0xA2, 0, byte(i + 1), 0, byte(i + 1)})
	}
	objects = append(objects, append([]byte{0x5f, 0x10, 40}, bytes.Repeat([]byte("ha"), 20)...))
	return bplist(objects, 0)
}

// hugeCountPlist is an array that claims four billion elements.
func hugeCountPlist() []byte {
	return bplist([][]byte{{0xAF, 0x12, 0xff, 0xff, 0xff, 0xff, 0, 0}}, 0)
}

// Provisioning profiles.

func profile(development bool, team, name string, cert []byte) []byte {
	ent := map[string]any{
		"application-identifier":              team + ".com.example.app",
		"com.apple.developer.team-identifier": team,
		"get-task-allow":                      development,
		"keychain-access-groups":              []string{team + ".*"},
	}
	if development {
		ent["aps-environment"] = "development"
	}
	v := map[string]any{
		"AppIDName":             "Example App",
		"CreationDate":          time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		"ExpirationDate":        time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		"DeveloperCertificates": [][]byte{cert},
		"Entitlements":          ent,
		"Name":                  name,
		"Platform":              []string{"iOS"},
		"TeamIdentifier":        []string{team},
		"TeamName":              "Example Ltd",
		"TimeToLive":            365,
		"UUID":                  "9F1C2E3A-4B5D-6E7F-8091-A2B3C4D5E6F7",
		"Version":               1,
	}
	if development {
		v["ProvisionedDevices"] = []string{"00008101-000A1B2C3D4E5F6A"}
	}
	return marshal(v, plist.XMLFormat)
}

type signer struct {
	dir, cert, key string
	certDER        []byte
}

func newSigner(tmp string) *signer {
	s := &signer{dir: tmp, cert: filepath.Join(tmp, "cert.pem"), key: filepath.Join(tmp, "key.pem")}
	run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
		"-keyout", s.key, "-out", s.cert, "-days", "3650", "-subj", "/CN=keyhole throwaway test signer")
	der := filepath.Join(tmp, "cert.der")
	run("openssl", "x509", "-in", s.cert, "-outform", "DER", "-out", der)
	s.certDER = readFile(der)
	return s
}

func (s *signer) sign(content []byte) []byte {
	in, out := filepath.Join(s.dir, "profile.plist"), filepath.Join(s.dir, "profile.der")
	check(os.WriteFile(in, content, 0o644))
	run("openssl", "cms", "-sign", "-binary", "-nodetach", "-outform", "DER",
		"-in", in, "-signer", s.cert, "-inkey", s.key, "-out", out)
	return readFile(out)
}

// IPAs.

type file struct {
	name string
	data []byte
}

func ipa(app string, files []file) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, d := range []string{"Payload/", "Payload/" + app + ".app/"} {
		_, err := zw.Create(d)
		check(err)
	}
	for _, f := range files {
		h := &zip.FileHeader{Name: "Payload/" + app + ".app/" + f.name, Method: zip.Deflate}
		h.Modified = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		w, err := zw.CreateHeader(h)
		check(err)
		_, err = w.Write(f.data)
		check(err)
	}
	check(zw.Close())
	return buf.Bytes()
}

func run(name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Stderr = os.Stderr
	check(cmd.Run())
}

func read(name string) []byte { return readFile(filepath.Join(dir, name)) }

func readFile(path string) []byte {
	b, err := os.ReadFile(path)
	check(err)
	return b
}

func write(name string, data []byte) {
	check(os.WriteFile(filepath.Join(dir, name), data, 0o644))
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
