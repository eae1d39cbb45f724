package extract

// Placeholder until the DEX reader lands: scan the printable strings.
func (x *job) dex(sc scope, data []byte) {
	x.emitRendered(sc, "strings", printableStrings(data, minStringLen))
}
