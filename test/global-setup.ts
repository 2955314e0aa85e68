/** Once per run: migrate the PostgreSQL test database (each PGlite test file migrates its own). */
import { openDatabase } from '../src/lib/db/client.ts';

export default async function setup() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const database = await openDatabase({ databaseUrl: url });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
}
