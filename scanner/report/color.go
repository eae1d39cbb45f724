package report

// palette colours text with plain ANSI escapes, or not at all.
type palette struct{ on bool }

const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiDim     = "\x1b[2m"
	ansiRed     = "\x1b[31m"
	ansiBoldRed = "\x1b[1;31m"
	ansiYellow  = "\x1b[33m"
	ansiCyan    = "\x1b[36m"
)

func (p palette) paint(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (p palette) bold(s string) string   { return p.paint(ansiBold, s) }
func (p palette) dim(s string) string    { return p.paint(ansiDim, s) }
func (p palette) yellow(s string) string { return p.paint(ansiYellow, s) }
func (p palette) red(s string) string    { return p.paint(ansiRed, s) }

// severity colours s (usually the severity name, padded) by sev.
func (p palette) severity(sev, s string) string {
	switch sev {
	case "critical":
		return p.paint(ansiBoldRed, s)
	case "high":
		return p.paint(ansiRed, s)
	case "medium":
		return p.paint(ansiYellow, s)
	case "low":
		return p.paint(ansiCyan, s)
	case "info":
		return p.paint(ansiDim, s)
	}
	return s
}
