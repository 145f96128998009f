/** Pins the time zone for every test process; the database server is started per file by test/support/db.ts. */
export default function setup(): void {
  process.env.TZ = 'Europe/London';
}
