// How the console's Node process is started: read by scripts/run.mjs (`npm start`) and by the
// benchmark, so both run the BFF alike. Plain JS, no dependencies: run.mjs imports it before install.
//
// Why (docs/decisions/007-bff-memory.md): a 10,000-account answer is parsed, checked and serialized
// in a few ms and is garbage right after; V8's default young generation grows to 2×16 MB for that
// and stays there, and glibc, once a big buffer is freed, raises its mmap threshold and keeps later
// big buffers on a heap it does not give back. Both held ~40 MB of the BFF's resident memory.

/** V8 flags for the BFF's `node`. */
export const nodeArgs = ['--max-semi-space-size=2'];

/** Environment for the BFF's process (glibc reads these at start-up). */
export const env = { MALLOC_MMAP_THRESHOLD_: '131072' };
