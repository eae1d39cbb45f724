package extract

// Placeholder until the Android binary XML reader lands: scan the printable strings.
func (x *job) axml(sc scope, data []byte) {
	x.emitRendered(sc, "strings", printableStrings(data, minStringLen))
}
