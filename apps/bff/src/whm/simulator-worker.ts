import { parentPort, workerData } from 'node:worker_threads';
import { startSimulator, type SimulatorOptions } from '@console/whm-sim';

/**
 * The demo simulator on its own thread: in-process, but not on the BFF's event loop, so the
 * console's throughput is not halved by serving WHM answers too.
 */
const port = parentPort;
if (port) {
  startSimulator(workerData as SimulatorOptions).then(
    (simulator) => {
      port.on('message', (message: unknown) => {
        if (message === 'close') {
          void simulator.close().finally(() => port.postMessage({ closed: true }));
        }
      });
      port.postMessage({ url: simulator.url });
    },
    (error: unknown) => {
      port.postMessage({ error: error instanceof Error ? error.message : String(error) });
    },
  );
}
