package main

import (
	"context"
	"fmt"

	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// demoReqRep: a REQ client and a REP server take turns over inproc.
func demoReqRep(ctx context.Context, zctx *zsock.Context, n *narrator) error {
	const ep = "inproc://zkit-demo-reqrep"
	rep, err := zsock.NewRep("@"+ep, zsock.WithContext(zctx))
	if err != nil {
		return err
	}
	defer rep.Close()
	req, err := zsock.NewReq(">"+ep, zsock.WithContext(zctx))
	if err != nil {
		return err
	}
	defer req.Close()
	n.say("REP binds %s and REQ connects to it. REQ must get", ep)
	n.say("the reply to one request before it may send the next.")
	for i := 1; i <= 3; i++ {
		request := zmsg.FromStrings(fmt.Sprintf("ping %d", i))
		n.show("REQ", "sends", request)
		if err := req.SendMsgContext(ctx, request); err != nil {
			return err
		}
		got, err := rep.RecvMsgContext(ctx)
		if err != nil {
			return err
		}
		n.show("REP", "receives", got)
		reply := zmsg.FromStrings(fmt.Sprintf("pong %d", i))
		n.show("REP", "replies", reply)
		if err := rep.SendMsgContext(ctx, reply); err != nil {
			return err
		}
		if got, err = req.RecvMsgContext(ctx); err != nil {
			return err
		}
		n.show("REQ", "receives", got)
	}
	n.say("Three requests, three replies, strictly in turn.")
	return nil
}
