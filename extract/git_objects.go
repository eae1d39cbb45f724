package extract

import (
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// blob reads up to max bytes of a blob and returns its full size.
func (r *gitRepo) blob(h plumbing.Hash, max int64) ([]byte, int64, error) {
	obj, err := r.storage.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, 0, objectError(h, err)
	}
	rd, err := obj.Reader()
	if err != nil {
		return nil, 0, fmt.Errorf("blob %s is unreadable: %v", h, err)
	}
	defer rd.Close()
	size := obj.Size()
	data, err := io.ReadAll(io.LimitReader(rd, min(size, max)))
	if err != nil {
		return nil, 0, fmt.Errorf("blob %s is corrupt: %v", h, err)
	}
	return data, size, nil
}

// message reads a commit's message.
func (r *gitRepo) message(h plumbing.Hash) ([]byte, error) {
	obj, err := r.storage.EncodedObject(plumbing.CommitObject, h)
	if err != nil {
		return nil, objectError(h, err)
	}
	c, err := object.DecodeCommit(r.storage, obj)
	if err != nil {
		return nil, fmt.Errorf("commit %s is corrupt: %v", h, err)
	}
	return []byte(c.Message), nil
}
