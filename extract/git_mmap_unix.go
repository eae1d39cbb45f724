//go:build unix

package extract

import (
	"os"

	"golang.org/x/sys/unix"
)

// mapFile maps a file read-only: pack files are read where they lie,
// without copying them into the heap. The file must not shrink while
// mapped (git replaces packs, it never truncates them).
func mapFile(path string) ([]byte, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if st.Size() == 0 {
		return nil, func() {}, nil
	}
	b, err := unix.Mmap(int(f.Fd()), 0, int(st.Size()), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return b, func() { unix.Munmap(b) }, nil
}

// releasePages gives back the pages of a mapped file: they are mapped
// again from the page cache when touched.
func releasePages(b []byte) {
	unix.Madvise(b, unix.MADV_DONTNEED)
}
