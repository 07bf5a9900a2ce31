// Runs graphql-http's auditServer against a live Rungs server (URL in
// RUNGS_URL, e.g. http://127.0.0.1:8080/graphql) and fails on any MUST
// ("error") or SHOULD ("warn") failure. NOTICEs (MAY) are listed.
import { auditServer } from 'graphql-http';

const url = process.env.RUNGS_URL;
if (!url) {
  console.error('set RUNGS_URL');
  process.exit(2);
}
const results = await auditServer({ url });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const result of results) {
  counts[result.status] += 1;
  if (result.status !== 'ok') {
    console.log(`${result.status.toUpperCase()} ${result.id} ${result.name}: ${result.reason}`);
  }
}
console.log(`graphql-http audit: ${results.length} audits, ${counts.ok} ok, ${counts.error} MUST failures, ${counts.warn} SHOULD failures, ${counts.notice} notices`);
process.exit(counts.error + counts.warn > 0 ? 1 : 0);
