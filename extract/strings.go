package extract

// minStringLen is the shortest run of printable characters kept when a
// binary file is reduced to its strings.
const minStringLen = 6

// printableStrings returns the runs of at least min printable ASCII
// characters in data, one a line, the way strings(1) does.
func printableStrings(data []byte, min int) []byte {
	out := make([]byte, 0, len(data)/4)
	start := -1
	for i, b := range data {
		if b >= 0x20 && b < 0x7f || b == '\t' {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start >= min {
			out = append(out, data[start:i]...)
			out = append(out, '\n')
		}
		start = -1
	}
	if start >= 0 && len(data)-start >= min {
		out = append(out, data[start:]...)
		out = append(out, '\n')
	}
	return out
}
