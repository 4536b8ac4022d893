// peer.js: a Node.js named-pipe peer for pipecat's interop tests
// (tests/t0800-interop-node.t), run by node.exe (Node.js for Windows).
//
// Node reaches Windows named pipes through libuv (src/win/pipe.c), which
// nobody here wrote: its server makes its own instances (CreateNamedPipeW,
// four armed at once), its client opens with CreateFileW and retries busy
// pipes, and it maps ERROR_BROKEN_PIPE to a clean 'end' but most other
// pipe errors (ERROR_PIPE_NOT_CONNECTED, ERROR_NO_DATA) to EPIPE. So this
// peer records which events it saw, for the tests to tell a clean end from
// an error.
//
//   node peer.js listen NAME [OPTIONS]    net.createServer, one connection
//   node peer.js connect NAME [OPTIONS]   net.connect
//   node peer.js about                    print "VERSION PLATFORM OS-RELEASE"
//
// NAME is foo (meaning \\.\pipe\foo) or a full \\.\pipe\foo path.
//
//   --log FILE        events, one a line, each appended at once (so a test
//                     can wait for one): "listening", "connected",
//                     "sent BYTES", "end", "finish", "error CODE",
//                     "close", "timeout", "exit STATUS"
//   --send-file FILE  send FILE's bytes
//   --send-gen BYTES  send BYTES deterministic bytes (xorshift32 from seed
//                     1; BYTES may end in K or M, binary units)
//   --recv FILE       write what is received to FILE
//   --sums FILE       at the end: "sent BYTES SHA256" and "recv BYTES SHA256"
//   --echo            send back what is received (until the peer ends)
//   --end WHEN        when this side ends: "peer" (default: when the peer
//                     ends; Node's allowHalfOpen=false does it), "sent"
//                     (socket.end() once everything is sent), "destroy"
//                     (socket.destroy() once everything is handed to the
//                     pipe: closes the handle at once)
//   --expect BYTES    with --end sent or destroy: also wait until BYTES have
//                     been received (libuv closes a pipe 50 ms after
//                     socket.end() if no data comes in, so ending while
//                     the peer still sends would cut it off)
//   --timeout SECS    give up after SECS (default 50): "timeout", exit 3
//
// Exit status: 0 the connection closed with no 'error' event; 1 an 'error'
// event (its code is in the log); 2 usage; 3 timed out.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const os = require('os');

function usage(msg) {
  process.stderr.write(`peer.js: ${msg}\n`);
  process.exit(2);
}

function parseBytes(s) {
  const m = /^(\d+)([KM]?)$/.exec(s);
  if (!m) usage(`"${s}" is not a byte count`);
  return Number(m[1]) * ({ '': 1, K: 1024, M: 1048576 })[m[2]];
}

const args = process.argv.slice(2);
const role = args.shift();
if (role === 'about') {
  process.stdout.write(`${process.version} ${process.platform} ${os.release()}\n`);
  process.exit(0);
}
const name = args.shift();
if (role !== 'listen' && role !== 'connect') usage('first argument: listen, connect or about');
if (!name) usage('a pipe NAME is required');
const opt = { end: 'peer', timeout: 50 };
while (args.length > 0) {
  const a = args.shift();
  const v = () => (args.length > 0 ? args.shift() : usage(`${a} needs a value`));
  switch (a) {
    case '--log': opt.log = v(); break;
    case '--send-file': opt.sendFile = v(); break;
    case '--send-gen': opt.sendGen = parseBytes(v()); break;
    case '--recv': opt.recv = v(); break;
    case '--sums': opt.sums = v(); break;
    case '--echo': opt.echo = true; break;
    case '--end': opt.end = v(); break;
    case '--expect': opt.expect = parseBytes(v()); break;
    case '--timeout': opt.timeout = Number(v()); break;
    default: usage(`unknown option "${a}"`);
  }
}
if (!['peer', 'sent', 'destroy'].includes(opt.end)) usage(`--end: "${opt.end}"`);
const path = /^[\\/]{2}/.test(name) ? name : `\\\\.\\pipe\\${name}`;

