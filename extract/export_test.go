package extract

// SplitDiffTree makes history scans run diff-tree in runs of n commits;
// the returned function restores the default.
func SplitDiffTree(n int) (restore func()) {
	old := diffTreeRun
	diffTreeRun = n
	return func() { diffTreeRun = old }
}

// ReadPacks turns reading pack files directly on or off; the returned
// function restores the default.
func ReadPacks(on bool) (restore func()) {
	old := readPacks
	readPacks = on
	return func() { readPacks = old }
}

// KeepMessages sets how many bytes of messages a history walk keeps for
// the scan; the returned function restores the default.
func KeepMessages(n int) (restore func()) {
	old := keptMessagesBudget
	keptMessagesBudget = n
	return func() { keptMessagesBudget = old }
}
