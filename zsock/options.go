package zsock

import (
	"fmt"
	"log/slog"
	"time"
)

// Option configures a socket at creation, before it binds or connects.
// Options are applied in the order given; the first failure aborts the
// constructor, which then closes the socket.
type Option func(*config) error

// config collects options for newSocket.
type config struct {
	ctx  *Context              // nil: Default()
	log  *slog.Logger          // nil: the context's logger
	sets []func(*Socket) error // socket options, applied after creation
}

func socketOpt(f func(*Socket) error) Option {
	return func(c *config) error {
		c.sets = append(c.sets, f)
		return nil
	}
}

// WithContext creates the socket in c instead of the default context.
func WithContext(c *Context) Option {
	return func(cfg *config) error {
		if c == nil {
			return fmt.Errorf("%w: nil context", ErrOption)
		}
		cfg.ctx = c
		return nil
	}
}

// WithLogger sends the socket's diagnostics to l (default: the context's
// logger, which discards everything unless configured).
func WithLogger(l *slog.Logger) Option {
	return func(cfg *config) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrOption)
		}
		cfg.log = l
		return nil
	}
}

// WithSndHWM sets the send high-water mark in messages (default 1000; 0 means no limit).
func WithSndHWM(n int) Option { return socketOpt(func(s *Socket) error { return s.SetSndHWM(n) }) }

// WithRcvHWM sets the receive high-water mark in messages (default 1000).
func WithRcvHWM(n int) Option { return socketOpt(func(s *Socket) error { return s.SetRcvHWM(n) }) }

// WithLinger sets how long pending messages are kept after Close
// (zsock's default is 0; negative means forever). libzmq delivers them in
// the background; a program that must not lose them at exit should use its
// own Context and call Shutdown, which waits for the linger to run out.
func WithLinger(d time.Duration) Option {
	return socketOpt(func(s *Socket) error { return s.SetLinger(d) })
}

// WithIdentity sets the routing id that ROUTER peers see for this socket.
func WithIdentity(id string) Option {
	return socketOpt(func(s *Socket) error { return s.SetIdentity(id) })
}

// WithSubscribe subscribes a SUB socket to each prefix ("" is everything).
func WithSubscribe(prefixes ...string) Option {
	return socketOpt(func(s *Socket) error {
		for _, p := range prefixes {
			if err := s.Subscribe(p); err != nil {
				return err
			}
		}
		return nil
	})
}

// WithReconnectIvl sets the reconnect interval (libzmq default 100ms; negative disables reconnects).
func WithReconnectIvl(d time.Duration) Option {
	return socketOpt(func(s *Socket) error { return s.SetReconnectIvl(d) })
}

// WithReconnectIvlMax sets the upper bound of exponential reconnect backoff (0: no backoff).
func WithReconnectIvlMax(d time.Duration) Option {
	return socketOpt(func(s *Socket) error { return s.SetReconnectIvlMax(d) })
}

// WithSendTimeout bounds blocking sends (negative: wait forever, the default).
func WithSendTimeout(d time.Duration) Option {
	return socketOpt(func(s *Socket) error { return s.SetSendTimeout(d) })
}

// WithRecvTimeout bounds blocking receives (negative: wait forever, the default).
func WithRecvTimeout(d time.Duration) Option {
	return socketOpt(func(s *Socket) error { return s.SetRecvTimeout(d) })
}

// WithImmediate queues messages only to completed connections.
func WithImmediate(on bool) Option {
	return socketOpt(func(s *Socket) error { return s.SetImmediate(on) })
}

// WithRouterMandatory makes a ROUTER report ErrHostUnreachable for unknown peers instead of dropping.
func WithRouterMandatory(on bool) Option {
	return socketOpt(func(s *Socket) error { return s.SetRouterMandatory(on) })
}

// WithRouterHandover lets a new ROUTER peer take over an identity already in use.
func WithRouterHandover(on bool) Option {
	return socketOpt(func(s *Socket) error { return s.SetRouterHandover(on) })
}

// WithProbeRouter sends an empty message on connect so the ROUTER learns the peer.
func WithProbeRouter(on bool) Option {
	return socketOpt(func(s *Socket) error { return s.SetProbeRouter(on) })
}

