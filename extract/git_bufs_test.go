package extract

import "testing"

// Every test of this package reads what it rebuilt only while it holds
// it: a read after the last release sees the poison.
func init() { poisonReleased = true }

func TestRecycledSizes(t *testing.T) {
	last := -1
	for n := minRecycled; n < 4<<20; n += 517 {
		size, class := recycledSize(n)
		if size < n || size > n+n/4 {
			t.Fatalf("%d bytes rounded to %d", n, size)
		}
		if again, c := recycledSize(size); again != size || c != class {
			t.Fatalf("%d bytes: size %d class %d, but that size is class %d", n, size, class, c)
		}
		if class < last || class >= len(pools) {
			t.Fatalf("%d bytes: class %d after %d", n, class, last)
		}
		last = class
	}
}

func TestSharedBytesHolders(t *testing.T) {
	s := newSharedBytes(minRecycled)
	copy(s.b, "kept")
	s.hold()
	s.release()
	if string(s.b[:4]) != "kept" {
		t.Fatalf("released while held: %q", s.b[:4])
	}
	s.release()
	if s.b[0] != 0xa5 {
		t.Fatal("the last release did not poison the buffer")
	}
	defer func() {
		if recover() == nil {
			t.Error("a release past the last did not panic")
		}
	}()
	s.release()
}