// Appended synchronously: a test polls this file for readiness lines.
function log(line) {
  if (opt.log) fs.appendFileSync(opt.log, `${line}\n`);
}

let status = 0;
function finish(code) {
  if (code > status) status = code;
  log(`exit ${status}`);
  process.exit(status);
}

const timer = setTimeout(() => {
  log('timeout');
  finish(3);
}, opt.timeout * 1000);

// The data to send, as a sequence of 64 KiB chunks.
function* chunks() {
  if (opt.sendFile !== undefined) {
    yield fs.readFileSync(opt.sendFile);
    return;
  }
  let left = opt.sendGen || 0;
  let x = 1;
  while (left > 0) {
    const n = Math.min(left, 65536);
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b[i] = x & 0xff;
    }
    left -= n;
    yield b;
  }
}

function serve(sock) {
  const sent = crypto.createHash('sha256');
  const got = crypto.createHash('sha256');
  const out = opt.recv ? fs.openSync(opt.recv, 'w') : null;
  let nsent = 0;
  let ngot = 0;
  let allSent = false;
  let ended = false;

  // --end sent / destroy, once everything is sent and --expect received.
  function maybeEnd() {
    if (ended || !allSent || ngot < (opt.expect || 0)) return;
    ended = true;
    if (opt.end === 'sent') sock.end();
    else if (opt.end === 'destroy') sock.destroy();
  }

  sock.on('data', (b) => {
    ngot += b.length;
    got.update(b);
    if (out !== null) fs.writeSync(out, b);
    if (opt.echo) {
      nsent += b.length;
      sent.update(b);
      if (!sock.write(b)) {
        sock.pause();
        sock.once('drain', () => sock.resume());
      }
    }
    maybeEnd();
  });
  sock.on('end', () => log('end'));
  sock.on('finish', () => log('finish'));
  sock.on('error', (e) => {
    log(`error ${e.code || e.message}`);
    status = 1;
  });
  sock.on('close', () => {
    if (out !== null) fs.closeSync(out);
    if (opt.sums) {
      fs.writeFileSync(opt.sums, `sent ${nsent} ${sent.digest('hex')}\n` +
        `recv ${ngot} ${got.digest('hex')}\n`);
    }
    log(`recv ${ngot}`);
    log('close');
    clearTimeout(timer);
    finish(status);
  });

  if (opt.echo) return; // an echo sends only what it receives

  // Writes with back-pressure; the last write's callback means every byte
  // has been handed to the pipe. (No zero-length write marks the end: on a
  // pipe that is a real, empty write the peer would see.)
  function sentAll() {
    log(`sent ${nsent}`);
    allSent = true;
    maybeEnd();
  }
  const it = chunks();
  let cur = it.next();
  function pump() {
    if (cur.done) {
      sentAll();
      return;
    }
    while (!cur.done) {
      const b = cur.value;
      cur = it.next();
      nsent += b.length;
      sent.update(b);
      const more = sock.write(b, cur.done ? sentAll : undefined);
      if (!more && !cur.done) {
        sock.once('drain', pump);
        return;
      }
    }
  }
  pump();
}

if (role === 'listen') {
  const server = net.createServer((sock) => {
    log('connected');
    server.close(); // one connection: stop listening, so no one else gets in
    serve(sock);
  });
  server.on('error', (e) => {
    log(`error ${e.code || e.message}`);
    finish(1);
  });
  server.listen(path, () => log('listening'));
} else {
  let connected = false;
  const sock = net.connect(path, () => {
    connected = true;
    log('connected');
    serve(sock);
  });
  // An error before 'connect' (no such pipe) ends the run here; later ones
  // are serve's to record.
  sock.on('error', (e) => {
    if (connected) return;
    log(`error ${e.code || e.message}`);
    finish(1);
  });
}
