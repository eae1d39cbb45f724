package extract

// Placeholder until the resources.arsc reader lands: scan the printable strings.
func (x *job) arsc(sc scope, data []byte) {
	x.emitRendered(sc, "strings", printableStrings(data, minStringLen))
}
