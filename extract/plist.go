package extract

import "bytes"

// Placeholder until the plist reader lands: XML as text, binary as strings.
func (x *job) plist(sc scope, data []byte) {
	if bytes.HasPrefix(data, []byte("bplist")) {
		x.emitRendered(sc, "strings", printableStrings(data, minStringLen))
		return
	}
	x.emitText(sc, data)
}
