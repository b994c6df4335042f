package zframe

import (
	"maps"
	"strings"
)

// Well-known message property names, as reported by libzmq.
const (
	// PropUserID is the user identity established by the security
	// mechanism (for example a ZAP handler).
	PropUserID = "User-Id"
	// PropPeerAddress is the address of the peer that sent the message.
	PropPeerAddress = "Peer-Address"
	// PropSocketType is the socket type of the sending peer, such as "DEALER".
	PropSocketType = "Socket-Type"
	// PropRoutingID is the routing id of the sending peer. It is an alias
	// of PropIdentity for lookups through Frame.Meta.
	PropRoutingID = "Routing-Id"
	// PropIdentity is the older name of PropRoutingID. It is an alias of
	// PropRoutingID for lookups through Frame.Meta.
	PropIdentity = "Identity"
)

// WithProps returns a copy of f carrying props as its message properties.
// The map is not copied: it is shared by every copy of the frame and must
// not be modified after this call. A nil or empty map removes all
// properties.
func (f Frame) WithProps(props map[string]string) Frame {
	if len(props) == 0 {
		props = nil
	}
	f.props = props
	return f
}

// HasProps reports whether the frame carries any property.
func (f Frame) HasProps() bool { return len(f.props) > 0 }

// WithPropsOf returns a copy of f that shares g's properties, without
// copying them: a socket layer gives every frame of a message the
// properties of its connection this way.
func (f Frame) WithPropsOf(g Frame) Frame {
	f.props = g.props
	return f
}

// Meta returns the value of the property called name and whether it exists.
//
// Names are matched without regard to letter case; when several stored
// names match, an exact match wins, then the lexically smallest name.
// [PropIdentity] and [PropRoutingID] are aliases: asking for either one
// finds a value stored under the other when the requested name is absent.
func (f Frame) Meta(name string) (string, bool) {
	if len(f.props) == 0 {
		return "", false
	}
	if v, ok := lookupFold(f.props, name); ok {
		return v, true
	}
	if alias, ok := aliasOf(name); ok {
		return lookupFold(f.props, alias)
	}
	return "", false
}

// Props returns a copy of the frame's properties, or nil if it has none.
func (f Frame) Props() map[string]string {
	if len(f.props) == 0 {
		return nil
	}
	return maps.Clone(f.props)
}

// lookupFold finds name in props, preferring an exact match and otherwise
// the lexically smallest key that matches without regard to case, so that
// the result does not depend on map iteration order.
func lookupFold(props map[string]string, name string) (string, bool) {
	if v, ok := props[name]; ok {
		return v, true
	}
	var bestKey, bestVal string
	found := false
	for k, v := range props {
		if !strings.EqualFold(k, name) {
			continue
		}
		if !found || k < bestKey {
			bestKey, bestVal, found = k, v, true
		}
	}
	return bestVal, found
}

// aliasOf returns the other spelling of the routing id property.
func aliasOf(name string) (string, bool) {
	switch {
	case strings.EqualFold(name, PropIdentity):
		return PropRoutingID, true
	case strings.EqualFold(name, PropRoutingID):
		return PropIdentity, true
	}
	return "", false
}
