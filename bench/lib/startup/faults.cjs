// Preloaded with `node --require` by the bench, section (a): on exit, appends the process's minor page
// faults (first touches of fresh memory, a large part of start-up on virtual machines) to
// $SERVEC_BENCH_FAULTS.
'use strict';
const { appendFileSync } = require('node:fs');

process.on('exit', () => appendFileSync(process.env.SERVEC_BENCH_FAULTS, `${process.resourceUsage().minorPageFault}\n`));
