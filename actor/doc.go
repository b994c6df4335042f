// Package actor runs CZMQ-style actors: goroutines that own some state and
// talk to their parent only through a pipe of zmsg messages.
//
// An actor is the usual answer to "this socket (or this state) must belong
// to one goroutine": the actor's goroutine owns it, and everyone else sends
// the actor commands. The package follows CZMQ's zactor closely, so an
// actor written in C ports almost line by line, but the pipe is a Go
// in-process queue rather than a pair of libzmq sockets, and the actor's
// life is bound to a context.Context.
//
// # Starting
//
// [New] starts a [Func] in a new goroutine and waits until the function
// signals that it is ready with pipe.Signal(0). A typical actor:
//
//	func echo(ctx context.Context, pipe *actor.Pipe) error {
//		pipe.Signal(0) // ready: New returns
//		for {
//			msg, err := pipe.RecvMsg()
//			if err != nil {
//				return err // the context ended
//			}
//			cmd, _ := msg.PopString()
//			switch cmd {
//			case actor.Term:
//				return nil
//			case "ECHO":
//				if err := pipe.SendMsg(msg); err != nil {
//					return err
//				}
//			}
//		}
//	}
//
//	a, err := actor.New(ctx, echo, actor.WithName("echo"))
//	...
//	defer a.Close()
//	a.SendStrings("ECHO", "hello")
//	reply, err := a.RecvString()
//
// If the function fails before it is ready, New returns its error and no
// actor. Options set the name used in errors and logs ([WithName]), a
// logger ([WithLogger]), the pipe's high-water mark ([WithHWM]) and the
// grace period of Close ([WithGrace]).
//
// # The pipe
//
// Both ends of the pipe are [*Pipe] values: the parent's end is embedded in
// [Actor], the actor's end is the function's argument. The methods have
// the names of zsock.Socket's, so code written for sockets works on pipes:
// SendMsg/RecvMsg move whole messages, SendString/SendStrings and
// RecvString/RecvStrings are zstr's helpers, SendPicture/RecvPicture and
// BSend/BRecv use CZMQ's text and binary pictures, and Signal/WaitSignal
// carry signals. Errors match zsock's sentinels: zsock.ErrClosed (and so
// net.ErrClosed) when an end is closed, zsock.ErrWouldBlock from
// TryRecvMsg and TrySendMsg, zsock.ErrSignal from RecvPicture.
//
// Messages are moved, not copied: after a successful send the message
// belongs to the receiver. Each direction queues up to the high-water mark
// (1000 messages by default, as in CZMQ); a blocking send waits for room.
// The queues grow and shrink with use and no goroutine or timer serves
// them, so an idle actor costs little more than its goroutine's stack.
//
// Blocking calls without a context are bounded by the actor's context on
// the actor's end, and not at all on the parent's end, since the parent
// can always end the actor. The Context variants take an explicit bound.
// [Pipe.Watch] and [Pipe.Readable] let an event loop wait on a pipe
// together with sockets and timers without a goroutine per pipe.
//
// # Ending
//
// An actor ends when its function returns. That happens when it receives
// [Term] (which [Actor.Close] sends), when its context is cancelled (by
// the parent's context or by Close after the grace period), or on its own
// initiative. When the function returns, its end of the pipe closes: the
// parent can still receive what the actor queued, and then gets
// zsock.ErrClosed.
//
// [Actor.Close] sends Term even when the pipe toward the actor is full,
// closes the parent's end so that an actor blocked sending to the parent
// fails at once, and waits for the function to return. After the grace
// period (5 seconds by default) it cancels the actor's context and keeps
// waiting; the actor's error then also matches [ErrKilled]. Close never
// returns while the actor's goroutine is still running, so an actor cannot
// outlive its Actor. [Actor.Shutdown] does the same but gives up waiting
// when its context ends.
//
// # Supervision
//
// [Actor.Done] is closed when the function has returned and [Actor.Err]
// then gives its error, so a parent can select on Done beside its other
// work and restart or report a failed actor. A panic in the function is
// recovered: it ends the actor with a [*PanicError] carrying the panic
// value and the stack, and never takes down the process. A function that
// calls runtime.Goexit ends with [ErrGoexit]. Life-cycle events (start,
// ready, end, panic, forced cancellation) go to the logger given with
// WithLogger; nothing is logged by default.
//
// # Differences from CZMQ
//
//   - The pipe is an in-process Go queue, not a PAIR socket pair over
//     inproc, so it cannot be passed to libzmq functions or zsock pollers;
//     use Watch and Readable (or the loop package) instead.
//   - When the function returns, CZMQ sends one more signal to the parent
//     and the parent's destroy waits for it. zkit sends no such message:
//     Done and Err report the end, and the parent's receives fail with
//     zsock.ErrClosed once the queue is drained.
//   - CZMQ's destroy returns without waiting when $TERM cannot be sent
//     because the pipe is full, leaving the thread running. Close always
//     delivers Term and always waits, cancelling the actor after the grace
//     period.
//   - A send toward an end that has closed fails with zsock.ErrClosed
//     instead of blocking or being silently queued.
//   - RecvString returns the first frame of the next message and drops the
//     others, because the pipe moves whole messages rather than frames.
//   - The actor's function receives a context and returns an error; a
//     panic becomes an error instead of aborting the process.
package actor
