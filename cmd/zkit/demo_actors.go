package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zkit-go/zkit/actor"
	"github.com/zkit-go/zkit/loop"
	"github.com/zkit-go/zkit/zmsg"
	"github.com/zkit-go/zkit/zsock"
)

// Timing of the actors section: alice beats every beatEvery, three times;
// bob forgets a peer silent for expireAfter.
const (
	beatEvery   = 40 * time.Millisecond
	beatCount   = 3
	expireAfter = 120 * time.Millisecond
)

// demoActors: two actors, each running a loop. alice's timer sends three
// heartbeats to bob over DEALER/ROUTER; bob keeps a ticket per peer, reset
// by each heartbeat, and reports to the parent through his pipe, including
// the expiry once alice falls silent.
func demoActors(ctx context.Context, zctx *zsock.Context, n *narrator) error {
	bob, err := actor.New(ctx, bobActor(zctx), actor.WithName("bob"))
	if err != nil {
		return err
	}
	defer bob.Close()
	endpoint, err := bob.RecvString()
	if err != nil {
		return err
	}
	n.say("The parent starts actor bob: a loop with a ROUTER on %s and one", endpoint)
	n.say("ticket per peer (expiry %v). bob reports through his pipe.", expireAfter)
	alice, err := actor.New(ctx, aliceActor(zctx, endpoint), actor.WithName("alice"))
	if err != nil {
		return err
	}
	defer alice.Close()
	n.say("Actor alice starts a loop whose timer sends %d heartbeats, one every %v.", beatCount, beatEvery)
	for {
		m, err := bob.RecvMsgContext(ctx)
		if err != nil {
			return err
		}
		n.show("bob", "reports", m)
		if cmd, _ := m.First(); cmd.Text() == "EXPIRED" {
			break
		}
	}
	n.say("alice's timer ran out, so bob's ticket for her expired. Closing both")
	n.say("actors sends each one $TERM and waits for it to end:")
	for _, a := range []*actor.Actor{alice, bob} {
		if err := a.Close(); err != nil {
			return err
		}
		n.say("  %-7s ended cleanly", a.Name())
	}
	return nil
}

// aliceActor sends beatCount heartbeats to endpoint from a loop timer.
func aliceActor(zctx *zsock.Context, endpoint string) actor.Func {
	return func(ctx context.Context, pipe *actor.Pipe) error {
		dealer, err := zsock.NewDealer(">"+endpoint, zsock.WithContext(zctx), zsock.WithIdentity("alice"))
		if err != nil {
			return err
		}
		defer dealer.Close()
		return serveActor(ctx, pipe, func(l *loop.Loop) error {
			beats := 0
			_, err := l.Timer(beatEvery, beatCount, func(loop.TimerID) error {
				beats++
				return dealer.SendStrings("HEARTBEAT", fmt.Sprint(beats))
			})
			return err
		})
	}
}

// bobActor serves a ROUTER, expiring silent peers with tickets.
func bobActor(zctx *zsock.Context) actor.Func {
	return func(ctx context.Context, pipe *actor.Pipe) error {
		router, err := zsock.NewRouter("@inproc://zkit-demo-bob", zsock.WithContext(zctx))
		if err != nil {
			return err
		}
		defer router.Close()
		return serveActor(ctx, pipe, func(l *loop.Loop) error {
			if err := l.SetTicketDelay(expireAfter); err != nil {
				return err
			}
			if _, err := l.OnMessage(router, bobHandler(l, pipe)); err != nil {
				return err
			}
			// Tell the parent where to find bob once he is ready.
			return l.Post(func() {
				if pipe.SendString(router.Endpoint()) != nil {
					l.Stop()
				}
			})
		})
	}
}

// bobHandler handles heartbeats: a ticket per peer, reset by each one.
func bobHandler(l *loop.Loop, pipe *actor.Pipe) func(*zmsg.Msg) error {
	peers := map[string]*loop.Ticket{}
	return func(m *zmsg.Msg) error {
		id, _ := m.PopString()
		cmd, _ := m.PopString()
		seq, _ := m.PopString()
		if cmd != "HEARTBEAT" {
			return nil
		}
		t := peers[id]
		if t == nil {
			var err error
			t, err = l.Ticket(func() error {
				delete(peers, id)
				return pipe.SendStrings("EXPIRED", id)
			})
			if err != nil {
				return err
			}
			peers[id] = t
			if err := pipe.SendStrings("JOINED", id); err != nil {
				return err
			}
		} else {
			t.Reset()
		}
		return pipe.SendStrings("HEARTBEAT", id, seq)
	}
}

// serveActor runs an actor's loop: setup registers the actor's sources,
// the pipe's $TERM ends the loop, and the parent learns that the actor is
// ready just before the loop starts.
func serveActor(ctx context.Context, pipe *actor.Pipe, setup func(*loop.Loop) error) error {
	l, err := loop.New()
	if err != nil {
		return err
	}
	defer l.Close()
	if err := setup(l); err != nil {
		return err
	}
	if _, err := l.OnMessage(pipe, terminate); err != nil {
		return err
	}
	if err := pipe.Signal(0); err != nil {
		return err
	}
	return l.Run(ctx)
}

// terminate ends an actor's loop on $TERM, as every CZMQ actor must.
func terminate(m *zmsg.Msg) error {
	if cmd, _ := m.First(); cmd.Text() == "$TERM" {
		return loop.ErrStop
	}
	return errors.New("unexpected command " + m.String())
}
