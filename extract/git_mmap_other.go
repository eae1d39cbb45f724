//go:build !unix

package extract

import "os"

// mapFile reads a file whole where mapping is not available.
func mapFile(path string) ([]byte, func(), error) {
	b, err := os.ReadFile(path)
	return b, func() {}, err
}

func releasePages([]byte) {}
