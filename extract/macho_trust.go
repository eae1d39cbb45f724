package extract

import (
	"bytes"
	"strconv"
	"strings"
)

// TLS validation facts of a Mach-O binary, for rule ios-tls-validation-disabled:
//
//	tls-override api=Alamofire.DisabledTrustEvaluator evidence=import severity=high
//	tls-override api=AFSecurityPolicy.setAllowInvalidCertificates: evidence=selector severity=low
//
// A library that can turn validation off carries the means in its own
// binary whether or not any app uses them, so a name's mere presence
// proves nothing; what counts is a binary using the switch of a library
// that it does not itself contain:
//   - Alamofire's DisabledTrustEvaluator (DisabledEvaluator in 5.0) imported
//     by mangled symbol, or referenced by mangled type name, from a binary
//     that does not define the class (Alamofire.framework defines it, and
//     so does an app that links Alamofire statically: then the app's use
//     cannot be told from the library's presence, and nothing is said).
//     Instantiating the evaluator has one purpose, so severity is high.
//   - AFNetworking's setAllowInvalidCertificates: or setValidatesDomainName:
//     selector in a binary that does not define AFSecurityPolicy: the
//     app's code sends it, but the argument (YES or NO) is in machine code
//     and cannot be read, so severity is low: a lead to check, not proof.
//
// SocketRocket (in every React Native app) turns chain validation off for
// its own pinning through kCFStreamSSLValidatesCertificateChain and its
// SR_SSLPinnedCertificates option: neither is the app's choice, and
// neither yields a fact. Nor do URLSession delegates: one that accepts any
// server trust and one that pins look the same without reading the code.
func trustFacts(bin *machoBinary) []fact {
	var facts []fact
	for _, name := range []string{"DisabledTrustEvaluator", "DisabledEvaluator"} {
		if definesLine(bin.text, name) {
			continue
		}
		mangled := "9Alamofire" + strconv.Itoa(len(name)) + name + "C"
		evidence := ""
		for _, sym := range bin.imports {
			if strings.Contains(sym, mangled) {
				evidence = "import"
				break
			}
		}
		if evidence == "" && bytes.Contains(bin.text, []byte(mangled)) {
			evidence = "type-reference"
		}
		if evidence != "" {
			facts = append(facts, fact{text: "tls-override api=Alamofire." + name + " evidence=" + evidence + " severity=high"})
		}
	}
	if !bin.classes["AFSecurityPolicy"] {
		for _, sel := range []string{"setAllowInvalidCertificates:", "setValidatesDomainName:"} {
			if bin.selectors[sel] {
				facts = append(facts, fact{text: "tls-override api=AFSecurityPolicy." + sel + " evidence=selector severity=low"})
			}
		}
	}
	return facts
}

// definesLine says whether text has name alone on a line: the name of a
// type described by this binary's own metadata.
func definesLine(text []byte, name string) bool {
	return bytes.HasPrefix(text, []byte(name+"\n")) || bytes.Contains(text, []byte("\n"+name+"\n"))
}
