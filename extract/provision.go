package extract

// Placeholder until the provisioning profile reader lands: scan the printable strings.
func (x *job) provision(sc scope, data []byte) {
	x.emitRendered(sc, "strings", printableStrings(data, minStringLen))
}
