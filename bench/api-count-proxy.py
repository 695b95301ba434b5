#!/usr/bin/env python3
"""A counting proxy for the Docker API: listens on a unix socket, forwards every byte to the real one, and counts
HTTP requests (request lines) sent by the client. SIGUSR1 writes the count to the count file and resets it.
With a fourth argument, also appends one line per request and per response head to that file:
  <seconds since start> <connection#> > METHOD /path      (request)
  <seconds since start> <connection#> < STATUS            (response head)
so a timeline shows which calls run concurrently and where a client waits."""
import os, re, signal, socket, sys, threading, time

listen, target, count_file = sys.argv[1], sys.argv[2], sys.argv[3]
trace = open(sys.argv[4], 'a', buffering=1) if len(sys.argv) > 4 else None
REQ = re.compile(rb'(GET|POST|PUT|DELETE|HEAD) (/[^ \r\n]*) HTTP/1\.[01]\r\n')
RESP = re.compile(rb'HTTP/1\.[01] (\d{3})')
T0 = time.monotonic()
count = 0
lock = threading.Lock()

def dump(*_):
    global count
    with lock:
        with open(count_file, 'w') as f:
            f.write(str(count))
        count = 0

signal.signal(signal.SIGUSR1, dump)

def log(conn, text):
    if trace:
        with lock:
            trace.write('%.3f %d %s\n' % (time.monotonic() - T0, conn, text))

def pump(src, dst, counting, conn):
    global count
    tail = b''
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if counting:
                # Request lines may straddle two reads: search the last bytes of the previous read too, but count
                # each match once (matches that ended in the old tail were counted then).
                buf = tail + data
                for m in REQ.finditer(buf):
                    if m.end() > len(tail):
                        with lock:
                            count += 1
                        log(conn, '> %s %s' % (m.group(1).decode(), m.group(2).decode(errors='replace')))
                tail = buf[-256:]
            elif trace:
                m = RESP.match(data)
                if m:
                    log(conn, '< ' + m.group(1).decode())
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

if os.path.exists(listen):
    os.unlink(listen)
srv = socket.socket(socket.AF_UNIX)
srv.bind(listen)
srv.listen(64)
n = 0
while True:
    c, _ = srv.accept()
    u = socket.socket(socket.AF_UNIX)
    u.connect(target)
    n += 1
    threading.Thread(target=pump, args=(c, u, True, n), daemon=True).start()
    threading.Thread(target=pump, args=(u, c, False, n), daemon=True).start()
