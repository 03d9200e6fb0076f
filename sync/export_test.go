package sync

import "inspecta/store"

// SetOpHook sets the engine's opHook (see Engine) for a test.
func SetOpHook(e *Engine, hook func(tx *store.Tx, part, n int) error) { e.opHook = hook }

// PullQuery is the pull's query of record keys for a condition (pullQuery).
func PullQuery(cond string) string { return pullQuery(cond) }

// WorkingSet is the condition of a first sync's working set (workingSet).
func WorkingSet() string { return workingSet }