// WithConflate keeps only the last message in the queues.
func WithConflate(on bool) Option {
	return socketOpt(func(s *Socket) error { return s.SetConflate(on) })
}

// WithXPubVerbose passes every subscription message to the XPUB application, not just new ones.
func WithXPubVerbose(on bool) Option {
	return socketOpt(func(s *Socket) error { return s.SetXPubVerbose(on) })
}

// WithXPubManual makes an XPUB's subscriptions take effect only when the application sends them.
func WithXPubManual(on bool) Option {
	return socketOpt(func(s *Socket) error { return s.SetXPubManual(on) })
}

// WithXPubWelcomeMsg makes an XPUB send msg to each new subscriber.
func WithXPubWelcomeMsg(msg string) Option {
	return socketOpt(func(s *Socket) error { return s.SetXPubWelcomeMsg(msg) })
}

// WithStreamNotify turns STREAM connect/disconnect notifications (empty frames) on or off.
func WithStreamNotify(on bool) Option {
	return socketOpt(func(s *Socket) error { return s.SetStreamNotify(on) })
}

// WithTCPKeepalive turns TCP keepalive on with the given idle time, probe interval and count
// (zero leaves an OS default).
func WithTCPKeepalive(idle, interval time.Duration, count int) Option {
	return socketOpt(func(s *Socket) error { return s.SetTCPKeepalive(true, idle, interval, count) })
}

// WithIPv6 enables IPv6 on the socket's tcp endpoints.
func WithIPv6(on bool) Option { return socketOpt(func(s *Socket) error { return s.SetIPv6(on) }) }

// WithMaxMsgSize drops peers that send messages larger than n bytes (-1: no limit).
func WithMaxMsgSize(n int64) Option {
	return socketOpt(func(s *Socket) error { return s.SetMaxMsgSize(n) })
}

// WithHeartbeat enables ZMTP 3.1 heartbeats: a PING every ivl, the peer told to
// drop the connection after ttl of silence, and the connection dropped when
// no traffic arrives within timeout (0 for ttl or timeout: libzmq defaults).
func WithHeartbeat(ivl, ttl, timeout time.Duration) Option {
	return socketOpt(func(s *Socket) error { return s.SetHeartbeat(ivl, ttl, timeout) })
}

// WithCurveServer makes the socket a CURVE server with the given secret key
// (32 bytes or 40 Z85 characters).
func WithCurveServer(secretKey string) Option {
	return socketOpt(func(s *Socket) error { return s.SetCurveServer(secretKey) })
}

// WithCurveClient makes the socket a CURVE client with its own key pair and
// the server's public key (each 32 bytes or 40 Z85 characters).
func WithCurveClient(publicKey, secretKey, serverKey string) Option {
	return socketOpt(func(s *Socket) error { return s.SetCurveClient(publicKey, secretKey, serverKey) })
}

// WithPlainServer makes the socket a PLAIN server (passwords checked by a ZAP handler).
func WithPlainServer() Option {
	return socketOpt(func(s *Socket) error { return s.SetPlainServer(true) })
}

// WithPlainClient makes the socket a PLAIN client with these credentials.
func WithPlainClient(user, password string) Option {
	return socketOpt(func(s *Socket) error { return s.SetPlainClient(user, password) })
}

// WithZapDomain sets the ZAP domain sent to the authentication handler.
func WithZapDomain(domain string) Option {
	return socketOpt(func(s *Socket) error { return s.SetZapDomain(domain) })
}

// WithProperties makes every receive fetch these message properties
// (zframe.PropUserID, zframe.PropPeerAddress, ...), readable on the
// frames with Meta. Each property costs a little per message, so none is
// fetched by default.
func WithProperties(names ...string) Option {
	return socketOpt(func(s *Socket) error { return s.SetProperties(names...) })
}

// check returns ErrClosed for a closed socket and wraps option errors.
func (s *Socket) setOpt(name string, f func() error) error {
	if s.closed {
		return ErrClosed
	}
	return wrapErr("setsockopt "+name, "", f())
}

