package presence_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/zkit-go/zkit/loop"
	"github.com/zkit-go/zkit/presence"
	"github.com/zkit-go/zkit/zframe"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// FuzzObserve feeds Observe messages made of arbitrary frames, as peers
// may send anything: it must never panic, take only lone one-byte
// HEARTBEAT and GOODBYE bodies as presence traffic, and keep the table
// consistent with its events.
func FuzzObserve(f *testing.F) {
	f.Add([]byte("w1"), []byte("\x02"), []byte{}, uint8(0))
	f.Add([]byte("w1"), []byte("\x05"), []byte{}, uint8(1))
	f.Add([]byte{}, []byte("hello"), []byte("x"), uint8(2))
	f.Add([]byte("\x00\x01"), []byte("\x01"), []byte("\x05"), uint8(3))
	router, err := zsock.NewRouter("")
	if err != nil {
		f.Fatal(err)
	}
	defer router.Close()
	l, err := loop.New()
	if err != nil {
		f.Fatal(err)
	}
	defer l.Close()
	joins, leaves := 0, 0
	srv, err := presence.NewServer(context.Background(), l, router, presence.WithOnEvent(func(e presence.Event) error {
		switch e.Kind {
		case presence.Join:
			joins++
		case presence.Leave:
			leaves++
		}
		return nil
	}))
	if err != nil {
		f.Fatal(err)
	}
	defer srv.Close()
	f.Fuzz(func(t *testing.T, id, a, b []byte, shape uint8) {
		frames := []zframe.Frame{zframe.New(id).WithSource(int(shape) - 1)}
		switch shape % 3 {
		case 0:
			frames = append(frames, zframe.New(a))
		case 1:
			frames = append(frames, zframe.New(a), zframe.New(b))
		}
		for i := range len(frames) - 1 {
			frames[i] = frames[i].WithMore(true)
		}
		control := srv.Observe(zmsg.New(frames...))
		want := len(frames) == 2 && (bytes.Equal(a, []byte{0x02}) || bytes.Equal(a, []byte{0x05}))
		if control != want {
			t.Fatalf("Observe(%q) = %v, want %v", frames, control, want)
		}
		if srv.Len() != joins-leaves || srv.Len() != len(srv.Peers()) {
			t.Fatalf("Len %d, Peers %d, joins %d, leaves %d", srv.Len(), len(srv.Peers()), joins, leaves)
		}
	})
}
