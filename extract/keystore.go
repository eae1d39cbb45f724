package extract

import "strings"

// Placeholder until keystores are reported as such: scan the printable strings.
func (x *job) keystore(sc scope, data []byte) {
	x.emitRendered(sc, "strings", printableStrings(data, minStringLen))
}

func isKeystoreName(lowerName string) bool {
	for _, ext := range []string{".jks", ".keystore", ".bks", ".p12", ".pfx"} {
		if strings.HasSuffix(lowerName, ext) {
			return true
		}
	}
	return false
}
