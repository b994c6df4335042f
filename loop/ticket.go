package loop

import (
	"fmt"
	"time"
)

// Ticket is a cheap one-shot timer that shares the loop's ticket delay
// with every other ticket (zloop_ticket). Because all tickets have the
// same delay, they stay sorted in a list, so creating, resetting and
// deleting one are O(1): the tool for expiring very many clients.
// Its methods belong to the loop goroutine.
type Ticket struct {
	loop       *Loop
	start      time.Time // last creation or reset; due at start + delay
	fn         func() error
	prev, next *Ticket
	live       bool // in the list
}

// ticketList is a circular doubly linked list with a sentinel, oldest
// first.
type ticketList struct {
	head  Ticket
	delay time.Duration
}

func (tl *ticketList) init() {
	tl.head.next, tl.head.prev = &tl.head, &tl.head
	tl.delay = time.Second
}

func (tl *ticketList) pushBack(t *Ticket) {
	t.prev, t.next = tl.head.prev, &tl.head
	tl.head.prev.next = t
	tl.head.prev = t
	t.live = true
}

func (tl *ticketList) unlink(t *Ticket) {
	t.prev.next, t.next.prev = t.next, t.prev
	t.prev, t.next = nil, nil
	t.live = false
}

func (tl *ticketList) front() *Ticket {
	if tl.head.next == &tl.head {
		return nil
	}
	return tl.head.next
}

// due returns when the oldest ticket expires.
func (tl *ticketList) due() (time.Time, bool) {
	t := tl.front()
	if t == nil {
		return time.Time{}, false
	}
	return t.start.Add(tl.delay), true
}

// SetTicketDelay sets the delay shared by all tickets (default 1s). Unlike
// CZMQ it may change while tickets exist: each ticket then expires the new
// delay after its last reset.
func (l *Loop) SetTicketDelay(d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("%w: ticket delay %v is not positive", ErrInvalid, d)
	}
	l.tickets.delay = d
	return nil
}

// TicketDelay returns the delay shared by all tickets.
func (l *Loop) TicketDelay() time.Duration { return l.tickets.delay }

// Ticket registers fn to run once, the ticket delay from now, unless the
// ticket is reset or deleted first. fn runs on the loop goroutine;
// returning an error stops the loop.
func (l *Loop) Ticket(fn func() error) (*Ticket, error) {
	if fn == nil {
		return nil, fmt.Errorf("%w: nil handler", ErrInvalid)
	}
	t := &Ticket{loop: l, start: time.Now(), fn: fn}
	l.tickets.pushBack(t)
	return t, nil
}

// Reset restarts the ticket's delay from now (zloop_ticket_reset), in O(1).
// Resetting a ticket that already ran or was deleted schedules it again.
func (t *Ticket) Reset() {
	if t.live {
		t.loop.tickets.unlink(t)
	}
	t.start = time.Now()
	t.loop.tickets.pushBack(t)
}

// Delete cancels the ticket (zloop_ticket_delete), in O(1). Deleting twice
// does nothing.
func (t *Ticket) Delete() {
	if t.live {
		t.loop.tickets.unlink(t)
	}
}

// runTickets runs, oldest first, every ticket expired at now.
func (l *Loop) runTickets(now time.Time) error {
	for {
		t := l.tickets.front()
		if t == nil || t.start.Add(l.tickets.delay).After(now) {
			return nil
		}
		l.tickets.unlink(t)
		if err := t.fn(); err != nil {
			return err
		}
	}
}
