package oauthreg

// OnSlowHashSlot sets a hook called with the client ID and owner a
// slow-hash slot is taken for, just after it is taken (acquired true) and
// just before it is given back. A hook that blocks keeps the slot.
func OnSlowHashSlot(r *Registry, f func(client, owner string, acquired bool)) {
	r.hasher.onSlot = func(k slotKey, acquired bool) { f(k.client, k.owner, acquired) }
}

// SlowHashWaiting reports how many slow hash runs wait for a slot.
func SlowHashWaiting(r *Registry) int { return r.hasher.slots.waiting() }

// UnknownClientSlotKey is the client (and owner) name under which decoy
// verifications for unknown client IDs take their slow-hash slots.
var UnknownClientSlotKey = unknownClientKey.client
