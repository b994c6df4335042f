package zmsg_test

import (
	"errors"
	"fmt"

	"github.com/zkit-go/zkit/zmsg"
)

func ExampleMsg_String() {
	m := zmsg.FromStrings("hello")
	m.AppendBytes([]byte{0, 1, 2, 0xFF, 'A'})
	fmt.Println(m)
	// Output:
	// --------------------------------------
	// [005] hello
	// [005] 000102FF41
}

func ExampleMsg_Pop() {
	m := zmsg.FromStrings("a", "b")
	m.PushString("envelope")
	for {
		s, ok := m.PopString()
		if !ok {
			break
		}
		fmt.Println(s)
	}
	// Output:
	// envelope
	// a
	// b
}

func ExampleMsg_Encode() {
	m := zmsg.FromStrings("hi", "")
	b := m.Encode()
	fmt.Printf("% x\n", b)
	back, err := zmsg.Decode(b)
	fmt.Println(back.Equal(m), err)
	// Output:
	// 02 68 69 00
	// true <nil>
}

func ExampleDecode_truncated() {
	_, err := zmsg.Decode([]byte{5, 'h', 'i'})
	fmt.Println(errors.Is(err, zmsg.ErrTruncated))
	fmt.Println(err)
	// Output:
	// true
	// zmsg: truncated encoding: frame 0 at offset 0: length 5 exceeds the 2 remaining bytes
}

func ExampleMsg_AddMsg() {
	outer := zmsg.FromStrings("envelope")
	outer.AddMsg(zmsg.FromStrings("inner", "parts"))
	outer.PopString()
	inner, err := outer.PopMsg()
	fmt.Println(inner.Len(), err)
	// Output: 2 <nil>
}

func ExampleNewSignal() {
	m := zmsg.NewSignal(0)
	fmt.Println(m)
	status, ok := m.Signal()
	fmt.Println(status, ok, zmsg.IsSignal(zmsg.FromStrings("READY")))
	// Output:
	// --------------------------------------
	// [008] 0011223344556677
	// 0 true false
}

func ExamplePack() {
	m, err := zmsg.Pack("si2h", "JOB", -7, 8080, map[string]string{"k": "v"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m)
	// Output:
	// --------------------------------------
	// [003] JOB
	// [002] -7
	// [004] 8080
	// [011] 00000001016B0000000176
}

func ExampleMsg_Unpack() {
	m := zmsg.FromStrings("JOB", "42")
	var (
		cmd  string
		n    int
		port uint16
	)
	// The message has no third frame, so port gets its zero value.
	err := m.Unpack("si2", &cmd, &n, &port)
	fmt.Println(cmd, n, port, err)

	// A nil pointer skips a frame.
	err = m.Unpack("si", nil, &n)
	fmt.Println(n, err)

	err = m.Unpack("ii", &n, &n)
	fmt.Println(errors.Is(err, zmsg.ErrMismatch))
	// Output:
	// JOB 42 0 <nil>
	// 42 <nil>
	// true
}

func ExampleBPack() {
	m, err := zmsg.BPack("1248s", 1, 2, 3, 4, "ab")
	if err != nil {
		fmt.Println(err)
		return
	}
	f, _ := m.First()
	fmt.Println(f.Hex())
	// Output: 010002000000030000000000000004026162
}

func ExampleMsg_BUnpack() {
	m, _ := zmsg.BPack("2sm", 443, "host", zmsg.FromStrings("body"))
	var (
		port uint16
		host string
		body *zmsg.Msg
	)
	err := m.BUnpack("2sm", &port, &host, &body)
	fmt.Println(port, host, body.Len(), err)
	// Output: 443 host 1 <nil>
}

func ExamplePack_errors() {
	_, err := zmsg.Pack("sx", "a", 1)
	fmt.Println(err)
	_, err = zmsg.Pack("s1", "a", 300)
	fmt.Println(errors.Is(err, zmsg.ErrArgument))
	fmt.Println(err)
	// Output:
	// zmsg: invalid picture: Pack "sx": position 1: unknown letter 'x'
	// true
	// zmsg: invalid argument: Pack "s1": position 1 ('1'): value 300 out of range for uint8
}
