// Gathers the built front-ends into server/public so the server (and a deployment) is self-contained.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = (path) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const publicDir = fileURLToPath(new URL('../public', import.meta.url));

rmSync(publicDir, { recursive: true, force: true });
mkdirSync(publicDir, { recursive: true });

const copies = [
  ['widget/dist', '.', 'the widget (npm run build -w widget)'],
  ['dashboard/dist', 'app', 'the dashboard (npm run build -w dashboard)'],
  ['examples/demo-shop', 'demo', 'the demo shop'],
];
for (const [source, target, what] of copies) {
  if (!existsSync(from(source))) {
    console.warn(`copy-assets: ${source} is missing, so ${what} will not be served`);
    continue;
  }
  cpSync(from(source), `${publicDir}/${target}`, {
    recursive: true,
    filter: (path) => !/(package\.json|README\.md|node_modules|\.tsbuildinfo)$/.test(path),
  });
}
console.log(`copy-assets: front-ends copied to ${publicDir}`);
