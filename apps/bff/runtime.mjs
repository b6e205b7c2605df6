// How the console's Node process is started: read by scripts/run.mjs (`npm start`) and by the
// benchmark, so both run the BFF alike. Plain JS, no dependencies: run.mjs imports it before install.
//
// Why (docs/decisions/007-bff-memory.md): a 10,000-account answer is parsed, checked and serialized
// in a few ms and is garbage right after; V8's default young generation grows to 2×16 MB for that
// and stays there. Node's HTTP parser copies each piece of an upstream answer's body (up to 64 kB)
// into its own malloc'd buffer; below glibc's mmap threshold those land on the main heap, which
// freed holes fragment and glibc never gives back (~25 MB after a minute of 10,000-account reads).
// Each heavy answer also leaves a megabyte of old-generation garbage and a serialized buffer behind;
// with V8's default heap growing factor these pile up for seconds between major GCs (20-40 MB at
// the moment one measures), so the old generation may grow by half its live size before one.

/** V8 flags for the BFF's `node`. */
export const nodeArgs = ['--max-semi-space-size=4', '--heap-growing-percent=50'];

/** Environment for the BFF's process (glibc reads these at start-up). */
export const env = { MALLOC_MMAP_THRESHOLD_: '16384' };
