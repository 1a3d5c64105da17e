package main

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
)

// proxy forwards TCP connections to a database server and counts round
// trips: a flight is a client write that follows a server answer (or opens
// the connection), so a pipelined batch of statements is one.
type proxy struct {
	ln      net.Listener
	target  string
	flights atomic.Int64
	conns   sync.WaitGroup
}

// startProxy listens on a loopback port and forwards to target.
func startProxy(target string) (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &proxy{ln: ln, target: target}
	go p.accept()
	return p, nil
}

// Addr is the proxy's host:port.
func (p *proxy) Addr() string { return p.ln.Addr().String() }

// Close stops accepting connections; open ones end with their peers.
func (p *proxy) Close() error { return p.ln.Close() }

func (p *proxy) accept() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.conns.Go(func() { p.forward(client) })
	}
}

// forward copies both ways between client and a new server connection.
func (p *proxy) forward(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer server.Close()
	var answered atomic.Bool // the last bytes went server to client
	answered.Store(true)
	done := make(chan struct{}, 2)
	go func() {
		copyCounting(server, client, func() {
			if answered.Swap(false) {
				p.flights.Add(1)
			}
		})
		done <- struct{}{}
	}()
	go func() {
		copyCounting(client, server, func() { answered.Store(true) })
		done <- struct{}{}
	}()
	<-done
}

// copyCounting copies src to dst, calling seen before forwarding each read.
func copyCounting(dst io.Writer, src io.Reader, seen func()) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			seen()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if c, ok := dst.(interface{ CloseWrite() error }); ok && errors.Is(err, io.EOF) {
				_ = c.CloseWrite()
			}
			return
		}
	}
}
