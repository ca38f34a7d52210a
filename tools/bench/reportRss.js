"use strict";
// Preloaded into benchmarked processes: reports the process's peak resident memory at exit.
process.on("exit", () => {
    process.stderr.write(`\nBENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
