package zframe_test

import (
	"fmt"

	"github.com/zkit-go/zkit/zframe"
)

func ExampleFrame_String() {
	fmt.Println(zframe.FromString("hello"))
	fmt.Println(zframe.New([]byte{0, 1, 2, 0xFF, 'A'}))
	// Output:
	// [005] hello
	// [005] 000102FF41
}

func ExampleFrame_Meta() {
	f := zframe.FromString("payload").WithProps(map[string]string{
		zframe.PropSocketType: "DEALER",
		zframe.PropIdentity:   "worker-1",
	})
	typ, _ := f.Meta("socket-type")
	id, _ := f.Meta(zframe.PropRoutingID)
	_, ok := f.Meta(zframe.PropUserID)
	fmt.Println(typ, id, ok)
	// Output: DEALER worker-1 false
}

func ExampleFrame_WithMore() {
	f := zframe.FromString("part")
	g := f.WithMore(true)
	fmt.Println(f.More(), g.More(), f.Equal(g))
	// Output: false true true
}

func ExampleFrame_Clone() {
	buf := []byte("abc")
	shared := zframe.New(buf)
	owned := shared.Clone()
	buf[0] = 'X'
	fmt.Println(shared.Text(), owned.Text())
	// Output: Xbc abc
}

func ExampleFrame_Hex() {
	fmt.Println(zframe.New([]byte{0xDE, 0xAD, 0xBE, 0xEF}).Hex())
	// Output: DEADBEEF
}
