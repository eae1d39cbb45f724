package extract

import (
	"bytes"
	"slices"
	"strings"
)

// The shape analysis renders one line per method whose bytecode matters to
// TLS security, e.g.
//
//	Lcom/a/B;->checkServerTrusted([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V implements=X509TrustManager body=empty
//
// so that rules can see a trust-all TrustManager without a decompiler. It
// looks for a handful of framework types and members by name; a file that
// references none of them costs one pass over its id tables.

// dexWatchedTypes maps the framework types the analysis looks for to the
// short names lines use.
var dexWatchedTypes = map[string]string{
	"Ljavax/net/ssl/X509TrustManager;":                    "X509TrustManager",
	"Ljavax/net/ssl/X509ExtendedTrustManager;":            "X509ExtendedTrustManager",
	"Ljavax/net/ssl/HostnameVerifier;":                    "HostnameVerifier",
	"Landroid/webkit/WebViewClient;":                      "WebViewClient",
	"Landroid/webkit/SslErrorHandler;":                    "SslErrorHandler",
	"Landroid/content/pm/ApplicationInfo;":                "ApplicationInfo",
	"Lkotlin/jvm/internal/Intrinsics;":                    "Intrinsics",
	"Lorg/apache/http/conn/ssl/SSLSocketFactory;":         "SSLSocketFactory",
	"Lorg/apache/http/conn/ssl/AllowAllHostnameVerifier;": "AllowAllHostnameVerifier",
	"Lorg/apache/http/conn/ssl/NoopHostnameVerifier;":     "NoopHostnameVerifier",
	"Landroid/net/SSLCertificateSocketFactory;":           "SSLCertificateSocketFactory",
}

// dexWatchedNames are the member names the analysis looks for.
var dexWatchedNames = map[string]bool{
	"checkServerTrusted": true, "verify": true, "onReceivedSslError": true,
	"ALLOW_ALL_HOSTNAME_VERIFIER": true, "proceed": true, "cancel": true, "flags": true,
	"getInsecure": true,
}

// The prototypes that make a method of interest (checkServerTrusted also
// has X509ExtendedTrustManager's three-argument forms).
const (
	protoCheckServerTrusted = "([Ljava/security/cert/X509Certificate;Ljava/lang/String;"
	protoVerify             = "(Ljava/lang/String;Ljavax/net/ssl/SSLSession;)Z"
	protoSslError           = "(Landroid/webkit/WebView;Landroid/webkit/SslErrorHandler;Landroid/net/http/SslError;)V"
)

// dexRefs holds the watched strings, types, fields and methods of one file
// by index.
type dexRefs struct {
	strings map[uint32]string // string index -> watched name or descriptor
	types   map[uint32]string // type index -> short name
	fields  map[uint32]string // field index -> what reading it means
	methods map[uint32]string // method index -> what calling it means
	uses    bool              // a TLS-check-disabling member is referenced
}

// watchString notes string i if the analysis looks for it.
func (r *dexRefs) watchString(i uint32, s []byte) {
	if len(s) > 64 {
		return
	}
	if dexWatchedNames[string(s)] || dexWatchedTypes[string(s)] != "" {
		if r.strings == nil {
			r.strings = map[uint32]string{}
		}
		r.strings[i] = string(s)
	}
}

// resolve finds the watched types, then the fields and methods on them.
func (r *dexRefs) resolve(d *dexFile) {
	r.types, r.fields, r.methods = map[uint32]string{}, map[uint32]string{}, map[uint32]string{}
	if len(r.strings) == 0 {
		return
	}
	for i := range d.types.n {
		s, _ := d.u32(uint64(d.types.off) + 4*uint64(i))
		if short := dexWatchedTypes[r.strings[s]]; short != "" {
			r.types[i] = short
		}
	}
	if len(r.types) == 0 {
		return
	}
	for i := range d.fields.n {
		f, _ := d.member(d.fields, i)
		switch class, name := r.types[f.class], r.strings[f.name]; {
		case class == "SSLSocketFactory" && name == "ALLOW_ALL_HOSTNAME_VERIFIER":
			r.fields[i] = name
		case class == "AllowAllHostnameVerifier" || class == "NoopHostnameVerifier":
			r.fields[i] = class // e.g. NoopHostnameVerifier.INSTANCE
		case class == "ApplicationInfo" && name == "flags":
			r.fields[i] = "ApplicationInfo.flags"
		}
	}
	for i := range d.methods.n {
		m, _ := d.member(d.methods, i)
		switch class, name := r.types[m.class], r.strings[m.name]; {
		case class == "SslErrorHandler" && (name == "proceed" || name == "cancel"):
			r.methods[i] = "SslErrorHandler." + name
		case class == "AllowAllHostnameVerifier" || class == "NoopHostnameVerifier":
			r.methods[i] = class // a constructor call
		case class == "Intrinsics":
			r.methods[i] = class
		case class == "SSLCertificateSocketFactory" && name == "getInsecure":
			r.methods[i] = class + "." + name // a socket factory that checks nothing
			r.uses = true
		}
	}
	for _, v := range r.types {
		r.uses = r.uses || v == "AllowAllHostnameVerifier" || v == "NoopHostnameVerifier"
	}
	for _, v := range r.fields {
		r.uses = r.uses || v == "ALLOW_ALL_HOSTNAME_VERIFIER"
	}
}

