package sync

import "inspecta/store"

// SetOpHook sets the engine's opHook (see Engine) for a test.
func SetOpHook(e *Engine, hook func(tx *store.Tx, part, n int) error) { e.opHook = hook }
