// The simulator in its own process, so the load generator does not share its event loop; the
// parent asks it over IPC how many upstream calls each function received.
import { startSimulator } from '@console/whm-sim';

export type SimChildMessage = { type: 'calls'; fn?: string } | { type: 'reset' };
export type SimChildReply =
  { type: 'ready'; url: string; port: number } | { type: 'calls'; count: number };

const [token = 'bench', accounts = '10000', latencyMs = '0'] = process.argv.slice(2);
const simulator = await startSimulator({
  rootToken: token,
  accounts: Number(accounts),
  latencyMs: Number(latencyMs),
});
const send = (message: SimChildReply) => process.send?.(message);
process.on('message', (message: SimChildMessage) => {
  if (message.type === 'calls') send({ type: 'calls', count: simulator.calls.count(message.fn) });
  if (message.type === 'reset') simulator.calls.reset();
});
process.on('SIGTERM', () => {
  void simulator.close().then(() => process.exit(0));
});
process.on('disconnect', () => {
  void simulator.close().then(() => process.exit(0));
});
send({ type: 'ready', url: simulator.url, port: simulator.port });
