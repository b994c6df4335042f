package cert_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/zkit-go/zkit/cert"
)

func ExampleZ85Encode() {
	text, _ := cert.Z85Encode([]byte{0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B})
	fmt.Println(text)
	// Output: HelloWorld
}

func ExampleZ85Decode() {
	data, _ := cert.Z85Decode("HelloWorld")
	fmt.Printf("% X\n", data)
	_, err := cert.Z85Decode("Hello World")
	fmt.Println(err)
	// Output:
	// 86 4F D2 6F B5 59 F7 5B
	// cert: invalid Z85: 11 characters: length must be a multiple of 5
}

// A certificate saved and loaded back, in CZMQ's file layout.
func ExampleCert_Save() {
	dir, _ := os.MkdirTemp("", "cert-example-")
	defer os.RemoveAll(dir)

	// Fixed keys and time so that the output is always the same; real
	// code uses cert.New() and the current time.
	c, _ := cert.NewFromText("2CVWV6D&QXW]Ii55A)@qco1MAyn+7#3/w+9Xnrjk", "0rJua1Qkhq2)}4G4gS)W5Ft->6=4P585:Cl9uDpB")
	c.SetMeta("name", "printer-7")
	c.SetMeta("site", "Rotterdam")
	path := filepath.Join(dir, "printer-7")
	when := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	if err := c.Save(path, cert.WithTime(when)); err != nil {
		fmt.Println(err)
		return
	}
	public, _ := os.ReadFile(path)
	fmt.Print(string(public))

	loaded, _ := cert.Load(path) // reads printer-7_secret
	fmt.Println("loaded:", loaded.Equal(c), loaded.HasSecret())
	// Output:
	// #   ****  Generated on 2025-06-01 12:00:00 by CZMQ  ****
	// #   ZeroMQ CURVE Public Certificate
	// #   Exchange securely, or use a secure mechanism to verify the contents
	// #   of this file after exchange. Store public certificates in your home
	// #   directory, in the .curve subdirectory.
	//
	// metadata
	//     name = "printer-7"
	//     site = "Rotterdam"
	// curve
	//     public-key = "2CVWV6D&QXW]Ii55A)@qco1MAyn+7#3/w+9Xnrjk"
	// loaded: true true
}

func ExampleNewFromText() {
	// A peer's public key, as found in its public certificate.
	c, err := cert.NewFromText("2CVWV6D&QXW]Ii55A)@qco1MAyn+7#3/w+9Xnrjk", "")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.HasSecret(), len(c.PublicKey()))
	_, err = cert.NewFromText("2CVWV6D&QXW]Ii55A)@qco1MAyn+7#3/w+9Xnrj", "")
	fmt.Println(err)
	// Output:
	// false 32
	// cert: invalid argument: public key: cert: invalid Z85: a key is 40 characters, got 39
}

func ExampleParse() {
	c, err := cert.Parse([]byte(`
metadata
    name = "sensor-12"   # set by provisioning
curve
    public-key = "2CVWV6D&QXW]Ii55A)@qco1MAyn+7#3/w+9Xnrjk"
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	name, _ := c.Meta("name")
	fmt.Println(name, c.PublicText())

	_, err = cert.Parse([]byte("curve\n  public-key = \"x\"\n"))
	fmt.Println(err)
	// Output:
	// sensor-12 2CVWV6D&QXW]Ii55A)@qco1MAyn+7#3/w+9Xnrjk
	// cert: line 2: indented by 2 spaces; indent with 4 spaces per level
}

// A directory store, as an authenticator uses it: clients' public
// certificates in a directory, looked up by the key a client presents.
func ExampleNewStore() {
	dir, _ := os.MkdirTemp("", "cert-store-example-")
	defer os.RemoveAll(dir)

	alice, _ := cert.New()
	alice.SetMeta("name", "alice")
	alice.SavePublic(filepath.Join(dir, "alice.txt"))

	store, err := cert.NewStore(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	if c, err := store.Lookup(alice.PublicText()); err == nil {
		name, _ := c.Meta("name")
		fmt.Println("known:", name)
	}

	// A certificate added later is seen by the next lookup.
	bob, _ := cert.New()
	bob.SetMeta("name", "bob")
	bob.SavePublic(filepath.Join(dir, "bob.txt"))
	if c, err := store.Lookup(bob.PublicText()); err == nil {
		name, _ := c.Meta("name")
		fmt.Println("known:", name)
	}

	stranger, _ := cert.New()
	_, err = store.Lookup(stranger.PublicText())
	fmt.Println(err)
	// Output:
	// known: alice
	// known: bob
	// cert: certificate not found
}

func ExampleNewMemStore() {
	store := cert.NewMemStore()
	c, _ := cert.New()
	c.SetMeta("role", "admin")
	store.Insert(c)

	found, _ := store.Lookup(c.PublicText())
	role, _ := found.Meta("role")
	fmt.Println(role, found.HasSecret(), store.Len())
	// Output: admin false 1
}

// A store reports files it could not use, and still answers for the
// others.
func ExampleStoreError() {
	dir, _ := os.MkdirTemp("", "cert-store-example-")
	defer os.RemoveAll(dir)

	c, _ := cert.New()
	c.SavePublic(filepath.Join(dir, "alice"))
	c.SavePublic(filepath.Join(dir, "alice-copy")) // the same key again
	os.WriteFile(filepath.Join(dir, "README"), []byte("Client certificates.\n"), 0o644)

	store, err := cert.NewStore(dir)
	var se *cert.StoreError
	if errors.As(err, &se) {
		fmt.Println("problems:", len(se.Errs))
		fmt.Println("duplicate:", errors.Is(err, cert.ErrDuplicate))
		fmt.Println("not a certificate:", errors.Is(err, cert.ErrFormat))
	} else if err != nil {
		fmt.Println(err)
		return
	}
	_, err = store.Lookup(c.PublicText())
	fmt.Println("lookup:", err, store.Len())
	// Output:
	// problems: 2
	// duplicate: true
	// not a certificate: true
	// lookup: <nil> 1
}
