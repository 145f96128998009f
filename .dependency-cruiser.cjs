/**
 * The layers of the code and the one direction imports may run (README "Layout"). Lower layers
 * never import higher ones; a cycle anywhere is an error. `npm run lint` and CI run this.
 *
 *   schemas/                        types, zod schemas, issue codes, faults: imports nothing of ours
 *   sources/, reports/              pure: bytes -> located answers; report model -> files
 *   pipeline/runtime/               ctx, workspace, raw store, progress, parse pool, wave lists
 *   pipeline/db/                    server, connection, migrations, lock, audit log, issue rows
 *   pipeline/{ingest,returns,foi,feedback,backup,demo}/   the domains (may use each other, no cycles)
 *   pipeline/report/                builds that read the database
 *   pipeline/audit/                 figure trails, corrections, flags, diffs
 *   pipeline/desk/                  the review desk (web app): beside the CLI, started by census serve
 *   pipeline/checker/               the teams' self-check page: beside the CLI, written by census template
 *   pipeline/cli/                   every command
 */
const DOMAINS = '(ingest|returns|foi|feedback|backup|demo)';
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'A cycle means something is in the wrong room.', from: {}, to: { circular: true } },
    { name: 'schemas-import-nothing-of-ours', severity: 'error', from: { path: '^schemas/' }, to: { path: '^(pipeline|sources|reports)/' } },
    { name: 'sources-are-pure', severity: 'error', comment: 'Readers know formats, not the runtime, the database or the report.', from: { path: '^sources/' }, to: { path: '^(pipeline|reports)/' } },
    { name: 'reports-are-pure', severity: 'error', comment: 'Renderers take the report model; they never read the database or the inputs.', from: { path: '^reports/' }, to: { path: '^(pipeline|sources)/' } },
    { name: 'runtime-is-the-floor', severity: 'error', from: { path: '^pipeline/runtime/' }, to: { path: '^pipeline/(?!runtime/)' } },
    { name: 'db-below-the-domains', severity: 'error', from: { path: '^pipeline/db/' }, to: { path: '^pipeline/(?!runtime/|db/)' } },
    { name: 'domains-below-report', severity: 'error', from: { path: `^pipeline/${DOMAINS}/` }, to: { path: '^pipeline/(report|audit|cli)/' } },
    { name: 'report-below-audit', severity: 'error', from: { path: '^pipeline/report/' }, to: { path: '^pipeline/(audit|cli)/' } },
    { name: 'audit-below-cli', severity: 'error', from: { path: '^pipeline/audit/' }, to: { path: '^pipeline/cli/' } },
    { name: 'desk-below-cli', severity: 'error', comment: 'The review desk sits beside the CLI: only the CLI (census serve) starts it.', from: { path: '^pipeline/(?!cli/|desk/)' }, to: { path: '^pipeline/desk/' } },
    { name: 'desk-never-imports-cli', severity: 'error', from: { path: '^pipeline/desk/' }, to: { path: '^pipeline/cli/' } },
    { name: 'checker-below-cli', severity: 'error', comment: 'The self-check page is written by census template alone.', from: { path: '^pipeline/(?!cli/|checker/)' }, to: { path: '^pipeline/checker/' } },
    { name: 'checker-script-runs-in-a-browser', severity: 'error', comment: 'The self-check page runs this code in a browser: nothing of the runtime, the database or the commands may be reachable from it.', from: { path: '^pipeline/checker/browser\\.ts$' }, to: { path: '^pipeline/(runtime|db|cli|desk|report|audit)/', reachable: true } },
    { name: 'pipeline-has-no-loose-files', severity: 'error', comment: 'Every file of pipeline/ lives in the folder of its layer.', from: { path: '^pipeline/[^/]+$' }, to: {} },
    { name: 'product-never-imports-tests', severity: 'error', from: { path: '^(pipeline|sources|schemas|reports)/' }, to: { path: '^test/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^(pipeline|sources|schemas|reports|test)/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
