// node_client.js: Node.js's named-pipe client, for bench/compare.sh.
//
//   node node_client.js NAME        copy the pipe to stdout until it closes
//   node node_client.js -u NAME     copy stdin to the pipe, then close
//
// net.connect on \\.\pipe\NAME is libuv's pipe client: what a Node program
// uses to talk to a Windows pipe, with stream.pipe doing the copying.
'use strict';
const net = require('net');
const up = process.argv[2] === '-u';
const name = process.argv[up ? 3 : 2];
const path = name.startsWith('\\\\') ? name : '\\\\.\\pipe\\' + name;
const sock = net.connect(path);
sock.on('error', (e) => {
  process.stderr.write(`node_client: ${path}: ${e.message}\n`);
  process.exit(1);
});
if (up) {
  process.stdin.pipe(sock);
  sock.resume();
} else {
  sock.pipe(process.stdout);
}
