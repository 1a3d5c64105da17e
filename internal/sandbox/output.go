package sandbox

import (
	"bytes"
	"errors"
	"os"
	"sync"
	"syscall"
	"time"
)

// Line is one line of a process's output.
type Line struct {
	// Time is when Fogbank read the line's first byte from the process,
	// within microseconds of its writing.
	Time time.Time
	// Text is the line with its newline; the last line read may lack it
	// when the process had not finished writing it.
	Text []byte
}

// maxBuffered bounds the output kept between two ReadLog calls; the
// oldest lines beyond it are dropped (an idle environment writing in the
// background cannot grow the server's memory without bound).
const maxBuffered = 8 << 20

// output collects a process's stdout and stderr from a pipe, stamping each
// line with the time it was read. Reads happen under mu, both in the
// background reader and in take, so that take sees every byte written
// before it was called.
type output struct {
	r    *os.File
	done chan struct{} // closed when the background reader returns

	mu      sync.Mutex
	lines   []Line
	size    int
	partial Line // the line being written, without its newline yet
	buf     []byte
}

// newOutput returns an output reading from a fresh pipe, and the pipe's
// write end for the child.
func newOutput() (*output, *os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	return &output{r: r, done: make(chan struct{}), buf: make([]byte, 64<<10)}, w, nil
}

// run reads until the write ends are all closed or close is called.
func (o *output) run() {
	defer close(o.done)
	rc, err := o.r.SyscallConn()
	if err != nil {
		return
	}
	for {
		var ended bool // end of file, or a read error
		err := rc.Read(func(fd uintptr) bool {
			o.mu.Lock()
			defer o.mu.Unlock()
			n, err := o.readOnce(int(fd))
			if errors.Is(err, syscall.EAGAIN) {
				return false
			}
			ended = n == 0 || err != nil
			return true
		})
		if err != nil || ended {
			return
		}
	}
}

// readOnce reads what the pipe holds, up to the buffer's size; mu is held.
func (o *output) readOnce(fd int) (int, error) {
	for {
		n, err := syscall.Read(fd, o.buf)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if n > 0 {
			o.add(o.buf[:n], time.Now())
		}
		return max(n, 0), err
	}
}

// add splits b, read at t, into lines; mu is held.
func (o *output) add(b []byte, t time.Time) {
	for len(b) > 0 {
		if len(o.partial.Text) == 0 {
			o.partial.Time = t
		}
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			o.partial.Text = append(o.partial.Text, b...)
			return
		}
		o.partial.Text = append(o.partial.Text, b[:i+1]...)
		b = b[i+1:]
		o.push(o.partial)
		o.partial = Line{}
	}
}

// push appends a complete line, dropping the oldest beyond maxBuffered.
func (o *output) push(l Line) {
	o.lines = append(o.lines, l)
	o.size += len(l.Text)
	for o.size > maxBuffered && len(o.lines) > 1 {
		o.size -= len(o.lines[0].Text)
		o.lines = o.lines[1:]
	}
}

// take drains the pipe and returns the lines read since the previous call,
// the unfinished last line included.
func (o *output) take() []Line {
	o.mu.Lock()
	defer o.mu.Unlock()
	if rc, err := o.r.SyscallConn(); err == nil {
		_ = rc.Control(func(fd uintptr) { // fails only once the pipe is closed
			for {
				if n, err := o.readOnce(int(fd)); n == 0 || err != nil {
					return
				}
			}
		})
	}
	if len(o.partial.Text) > 0 {
		o.push(o.partial)
		o.partial = Line{}
	}
	lines := o.lines
	o.lines, o.size = nil, 0
	return lines
}

// close stops the background reader (a descendant that escaped the
// process group may still hold the write end) and waits for it.
func (o *output) close() {
	_ = o.r.Close() // only fails if already closed
	<-o.done
}
