// Preloaded into both relays the benchmark spawns, so both are measured the same way:
// - y-webrtc's bin/server.js calls server.listen(port), binding every interface; stay on loopback.
// - SIGUSR2 runs a full GC (needs --expose-gc), so memory is read as retained, not as garbage
//   that the young generation has not collected yet.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || typeof args[0] === 'string') {
    if (typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};

process.on('SIGUSR2', () => globalThis.gc?.());
