#!/usr/bin/env node
import { text } from 'node:stream/consumers';
import { runWhmapi1 } from './run.js';

process.exitCode = await runWhmapi1(process.argv.slice(2), {
  stdout: (chunk) => process.stdout.write(chunk),
  stderr: (chunk) => process.stderr.write(chunk),
  stdin: () => text(process.stdin),
  env: process.env,
});
