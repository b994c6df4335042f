package main

import (
	"context"
	"errors"
	"time"

	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// helloInterval is how long the pubsub demo waits for each hello before
// publishing another.
const helloInterval = 20 * time.Millisecond

// demoPubSub: a subscriber with a topic prefix receives only matching
// messages, after the slow-joiner problem is dealt with.
func demoPubSub(ctx context.Context, zctx *zsock.Context, n *narrator) error {
	pub, err := zsock.NewPub("@tcp://127.0.0.1:*", zsock.WithContext(zctx))
	if err != nil {
		return err
	}
	defer pub.Close()
	const topic = "weather."
	sub, err := zsock.NewSub(">"+pub.Endpoint(), zsock.WithContext(zctx), zsock.WithSubscribe(topic))
	if err != nil {
		return err
	}
	defer sub.Close()
	n.say("PUB binds %s; SUB connects and subscribes to %q.", pub.Endpoint(), topic)
	n.say("PUB drops what it publishes before SUB's subscription reaches it (the")
	n.say("slow joiner), so it repeats a hello until SUB has received one.")

	hello := zmsg.FromStrings(topic + "hello")
	for {
		if err := pub.SendMsgContext(ctx, hello); err != nil {
			return err
		}
		wctx, cancel := context.WithTimeout(ctx, helloInterval)
		got, err := sub.RecvMsgContext(wctx)
		cancel()
		if err == nil {
			n.show("SUB", "receives", got)
			break
		}
		if ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
	}

	news := []*zmsg.Msg{
		zmsg.FromStrings(topic+"paris", "18C sunny"),
		zmsg.FromStrings("sports.final", "3-1"),
		zmsg.FromStrings(topic+"oslo", "-4C snow"),
		zmsg.FromStrings("news.tech", "zkit 0.1 released"),
		zmsg.FromStrings(topic+"end", "no more weather"),
	}
	n.say("The subscription is live. PUB publishes %d messages, topic frame first:", len(news))
	for _, m := range news {
		n.show("PUB", "sends", m)
		if err := pub.SendMsgContext(ctx, m); err != nil {
			return err
		}
	}
	n.say("SUB receives only the topics starting with %q:", topic)
	got := 0
	for {
		m, err := sub.RecvMsgContext(ctx)
		if err != nil {
			return err
		}
		first, _ := m.First()
		if first.EqualString(topic + "hello") {
			continue // a hello that was still on its way
		}
		n.show("SUB", "receives", m)
		got++
		if first.EqualString(topic + "end") {
			break
		}
	}
	n.say("SUB got %d of %d messages: sports.final and news.tech were filtered out.", got, len(news))
	return nil
}
