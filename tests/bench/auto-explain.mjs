// BENCH_AUTO_EXPLAIN=<ms>: every statement of the bench's database slower than that has its plan (with actual
// rows and times) written to PostgreSQL's log, for finding the plans behind a latency tail.
export async function autoExplain(pgAdmin, dbName, ms = process.env.BENCH_AUTO_EXPLAIN) {
  if (!ms) return;
  for (const setting of [
    `session_preload_libraries = 'auto_explain'`,
    `auto_explain.log_min_duration = ${Number(ms)}`,
    `auto_explain.log_analyze = on`,
    `auto_explain.log_nested_statements = on`,
  ]) {
    await pgAdmin.unsafe(`alter database ${dbName} set ${setting}`);
  }
}
