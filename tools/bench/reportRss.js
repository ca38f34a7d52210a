"use strict";
// Preloaded into benchmarked processes: reports the process's peak resident memory and its CPU time (user + system) at exit.
process.on("exit", () => {
    const u = process.resourceUsage();
    process.stderr.write(`\nBENCH_MAXRSS_KB=${u.maxRSS}\nBENCH_CPU_US=${u.userCPUTime + u.systemCPUTime}\n`);
});
