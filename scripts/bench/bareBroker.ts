/**
 * The scale bench's baseline: a bare aedes broker in a process of its own (as the service runs in
 * its own), counting the device publishes it took. Prints `port <n>`; reports `{ accepted }` when
 * asked with the message `count`.
 */
import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';

const broker = await Aedes.createBroker();
let accepted = 0;
broker.on('publish', (_packet, client) => {
  if (client) accepted++;
});
const tcp = createServer(broker.handle);
tcp.listen(0, '127.0.0.1', () => console.log(`port ${(tcp.address() as AddressInfo).port}`));
process.on('message', (m) => {
  if (m === 'count') process.send?.({ accepted });
});
