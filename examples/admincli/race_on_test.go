//go:build race

package main

// raceEnabled: the tests run under the race detector, so TestMain builds the
// binary with -race too (it then reuses the test's compiled packages and
// also checks the command for races).
const raceEnabled = true
