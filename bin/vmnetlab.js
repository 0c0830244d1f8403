#!/usr/bin/env node
// The installed `vmnetlab` command: runs the CLI that tools/build.mjs bundles to dist/cli.mjs.
import { main } from '../dist/cli.mjs';

process.stdout.on('error', () => undefined);
process.exitCode = await main(process.argv.slice(2));
