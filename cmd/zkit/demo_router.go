package main

import (
	"context"

	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// demoRouter: two DEALERs with identities talk to a ROUTER, which sees
// who sent each message and addresses each reply.
func demoRouter(ctx context.Context, zctx *zsock.Context, n *narrator) error {
	router, err := zsock.NewRouter("@tcp://127.0.0.1:*", zsock.WithContext(zctx), zsock.WithRouterMandatory(true))
	if err != nil {
		return err
	}
	defer router.Close()
	names := []string{"alice", "bob"}
	dealers := make([]*zsock.Socket, 0, len(names))
	defer func() {
		for _, d := range dealers {
			d.Close()
		}
	}()
	for _, name := range names {
		d, err := zsock.NewDealer(">"+router.Endpoint(), zsock.WithContext(zctx), zsock.WithIdentity(name))
		if err != nil {
			return err
		}
		dealers = append(dealers, d)
	}
	n.say("ROUTER binds %s; DEALERs with identities %q and %q", router.Endpoint(), names[0], names[1])
	n.say("connect. ROUTER puts the sender's routing id in front of each message it")
	n.say("receives, and sends each reply to the peer its first frame names.")
	for i, d := range dealers {
		hello := zmsg.FromStrings("hello from " + names[i])
		n.show(names[i], "sends", hello)
		if err := d.SendMsgContext(ctx, hello); err != nil {
			return err
		}
		m, err := router.RecvMsgContext(ctx)
		if err != nil {
			return err
		}
		n.show("ROUTER", "receives", m)
		id, _ := m.First()
		reply := zmsg.New(id)
		reply.AppendString("hi " + id.Text())
		n.show("ROUTER", "replies", reply)
		if err := router.SendMsgContext(ctx, reply); err != nil {
			return err
		}
		if m, err = d.RecvMsgContext(ctx); err != nil {
			return err
		}
		n.show(names[i], "receives", m)
	}
	n.say("Each reply reached the dealer named by its routing id; the dealers never")
	n.say("see the id frame.")
	return nil
}
