package extract

import "strings"

// Placeholder until the AAB protobuf reader lands: scan the printable strings.
func (x *job) aabProto(sc scope, data []byte) {
	x.emitRendered(sc, "strings", printableStrings(data, minStringLen))
}

func isAABProtoName(lowerName string) bool {
	// aapt2 writes XML (manifest, res/xml) and the resource table as
	// protobuf in bundles; a binary file with these names is one of them.
	return lowerName == "resources.pb" || strings.HasSuffix(lowerName, ".xml")
}
