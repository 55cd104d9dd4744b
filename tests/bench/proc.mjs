// CPU accounting for the benchmarks, from /proc (Linux): where the machine's cores went during a run.
import { readdirSync, readFileSync } from 'node:fs';

const ticksPerSecond = 100;

/** User + system CPU seconds a process has used. */
export function processCpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/**
 * CPU seconds used by PostgreSQL processes: every one of the machine (backends, WAL writer, checkpointer),
 * or with `database` only the backends serving that database (their title reads
 * `postgres: <user> <database> <client> <state>`), which leaves out other programs' databases on a shared
 * machine and the shared background processes.
 */
export function postgresCpuSeconds(database) {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      if (database && !readFileSync(`/proc/${entry}/cmdline`, 'utf8').split(' ').includes(database)) continue;
      const fields = stat.split(') ')[1].split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
    } catch {
      // The process ended between listing and reading.
    }
  }
  return total;
}

/** Busy and total CPU seconds of the whole machine (all cores), from /proc/stat. */
export function machineCpuSeconds() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = values[3] + values[4];
  const total = values.reduce((sum, value) => sum + value, 0);
  return { busy: (total - idle) / ticksPerSecond, total: total / ticksPerSecond };
}

/**
 * Starts measuring; `stop()` returns cores used per wall-clock second by the server (`serverPid`, or the sum of
 * several nodes' pids), the bench client (the process `clientPid`, else this one), PostgreSQL, and everything
 * else on the machine (other programs competing for the cores).
 */
export function cpuMeter(serverPid, clientPid) {
  const started = performance.now();
  const serverSeconds = () => [serverPid].flat().reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
  const server = serverSeconds();
  const clientSeconds = () => {
    if (clientPid) return processCpuSeconds(clientPid);
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };
  const client = clientSeconds();
  const postgres = postgresCpuSeconds();
  const machine = machineCpuSeconds();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const used = {
      server: (serverSeconds() - server) / seconds,
      client: (clientSeconds() - client) / seconds,
      postgres: (postgresCpuSeconds() - postgres) / seconds,
      machine: (machineCpuSeconds().busy - machine.busy) / seconds,
    };
    return { ...used, other: Math.max(0, used.machine - used.server - used.client - used.postgres) };
  };
}
