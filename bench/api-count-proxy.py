#!/usr/bin/env python3
"""A counting proxy for the Docker API: listens on a unix socket, forwards every byte to the real one, and counts
HTTP requests (request lines) sent by the client. SIGUSR1 writes the count to the count file and resets it."""
import os, re, signal, socket, sys, threading

listen, target, count_file = sys.argv[1], sys.argv[2], sys.argv[3]
REQ = re.compile(rb'(GET|POST|PUT|DELETE|HEAD) /[^ \r\n]* HTTP/1\.[01]\r\n')
count = 0
lock = threading.Lock()

def dump(*_):
    global count
    with lock:
        with open(count_file, 'w') as f:
            f.write(str(count))
        count = 0

signal.signal(signal.SIGUSR1, dump)

def pump(src, dst, counting):
    global count
    tail = b''
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if counting:
                buf = tail + data
                n = len(REQ.findall(buf))
                with lock:
                    count += n
                tail = buf[-64:] if not REQ.search(buf[-64:]) else b''
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
while True:
    c, _ = srv.accept()
    u = socket.socket(socket.AF_UNIX)
    u.connect(target)
    threading.Thread(target=pump, args=(c, u, True), daemon=True).start()
    threading.Thread(target=pump, args=(u, c, False), daemon=True).start()
