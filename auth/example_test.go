package auth_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/zkit-go/zkit/auth"
	"github.com/zkit-go/zkit/cert"
	"github.com/zkit-go/zkit/zframe"
	"github.com/zkit-go/zkit/zsock"
)

// A CURVE server whose clients must be in a certificate store. The
// application sees who sent each message through the message properties.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	zctx, err := zsock.NewContext()
	if err != nil {
		log.Fatal(err)
	}
	defer zctx.Close()

	a, err := auth.New(ctx, zctx)
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()

	serverCert, _ := cert.New()
	clientCert, _ := cert.New()
	clientCert.SetMeta("name", "alice")
	store := cert.NewMemStore()
	store.Insert(clientCert.Public())
	if err := a.CurveStore(ctx, store); err != nil {
		log.Fatal(err)
	}

	server, err := zsock.NewPull("tcp://127.0.0.1:*", zsock.WithContext(zctx),
		zsock.WithCurveServer(serverCert.SecretText()),
		zsock.WithProperties(zframe.PropUserID, "name"))
	if err != nil {
		log.Fatal(err)
	}
	defer server.Close()
	client, err := zsock.NewPush(server.Endpoint(), zsock.WithContext(zctx),
		zsock.WithCurveClient(clientCert.PublicText(), clientCert.SecretText(), serverCert.PublicText()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()

	client.SendString("hello", 0)
	msg, err := server.RecvMsgContext(ctx)
	if err != nil {
		log.Fatal(err)
	}
	f, _ := msg.First()
	name, _ := f.Meta("name")
	userID, _ := f.Meta(zframe.PropUserID)
	fmt.Println(f.Text(), "from", name)
	fmt.Println("User-Id is the client key:", userID == clientCert.PublicText())
	// Output:
	// hello from alice
	// User-Id is the client key: true
}

// The CZMQ way: commands on the actor's pipe, each acknowledged with a
// signal (0 when it worked).
func Example_pipeCommands() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	zctx, _ := zsock.NewContext()
	defer zctx.Close()
	a, err := auth.New(ctx, zctx)
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()

	for _, cmd := range [][]string{
		{"ALLOW", "127.0.0.1"},
		{"CURVE", "*"},
		{"DOMAIN", "admin", "PLAIN", "/no/such/file"},
	} {
		a.SendStrings(cmd...)
		status, _ := a.WaitSignal(ctx)
		fmt.Println(strings.Join(cmd, " "), "->", status)
	}
	// Output:
	// ALLOW 127.0.0.1 -> 0
	// CURVE * -> 0
	// DOMAIN admin PLAIN /no/such/file -> 1
}

// A Checker decides from the application's own data. It runs on a worker
// goroutine, so a slow lookup delays no other handshake.
func ExampleCheckerFunc() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	zctx, _ := zsock.NewContext()
	defer zctx.Close()

	accounts := map[string]string{"bob": "s3cret"} // stands in for a database
	check := auth.CheckerFunc(func(ctx context.Context, req *auth.Request, proposed auth.Decision) auth.Decision {
		if req.Mechanism != auth.MechanismPlain {
			return proposed
		}
		if pw, ok := accounts[req.Username]; !ok || pw != req.Password {
			return auth.Decision{Status: auth.StatusDenied, Text: "bad credentials"}
		}
		return auth.Decision{Status: auth.StatusOK, UserID: "user:" + req.Username,
			Metadata: []cert.Meta{{Name: "plan", Value: "pro"}}}
	})
	events := make(chan auth.Event, 16)
	a, err := auth.New(ctx, zctx, auth.WithChecker(check), auth.WithEvents(events))
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()

	server, _ := zsock.NewPull("tcp://127.0.0.1:*", zsock.WithContext(zctx), zsock.WithPlainServer(),
		zsock.WithProperties(zframe.PropUserID, "plan"))
	defer server.Close()
	client, _ := zsock.NewPush(server.Endpoint(), zsock.WithContext(zctx), zsock.WithPlainClient("bob", "s3cret"))
	defer client.Close()
	client.SendString("hi", 0)
	msg, err := server.RecvMsgContext(ctx)
	if err != nil {
		log.Fatal(err)
	}
	f, _ := msg.First()
	uid, _ := f.Meta(zframe.PropUserID)
	plan, _ := f.Meta("plan")
	fmt.Println(uid, plan)
	ev := <-events
	fmt.Println(ev.Mechanism, ev.Client, ev.Status, ev.Checked)
	// Output:
	// user:bob pro
	// PLAIN bob 200 OK true
}
