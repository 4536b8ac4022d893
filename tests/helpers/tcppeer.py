#!/usr/bin/env python3
"""tcppeer: TCP peers for bridge's tests, on the Linux side of Wine.

Only Python's standard socket module: a peer nobody here wrote the
protocol stack of. Servers bind 127.0.0.1 port 0 and write the port to
PORTFILE once listening (tests wait for that file, not for time).

  echo PORTFILE                 echo each connection's bytes, many at once
  answer PORTFILE               read to EOF, then send "got N bytes\\n"
  serve PORTFILE SEND RECV N    one connection: send file SEND while
                                receiving N bytes into RECV, then close
  connect PORT SEND RECV N      the same as a client
  ask PORT TEXT                 send TEXT, shut down the write side, print
                                the answer up to EOF
  uask PATH TEXT [N]            the WSL side: connect the Unix socket PATH,
                                send TEXT (\r and \n escapes allowed), print N
                                bytes of the answer (default: up to EOF);
                                the write side stays open
  clients PORT N BYTES          N clients at once, each sending BYTES of its
                                own and checking its echo; prints
                                "clients=N ok=K failed=F", exits 0 if all ok
  slow PORT RECV N              a client that sends nothing and reads N
                                bytes into RECV 4 KiB at a time, 1 ms
                                apart: its sender's writes must wait
  deaf PORTFILE SECONDS         one connection, never read: held open
                                SECONDS, then closed
  agent SOCKFILE                a fake gpg-agent: writes SOCKFILE ("PORT\\n"
                                and a 16-byte nonce), and answers
                                "OK Pleased to meet you" to a connection
                                that sends the nonce first, then echoes;
                                "ERR bad nonce" otherwise
"""
import os
import socket
import sys
import threading
import time


def listener():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(128)
    return s


def announce(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


def recv_all(c, n=None):
    parts, got = [], 0
    while n is None or got < n:
        b = c.recv(1 << 16)
        if not b:
            break
        parts.append(b)
        got += len(b)
    return b"".join(parts)


def forever(s, handle):
    while True:
        c, _ = s.accept()
        threading.Thread(target=handle, args=(c,), daemon=True).start()


def echo(c):
    with c:
        while True:
            b = c.recv(1 << 16)
            if not b:
                break
            c.sendall(b)


def answer(c):
    with c:
        data = recv_all(c)
        c.sendall(b"got %d bytes\n" % len(data))


def both(c, send, recv, n):
    with open(send, "rb") as f:
        data = f.read()

    def sender():
        c.sendall(data)

    t = threading.Thread(target=sender)
    t.start()
    got = recv_all(c, n)
    t.join()
    with open(recv, "wb") as f:
        f.write(got)
    c.shutdown(socket.SHUT_WR)
    c.close()


def client_load(port, i, nbytes, results):
    data = bytes(((i * 131 + k * 7 + (k >> 8)) & 0xFF) for k in range(nbytes))
    try:
        c = socket.create_connection(("127.0.0.1", port), timeout=60)
        t = threading.Thread(target=c.sendall, args=(data,))
        t.start()
        got = recv_all(c, nbytes)
        t.join()
        c.close()
        results[i] = got == data
    except OSError as e:
        print("client %d: %s" % (i, e), file=sys.stderr)
        results[i] = False


def agent(sockfile):
    s = listener()
    nonce = os.urandom(16)
    port = s.getsockname()[1]
    tmp = sockfile + ".tmp"
    with open(tmp, "wb") as f:
        f.write(b"%d\n" % port + nonce)
    os.rename(tmp, sockfile)

    def handle(c):
        with c:
            # Exactly 16 bytes: what follows the nonce is the client's.
            got = b""
            while len(got) < 16:
                b = c.recv(16 - len(got))
                if not b:
                    break
                got += b
            if got != nonce:
                c.sendall(b"ERR bad nonce\n")
                # Half-close and drain before closing: closing with the
                # client's bytes unread makes Linux send a reset, which
                # can reach the client before the answer is read.
                c.shutdown(socket.SHUT_WR)
                c.settimeout(10)
                try:
                    while c.recv(65536):
                        pass
                except OSError:
                    pass
                return
            c.sendall(b"OK Pleased to meet you\n")
            echo(c)

    forever(s, handle)


def main(argv):
    cmd = argv[1]
    if cmd in ("echo", "answer"):
        s = listener()
        announce(argv[2], "%d\n" % s.getsockname()[1])
        forever(s, echo if cmd == "echo" else answer)
    elif cmd == "serve":
        s = listener()
        announce(argv[2], "%d\n" % s.getsockname()[1])
        c, _ = s.accept()
        both(c, argv[3], argv[4], int(argv[5]))
    elif cmd == "connect":
        c = socket.create_connection(("127.0.0.1", int(argv[2])))
        both(c, argv[3], argv[4], int(argv[5]))
    elif cmd == "ask":
        c = socket.create_connection(("127.0.0.1", int(argv[2])))
        c.sendall(argv[3].encode())
        c.shutdown(socket.SHUT_WR)
        sys.stdout.buffer.write(recv_all(c))
    elif cmd == "uask":
        c = socket.socket(socket.AF_UNIX)
        c.connect(argv[2])
        c.sendall(argv[3].replace("\\r", "\r").replace("\\n", "\n").encode())
        n = int(argv[4]) if len(argv) > 4 else None
        sys.stdout.buffer.write(recv_all(c, n))
        c.close()
    elif cmd == "clients":
        port, n, nbytes = int(argv[2]), int(argv[3]), int(argv[4])
        results = [None] * n
        ts = [threading.Thread(target=client_load, args=(port, i, nbytes, results))
              for i in range(n)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        ok = sum(1 for r in results if r)
        print("clients=%d ok=%d failed=%d" % (n, ok, n - ok))
        return 0 if ok == n else 1
    elif cmd == "slow":
        c = socket.create_connection(("127.0.0.1", int(argv[2])))
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
        n, got = int(argv[4]), 0
        with open(argv[3], "wb") as f:
            while got < n:
                b = c.recv(4096)
                if not b:
                    break
                f.write(b)
                got += len(b)
                time.sleep(0.001)
        c.close()
    elif cmd == "deaf":
        s = listener()
        announce(argv[2], "%d\n" % s.getsockname()[1])
        c, _ = s.accept()
        time.sleep(float(argv[3]))
        c.close()
    elif cmd == "agent":
        agent(argv[2])
    else:
        print("tcppeer: unknown command %s" % cmd, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