func getOpt[T any](s *Socket, name string, f func() (T, error)) (T, error) {
	var zero T
	if s.closed {
		return zero, ErrClosed
	}
	v, err := f()
	if err != nil {
		return zero, wrapErr("getsockopt "+name, "", err)
	}
	return v, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SetSndHWM sets ZMQ_SNDHWM.
func (s *Socket) SetSndHWM(n int) error {
	return s.setOpt("ZMQ_SNDHWM", func() error { return s.zs.SetSndhwm(n) })
}

// SndHWM reads ZMQ_SNDHWM.
func (s *Socket) SndHWM() (int, error) { return getOpt(s, "ZMQ_SNDHWM", s.zs.GetSndhwm) }

// SetRcvHWM sets ZMQ_RCVHWM.
func (s *Socket) SetRcvHWM(n int) error {
	return s.setOpt("ZMQ_RCVHWM", func() error { return s.zs.SetRcvhwm(n) })
}

// RcvHWM reads ZMQ_RCVHWM.
func (s *Socket) RcvHWM() (int, error) { return getOpt(s, "ZMQ_RCVHWM", s.zs.GetRcvhwm) }

// SetLinger sets ZMQ_LINGER (negative: forever).
func (s *Socket) SetLinger(d time.Duration) error {
	if d < 0 {
		d = -1
	}
	return s.setOpt("ZMQ_LINGER", func() error { return s.zs.SetLinger(d) })
}

// Linger reads ZMQ_LINGER (-1ns: forever).
func (s *Socket) Linger() (time.Duration, error) { return getOpt(s, "ZMQ_LINGER", s.zs.GetLinger) }

// SetIdentity sets ZMQ_ROUTING_ID (ZMQ_IDENTITY): 1 to 255 bytes, not starting with a zero byte.
func (s *Socket) SetIdentity(id string) error {
	if len(id) == 0 || len(id) > 255 || id[0] == 0 {
		return fmt.Errorf("%w: identity must be 1-255 bytes not starting with 0x00", ErrOption)
	}
	return s.setOpt("ZMQ_ROUTING_ID", func() error { return s.zs.SetIdentity(id) })
}

// Identity reads ZMQ_ROUTING_ID.
func (s *Socket) Identity() (string, error) {
	return getOpt(s, "ZMQ_ROUTING_ID", s.zs.GetIdentity)
}

// Subscribe adds a SUB/XSUB subscription prefix ("" matches everything).
func (s *Socket) Subscribe(prefix string) error {
	return s.setOpt("ZMQ_SUBSCRIBE", func() error { return s.zs.SetSubscribe(prefix) })
}

// Unsubscribe removes a subscription prefix.
func (s *Socket) Unsubscribe(prefix string) error {
	return s.setOpt("ZMQ_UNSUBSCRIBE", func() error { return s.zs.SetUnsubscribe(prefix) })
}

// SetReconnectIvl sets ZMQ_RECONNECT_IVL (negative: never reconnect).
func (s *Socket) SetReconnectIvl(d time.Duration) error {
	if d < 0 {
		d = -1
	}
	return s.setOpt("ZMQ_RECONNECT_IVL", func() error { return s.zs.SetReconnectIvl(d) })
}

// ReconnectIvl reads ZMQ_RECONNECT_IVL.
func (s *Socket) ReconnectIvl() (time.Duration, error) {
	return getOpt(s, "ZMQ_RECONNECT_IVL", s.zs.GetReconnectIvl)
}

// SetReconnectIvlMax sets ZMQ_RECONNECT_IVL_MAX (0: no backoff).
func (s *Socket) SetReconnectIvlMax(d time.Duration) error {
	return s.setOpt("ZMQ_RECONNECT_IVL_MAX", func() error { return s.zs.SetReconnectIvlMax(d) })
}

// ReconnectIvlMax reads ZMQ_RECONNECT_IVL_MAX.
func (s *Socket) ReconnectIvlMax() (time.Duration, error) {
	return getOpt(s, "ZMQ_RECONNECT_IVL_MAX", s.zs.GetReconnectIvlMax)
}

// SetSendTimeout bounds blocking sends; negative waits forever.
func (s *Socket) SetSendTimeout(d time.Duration) error {
	if d < 0 {
		d = -1
	}
	if err := s.setOpt("ZMQ_SNDTIMEO", func() error { return s.zs.SetSndtimeo(d) }); err != nil {
		return err
	}
	s.sndTmo = d
	return nil
}

// SendTimeout returns the send timeout (negative: none).
func (s *Socket) SendTimeout() time.Duration { return s.sndTmo }

// SetRecvTimeout bounds blocking receives; negative waits forever.
func (s *Socket) SetRecvTimeout(d time.Duration) error {
	if d < 0 {
		d = -1
	}
	if err := s.setOpt("ZMQ_RCVTIMEO", func() error { return s.zs.SetRcvtimeo(d) }); err != nil {
		return err
	}
	s.rcvTmo = d
	return nil
}

// RecvTimeout returns the receive timeout (negative: none).
func (s *Socket) RecvTimeout() time.Duration { return s.rcvTmo }

// SetImmediate sets ZMQ_IMMEDIATE.
func (s *Socket) SetImmediate(on bool) error {
	return s.setOpt("ZMQ_IMMEDIATE", func() error { return s.zs.SetImmediate(on) })
}

// Immediate reads ZMQ_IMMEDIATE.
func (s *Socket) Immediate() (bool, error) { return getOpt(s, "ZMQ_IMMEDIATE", s.zs.GetImmediate) }

// SetRouterMandatory sets ZMQ_ROUTER_MANDATORY.
func (s *Socket) SetRouterMandatory(on bool) error {
	err := s.setOpt("ZMQ_ROUTER_MANDATORY", func() error { return s.zs.SetRouterMandatory(boolInt(on)) })
	if err == nil {
		s.mandatory = on
	}
	return err
}

// RouterMandatory reports the last ZMQ_ROUTER_MANDATORY set through this
// API (libzmq cannot be asked for it).
func (s *Socket) RouterMandatory() bool { return s.mandatory }

// SetRouterHandover sets ZMQ_ROUTER_HANDOVER.
func (s *Socket) SetRouterHandover(on bool) error {
	return s.setOpt("ZMQ_ROUTER_HANDOVER", func() error { return s.zs.SetRouterHandover(on) })
}

// SetProbeRouter sets ZMQ_PROBE_ROUTER.
func (s *Socket) SetProbeRouter(on bool) error {
	return s.setOpt("ZMQ_PROBE_ROUTER", func() error { return s.zs.SetProbeRouter(boolInt(on)) })
}

// SetConflate sets ZMQ_CONFLATE.
func (s *Socket) SetConflate(on bool) error {
	return s.setOpt("ZMQ_CONFLATE", func() error { return s.zs.SetConflate(on) })
}

// SetXPubVerbose sets ZMQ_XPUB_VERBOSE.
func (s *Socket) SetXPubVerbose(on bool) error {
	return s.setOpt("ZMQ_XPUB_VERBOSE", func() error { return s.zs.SetXpubVerbose(boolInt(on)) })
}

// SetXPubManual sets ZMQ_XPUB_MANUAL.
func (s *Socket) SetXPubManual(on bool) error {
	return s.setOpt("ZMQ_XPUB_MANUAL", func() error { return s.zs.SetXpubManual(boolInt(on)) })
}

// SetXPubWelcomeMsg sets ZMQ_XPUB_WELCOME_MSG.
func (s *Socket) SetXPubWelcomeMsg(msg string) error {
	return s.setOpt("ZMQ_XPUB_WELCOME_MSG", func() error { return s.zs.SetXpubWelcomeMsg(msg) })
}

// SetStreamNotify sets ZMQ_STREAM_NOTIFY.
func (s *Socket) SetStreamNotify(on bool) error {
	return s.setOpt("ZMQ_STREAM_NOTIFY", func() error { return s.zs.SetStreamNotify(boolInt(on)) })
}

// SetTCPKeepalive sets ZMQ_TCP_KEEPALIVE and, when non-zero, its idle time,
// probe interval (both rounded to seconds) and probe count.
func (s *Socket) SetTCPKeepalive(on bool, idle, interval time.Duration, count int) error {
	v := 0
	if on {
		v = 1
	}
	if err := s.setOpt("ZMQ_TCP_KEEPALIVE", func() error { return s.zs.SetTcpKeepalive(v) }); err != nil {
		return err
	}
	if idle > 0 {
		if err := s.setOpt("ZMQ_TCP_KEEPALIVE_IDLE", func() error { return s.zs.SetTcpKeepaliveIdle(secs(idle)) }); err != nil {
			return err
		}
	}
	if interval > 0 {
		if err := s.setOpt("ZMQ_TCP_KEEPALIVE_INTVL", func() error { return s.zs.SetTcpKeepaliveIntvl(secs(interval)) }); err != nil {
			return err
		}
	}
	if count > 0 {
		return s.setOpt("ZMQ_TCP_KEEPALIVE_CNT", func() error { return s.zs.SetTcpKeepaliveCnt(count) })
	}
	return nil
}

func secs(d time.Duration) int {
	n := int((d + time.Second - 1) / time.Second)
	return max(n, 1)
}

// TCPKeepalive reads ZMQ_TCP_KEEPALIVE (-1: OS default, 0 off, 1 on).
func (s *Socket) TCPKeepalive() (int, error) {
	return getOpt(s, "ZMQ_TCP_KEEPALIVE", s.zs.GetTcpKeepalive)
}

// SetIPv6 sets ZMQ_IPV6.
func (s *Socket) SetIPv6(on bool) error {
	return s.setOpt("ZMQ_IPV6", func() error { return s.zs.SetIpv6(on) })
}

// IPv6 reads ZMQ_IPV6.
func (s *Socket) IPv6() (bool, error) { return getOpt(s, "ZMQ_IPV6", s.zs.GetIpv6) }

// SetMaxMsgSize sets ZMQ_MAXMSGSIZE (-1: no limit).
func (s *Socket) SetMaxMsgSize(n int64) error {
	return s.setOpt("ZMQ_MAXMSGSIZE", func() error { return s.zs.SetMaxmsgsize(n) })
}

// MaxMsgSize reads ZMQ_MAXMSGSIZE.
func (s *Socket) MaxMsgSize() (int64, error) {
	return getOpt(s, "ZMQ_MAXMSGSIZE", s.zs.GetMaxmsgsize)
}

// SetHeartbeat sets ZMQ_HEARTBEAT_IVL and, when non-zero, ZMQ_HEARTBEAT_TTL
// and ZMQ_HEARTBEAT_TIMEOUT (all in milliseconds on the wire; TTL is sent
// in deciseconds and must be under 6553.5 s).
func (s *Socket) SetHeartbeat(ivl, ttl, timeout time.Duration) error {
	if ivl < 0 || ttl < 0 || timeout < 0 || ttl > 6553*time.Second {
		return fmt.Errorf("%w: heartbeat ivl=%v ttl=%v timeout=%v", ErrOption, ivl, ttl, timeout)
	}
	if err := s.setOpt("ZMQ_HEARTBEAT_IVL", func() error { return s.zs.SetHeartbeatIvl(ivl) }); err != nil {
		return err
	}
	if ttl > 0 {
		if err := s.setOpt("ZMQ_HEARTBEAT_TTL", func() error { return s.zs.SetHeartbeatTtl(ttl) }); err != nil {
			return err
		}
	}
	if timeout > 0 {
		return s.setOpt("ZMQ_HEARTBEAT_TIMEOUT", func() error { return s.zs.SetHeartbeatTimeout(timeout) })
	}
	return nil
}

func checkKey(k string) error {
	if len(k) != 32 && len(k) != 40 {
		return fmt.Errorf("%w: CURVE key must be 32 bytes or 40 Z85 characters, got %d", ErrOption, len(k))
	}
	return nil
}

// SetCurveServer makes the socket a CURVE server using secretKey.
func (s *Socket) SetCurveServer(secretKey string) error {
	if err := checkKey(secretKey); err != nil {
		return err
	}
	if err := s.setOpt("ZMQ_CURVE_SERVER", func() error { return s.zs.SetCurveServer(1) }); err != nil {
		return err
	}
	return s.setOpt("ZMQ_CURVE_SECRETKEY", func() error { return s.zs.SetCurveSecretkey(secretKey) })
}

// SetCurveClient makes the socket a CURVE client.
func (s *Socket) SetCurveClient(publicKey, secretKey, serverKey string) error {
	for _, k := range []string{publicKey, secretKey, serverKey} {
		if err := checkKey(k); err != nil {
			return err
		}
	}
	if err := s.setOpt("ZMQ_CURVE_PUBLICKEY", func() error { return s.zs.SetCurvePublickey(publicKey) }); err != nil {
		return err
	}
	if err := s.setOpt("ZMQ_CURVE_SECRETKEY", func() error { return s.zs.SetCurveSecretkey(secretKey) }); err != nil {
		return err
	}
	return s.setOpt("ZMQ_CURVE_SERVERKEY", func() error { return s.zs.SetCurveServerkey(serverKey) })
}

// CurveServerKey reads ZMQ_CURVE_SERVERKEY as Z85 text.
func (s *Socket) CurveServerKey() (string, error) {
	return getOpt(s, "ZMQ_CURVE_SERVERKEY", s.zs.GetCurveServerkeyZ85)
}

// SetPlainServer sets ZMQ_PLAIN_SERVER.
func (s *Socket) SetPlainServer(on bool) error {
	return s.setOpt("ZMQ_PLAIN_SERVER", func() error { return s.zs.SetPlainServer(boolInt(on)) })
}

// SetPlainClient sets ZMQ_PLAIN_USERNAME and ZMQ_PLAIN_PASSWORD.
func (s *Socket) SetPlainClient(user, password string) error {
	if err := s.setOpt("ZMQ_PLAIN_USERNAME", func() error { return s.zs.SetPlainUsername(user) }); err != nil {
		return err
	}
	return s.setOpt("ZMQ_PLAIN_PASSWORD", func() error { return s.zs.SetPlainPassword(password) })
}

// SetZapDomain sets ZMQ_ZAP_DOMAIN.
func (s *Socket) SetZapDomain(domain string) error {
	return s.setOpt("ZMQ_ZAP_DOMAIN", func() error { return s.zs.SetZapDomain(domain) })
}

// ZapDomain reads ZMQ_ZAP_DOMAIN.
func (s *Socket) ZapDomain() (string, error) { return getOpt(s, "ZMQ_ZAP_DOMAIN", s.zs.GetZapDomain) }

// Mechanism returns the security mechanism: "NULL", "PLAIN", "CURVE" or "GSSAPI".
func (s *Socket) Mechanism() (string, error) {
	m, err := getOpt(s, "ZMQ_MECHANISM", s.zs.GetMechanism)
	if err != nil {
		return "", err
	}
	return m.String(), nil
}

// SetConnectTimeout sets ZMQ_CONNECT_TIMEOUT for tcp connects (0: OS default).
func (s *Socket) SetConnectTimeout(d time.Duration) error {
	return s.setOpt("ZMQ_CONNECT_TIMEOUT", func() error { return s.zs.SetConnectTimeout(d) })
}

// SetHandshakeIvl sets ZMQ_HANDSHAKE_IVL, the limit on a ZMTP handshake (0: none).
func (s *Socket) SetHandshakeIvl(d time.Duration) error {
	return s.setOpt("ZMQ_HANDSHAKE_IVL", func() error { return s.zs.SetHandshakeIvl(d) })
}

// SetProperties chooses the message properties fetched on every receive
// (see WithProperties). Calling it with no names turns fetching off.
func (s *Socket) SetProperties(names ...string) error {
	if s.closed {
		return ErrClosed
	}
	s.cprops.free()
	s.props = append([]string(nil), names...)
	s.lastProps = nil
	s.cprops = newCNames(names)
	return nil
}

// SetSourceFD makes received frames carry the descriptor of the connection
// they arrived on (zframe.Frame.Source, libzmq's ZMQ_SRCFD), or stops it.
// It is off by default; the presence package turns it on.
func (s *Socket) SetSourceFD(on bool) error {
	if s.closed {
		return ErrClosed
	}
	s.wantSrc = on
	return nil
}

// WithSourceFD makes received frames carry their source descriptor (see
// SetSourceFD).
func WithSourceFD() Option { return socketOpt(func(s *Socket) error { return s.SetSourceFD(true) }) }

// Properties returns the names set with SetProperties.
func (s *Socket) Properties() []string { return append([]string(nil), s.props...) }
