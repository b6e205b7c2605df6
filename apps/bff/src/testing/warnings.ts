import { afterAll, afterEach } from 'vitest';

// Set up before every test file (vitest.config.ts): a listener warning anywhere in the suite
// fails the file it happened in, so a leak cannot come back as a line nobody reads.
const seen: Error[] = [];
process.on('warning', (warning) => {
  if (warning.name === 'MaxListenersExceededWarning') seen.push(warning);
});

function failOnWarnings(): void {
  if (seen.length === 0) return;
  const messages = seen.splice(0).map((warning) => warning.message);
  throw new Error(`MaxListenersExceededWarning: ${messages.join('; ')}`);
}

afterEach(failOnWarnings);
afterAll(async () => {
  // process.emitWarning emits on the next tick: let a warning from a closing server arrive.
  await new Promise((resolve) => setImmediate(resolve));
  failOnWarnings();
});