// dexShape is what one method's code does that matters.
type dexShape struct {
	body  string   // empty, return-true, return-false or code
	uses  []string // TLS-check-disabling members it touches
	calls []string // SslErrorHandler methods it calls
	gated bool     // every proceed() sits behind a FLAG_DEBUGGABLE test
	// forward is the method whose result this one returns, when that is
	// all it does (a desugared lambda's body); forwards says there is one.
	forward  uint32
	forwards bool
}

// analyse walks a method's instructions once and fills a dexShape.
func (r *dexRefs) analyse(insns []uint16) (dexShape, bool) {
	var sh dexShape
	var core [][]uint16 // instructions besides Kotlin's parameter null checks
	flagsReg, maskReg := -1, -1
	type branch struct {
		pc, target int
		eqz        bool
	}
	var branches []branch
	var proceeds []int
	note := func(list *[]string, v string) {
		if !slices.Contains(*list, v) {
			*list = append(*list, v)
		}
	}
	ok := dalvikWalk(insns, func(pc int, in []uint16) {
		op := in[0] & 0xff
		var ref uint32
		if len(in) > 1 {
			ref = uint32(in[1])
		}
		kotlinCheck := false
		switch {
		case op == 0x22: // new-instance
			if t := r.types[ref]; t == "AllowAllHostnameVerifier" || t == "NoopHostnameVerifier" {
				note(&sh.uses, t)
			}
		case op == 0x62: // sget-object
			if f := r.fields[ref]; f != "" && f != "ApplicationInfo.flags" {
				note(&sh.uses, f)
			}
		case op == 0x52: // iget
			if r.fields[ref] == "ApplicationInfo.flags" {
				flagsReg = int(in[0] >> 8 & 0xf)
			}
		case op == 0xdd: // and-int/lit8 vAA, vBB, #CC
			if int(in[1]&0xff) == flagsReg && int8(in[1]>>8) == 2 {
				maskReg = int(in[0] >> 8)
			}
		case op == 0xd5: // and-int/lit16 vA, vB, #CCCC
			if int(in[0]>>12) == flagsReg && int16(in[1]) == 2 {
				maskReg = int(in[0] >> 8 & 0xf)
			}
		case op == 0x38 || op == 0x39: // if-eqz, if-nez
			if int(in[0]>>8) == maskReg {
				branches = append(branches, branch{pc, pc + int(int16(in[1])), op == 0x38})
			}
		case op >= 0x6e && op <= 0x72 || op >= 0x74 && op <= 0x78: // invoke-*
			switch m := r.methods[ref]; m {
			case "SslErrorHandler.proceed":
				proceeds = append(proceeds, pc)
				note(&sh.calls, m)
			case "SslErrorHandler.cancel":
				note(&sh.calls, m)
			case "AllowAllHostnameVerifier", "NoopHostnameVerifier", "SSLCertificateSocketFactory.getInsecure":
				note(&sh.uses, m)
			case "Intrinsics":
				kotlinCheck = op == 0x71 || op == 0x77
			}
		}
		if in[0] != 0 && op != 0x1a && op != 0x1b && !kotlinCheck && len(core) < 3 {
			core = append(core, in)
		}
	})
	sh.body = dexBody(core)
	sh.forward, sh.forwards = dexForward(core)
	sh.gated = len(proceeds) > 0
	for _, p := range proceeds {
		sh.gated = sh.gated && slices.ContainsFunc(branches, func(b branch) bool {
			// if-eqz skips the debug block, so proceed lies between the
			// test and its target; if-nez jumps to it.
			return b.eqz && b.pc < p && p < b.target || !b.eqz && b.pc < b.target && b.target <= p
		})
	}
	return sh, ok
}

// dexBody classifies a method by its instructions (nops, const-strings and
// Kotlin's parameter null checks left out).
func dexBody(core [][]uint16) string {
	switch {
	case len(core) == 1 && core[0][0] == 0x0e:
		return "empty"
	case len(core) == 2 && core[1][0]&0xff == 0x0f: // return vAA
		reg, lit := -1, -1
		switch c := core[0]; c[0] & 0xff {
		case 0x12: // const/4 vA, #B
			reg, lit = int(c[0]>>8&0xf), int(int16(c[0])>>12)
		case 0x13: // const/16 vAA, #BBBB
			reg, lit = int(c[0]>>8), int(int16(c[1]))
		}
		switch {
		case reg != int(core[1][0]>>8):
		case lit == 1:
			return "return-true"
		case lit == 0:
			return "return-false"
		}
	}
	return "code"
}

