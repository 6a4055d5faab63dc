package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

// maxInput bounds what is read from stdin or a file for one secret or hash:
// far above the 512 characters a supplied secret may have, far below what
// would hurt.
const maxInput = 64 << 10

// terminal returns stdin as a file when it is an interactive terminal.
// /dev/null is a character device too, so it is excluded by identity.
func terminal(stdin io.Reader) (*os.File, bool) {
	f, ok := stdin.(*os.File)
	if !ok || f == nil {
		return nil, false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil, false
	}
	if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(fi, null) {
		return nil, false
	}
	return f, true
}

// readValue reads one value (a secret or a hash) from file ("-" is stdin)
// or, when file is empty, from stdin. On a terminal it prompts on stderr and
// reads one line, with echo turned off when hidden is true; from a pipe or
// file it reads everything and drops one trailing newline. what names the
// value in messages, which never include the value itself.
func (s *session) readValue(file, what string, hidden bool) (string, error) {
	var raw string
	switch {
	case file != "" && file != "-":
		f, err := os.Open(file)
		if err != nil {
			return "", usagef("--file: %v", err)
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, maxInput+1))
		if err != nil {
			return "", fmt.Errorf("reading %s from %s: %w", what, file, err)
		}
		if len(b) > maxInput {
			return "", usagef("--file %s is larger than %d bytes; it should hold only the %s", file, maxInput, what)
		}
		raw = string(b)
	default:
		if tty, ok := terminal(s.stdin); ok {
			line, err := s.promptLine(tty, what+": ", hidden)
			if err != nil {
				return "", err
			}
			raw = line
			break
		}
		if s.stdin == nil {
			return "", usagef("no %s given: pipe it on stdin or use --file", what)
		}
		b, err := io.ReadAll(io.LimitReader(s.stdin, maxInput+1))
		if err != nil {
			return "", fmt.Errorf("reading %s from stdin: %w", what, err)
		}
		if len(b) > maxInput {
			return "", usagef("stdin holds more than %d bytes; it should hold only the %s", maxInput, what)
		}
		raw = string(b)
	}
	v := strings.TrimSuffix(raw, "\n")
	v = strings.TrimSuffix(v, "\r")
	switch {
	case v == "":
		return "", usagef("no %s given: pipe it on stdin or use --file", what)
	case strings.ContainsAny(v, "\r\n"):
		return "", usagef("the %s spans several lines; give exactly one", what)
	}
	return v, nil
}

// promptLine prints prompt on stderr and reads one line from the terminal,
// with echo off when hidden (through stty; if that is unavailable it says
// so and reads with echo). It gives up when ctx is cancelled (Ctrl-C).
func (s *session) promptLine(tty *os.File, prompt string, hidden bool) (string, error) {
	// Echo goes off before the prompt appears, so nothing typed after the
	// prompt is echoed.
	if hidden {
		if err := stty(tty, "-echo"); err != nil {
			fmt.Fprint(s.stderr, "(cannot turn off echo: input will be visible) ")
		} else {
			defer func() {
				_ = stty(tty, "echo")
				fmt.Fprintln(s.stderr)
			}()
		}
	}
	fmt.Fprint(s.stderr, prompt)
	type result struct {
		line string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		line, err := bufio.NewReaderSize(tty, 4096).ReadString('\n')
		done <- result{line, err}
	}()
	select {
	case <-s.ctx.Done():
		return "", s.ctx.Err()
	case r := <-done:
		if r.err != nil && !errors.Is(r.err, io.EOF) {
			return "", r.err
		}
		return r.line, nil
	}
}

// stty runs stty with the terminal as its input.
func stty(tty *os.File, arg string) error {
	cmd := exec.Command("stty", arg)
	cmd.Stdin = tty
	return cmd.Run()
}

// confirm asks a yes/no question on the terminal. Without a terminal it
// refuses: scripts must pass --yes.
func (s *session) confirm(question string) (bool, error) {
	tty, ok := terminal(s.stdin)
	if !ok {
		return false, usagef("refusing to %s without confirmation: stdin is not a terminal, pass --yes", question)
	}
	line, err := s.promptLine(tty, question+"? [y/N] ", false)
	if err != nil {
		return false, err
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

// secretArgHint explains why the commands that read a secret refuse an
// extra argument (which they never repeat).
const secretArgHint = "the secret is read from stdin or --file, never from the command line " +
	"(arguments end up in shell history and process listings); nothing was stored"
