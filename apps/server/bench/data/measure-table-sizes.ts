/** Table and index sizes, a partitioned table counted over all its partitions and each index over its copies. */
import pg from 'pg';

export interface TableSize {
  readonly table: string;
  readonly rows: number;
  readonly partitions: number;
  readonly tableMiB: number;
  readonly indexesMiB: number;
  readonly indexes: Record<string, number>;
}

const TABLES = ['webhook_deliveries', 'webhook_delivery_attempts', 'messages', 'message_status_history'];
const MiB = 2 ** 20;

export async function measureTableSizes(url: string): Promise<TableSize[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const sizes: TableSize[] = [];
    for (const table of TABLES) {
      const { rows } = await client.query<{ partitions: string; table_bytes: string; rows: string }>(
        `SELECT count(*) FILTER (WHERE t.relid <> $1::regclass) AS partitions,
           sum(pg_table_size(t.relid)) AS table_bytes,
           (SELECT count(*) FROM ${table}) AS rows
         FROM pg_partition_tree($1::regclass) t`,
        [table],
      );
      const indexes = await client.query<{ name: string; bytes: string }>(
        `SELECT regexp_replace(i.relname, '^' || $1 || '_(p\\d{8}|default)_', '') AS name, sum(pg_relation_size(i.oid)) AS bytes
         FROM pg_partition_tree($1::regclass) t
         JOIN pg_index x ON x.indrelid = t.relid JOIN pg_class i ON i.oid = x.indexrelid
         WHERE t.isleaf GROUP BY 1 ORDER BY 1`,
        [table],
      );
      const byIndex = Object.fromEntries(indexes.rows.map((row) => [row.name, Number(row.bytes) / MiB]));
      sizes.push({
        table,
        rows: Number(rows[0]?.rows ?? 0),
        partitions: Number(rows[0]?.partitions ?? 0),
        tableMiB: Number(rows[0]?.table_bytes ?? 0) / MiB,
        indexesMiB: Object.values(byIndex).reduce((a, b) => a + b, 0),
        indexes: byIndex,
      });
    }
    return sizes;
  } finally {
    await client.end();
  }
}
