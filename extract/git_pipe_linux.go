package extract

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// widenPipe gives a pipe from git 1 MiB of buffer rather than 64 KiB, so
// that git and the scan block on each other less often.
func widenPipe(r io.Reader) {
	f, ok := r.(*os.File)
	if !ok {
		return
	}
	if rc, err := f.SyscallConn(); err == nil {
		rc.Control(func(fd uintptr) { unix.FcntlInt(fd, unix.F_SETPIPE_SZ, 1<<20) })
	}
}