// dexForward recognises a method that returns another's result and does
// nothing else: invoke-*, move-result vA, return vA. D8 compiles Java and
// Kotlin lambdas to such a forwarder calling the lambda's body.
func dexForward(core [][]uint16) (uint32, bool) {
	if len(core) != 3 {
		return 0, false
	}
	op := core[0][0] & 0xff
	invoke := op >= 0x6e && op <= 0x72 || op >= 0x74 && op <= 0x78
	if !invoke || core[1][0]&0xff != 0x0a || core[2][0]&0xff != 0x0f || core[1][0]>>8 != core[2][0]>>8 {
		return 0, false
	}
	return uint32(core[0][1]), true
}

// dexClasses resolves classes to what they extend or implement.
type dexClasses struct {
	d     *dexFile
	refs  *dexRefs
	index map[uint32]uint32 // type index -> class_def index
	codes map[uint32]uint32 // method index -> code offset, built when needed
}

func newDexClasses(d *dexFile, refs *dexRefs) *dexClasses {
	c := &dexClasses{d: d, refs: refs, index: map[uint32]uint32{}}
	for i := range d.classDefs.n {
		cd, _ := d.classDef(i)
		if _, dup := c.index[cd.class]; !dup {
			c.index[cd.class] = i
		}
	}
	return c
}

// ancestors returns the short names of the watched types that class t
// extends or implements, following superclasses and interfaces defined in
// this file (a bounded number of them).
func (c *dexClasses) ancestors(t uint32) map[string]bool {
	found := map[string]bool{}
	seen := map[uint32]bool{}
	queue := []uint32{t}
	for len(queue) > 0 && len(seen) < 64 {
		t, queue = queue[0], queue[1:]
		if seen[t] {
			continue
		}
		seen[t] = true
		if short := c.refs.types[t]; short != "" {
			found[short] = true
		}
		i, ok := c.index[t]
		if !ok {
			continue
		}
		cd, _ := c.d.classDef(i)
		if cd.super != dexNoIndex {
			queue = append(queue, cd.super)
		}
		list, _ := c.d.typeList(cd.interfacesOff, 64)
		queue = append(queue, list...)
	}
	return found
}

// follow classifies the method a forwarder calls, if it is defined here.
func (c *dexClasses) follow(method uint32) (string, bool) {
	if c.codes == nil {
		c.codes = map[uint32]uint32{}
		for i := range c.d.classDefs.n {
			cd, _ := c.d.classDef(i)
			methods, _ := c.d.classMethods(cd.dataOff)
			for _, m := range methods {
				if m.code != 0 {
					c.codes[m.method] = m.code
				}
			}
		}
	}
	code, ok := c.codes[method]
	if !ok {
		return "", false
	}
	insns, ok := c.d.codeInsns(code)
	if !ok {
		return "", false
	}
	sh, _ := c.refs.analyse(insns)
	return sh.body, true
}

// methodName renders method i as "Lcom/a/B;->name".
func (c *dexClasses) methodName(i uint32) []byte {
	m, _ := c.d.member(c.d.methods, i)
	class, _ := c.d.typeName(m.class)
	name, _ := c.d.stringData(m.name)
	return appendMUTF8(append(appendMUTF8(nil, class), "->"...), name)
}

// line renders a method's shape line, or nil when nothing in it matters.
func (c *dexClasses) line(class uint32, name string, proto []byte, sh dexShape) []byte {
	var attrs []string
	kind := func() map[string]bool { return c.ancestors(class) }
	switch {
	case name == "checkServerTrusted" && bytes.HasPrefix(proto, []byte(protoCheckServerTrusted)) && bytes.HasSuffix(proto, []byte(")V")):
		a := kind()
		switch {
		case a["X509ExtendedTrustManager"]:
			attrs = append(attrs, "implements=X509ExtendedTrustManager")
		case a["X509TrustManager"]:
			attrs = append(attrs, "implements=X509TrustManager")
		}
		attrs = append(attrs, "body="+sh.body)
	case name == "verify" && string(proto) == protoVerify:
		if kind()["HostnameVerifier"] {
			attrs = append(attrs, "implements=HostnameVerifier")
		}
		body := sh.body
		if sh.forwards {
			if target, ok := c.follow(sh.forward); ok && target == "return-true" {
				body = "return-true via=" + string(c.methodName(sh.forward))
			}
		}
		attrs = append(attrs, "body="+body)
	case name == "onReceivedSslError" && string(proto) == protoSslError:
		if kind()["WebViewClient"] {
			attrs = append(attrs, "extends=WebViewClient")
		}
		if len(sh.calls) == 0 {
			attrs = append(attrs, "calls=none")
		} else {
			attrs = append(attrs, "calls="+joinComma(sh.calls))
		}
		if sh.gated {
			attrs = append(attrs, "gated=debuggable", "severity=low")
		}
	}
	if len(sh.uses) > 0 {
		attrs = append(attrs, "uses="+joinComma(sh.uses))
	}
	if len(attrs) == 0 {
		return nil
	}
	desc, _ := c.d.typeName(class)
	out := appendMUTF8(nil, desc)
	out = append(append(out, "->"...), name...)
	out = appendMUTF8(out, proto)
	for _, a := range attrs {
		out = append(append(out, ' '), a...)
	}
	return append(out, '\n')
}

func joinComma(list []string) string {
	slices.Sort(list)
	return strings.Join(list, ",")
}
