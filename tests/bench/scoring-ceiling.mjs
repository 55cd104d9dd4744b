// npm run bench:scoring-ceiling — how far any scorer can rank the Online Shoppers sessions with what each
// set of columns carries: a plain logistic regression (the server's own `fitLogistic`, L2 = 1) fitted on
// the same 70 % as `bench:scoring` (same seed) and measured on the other 30 %. The first row is what the
// replay sends through the tag; the others add one column group the replay does not carry, so the table
// shows which of them the "observable columns" figure needs. Not a test: it measures and prints.
import { readFileSync } from 'node:fs';
import { fitLogistic, predictLogit } from '../../server/dist/features/scoring/learn.js';
import { auc, seeded } from './shoppers.mjs';

const [header, ...lines] = readFileSync(
  new URL('../fixtures/online-shoppers/online_shoppers_intention.csv', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n');
const columns = header.split(',');
const rows = lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell])));

// The split of bench:scoring: a Fisher–Yates shuffle of the session indexes with seed 42, the first 70 % train.
const random = seeded(42);
const order = rows.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [order[i], order[j]] = [order[j], order[i]];
}
const train = new Set(order.slice(0, Math.floor(order.length * 0.7)));

const levels = (name) => [...new Set(rows.map((row) => row[name]))].sort();
const oneHot = (name) => {
  const values = levels(name).slice(1);
  return (row) => values.map((value) => (row[name] === value ? 1 : 0));
};
const log = (value) => Math.log1p(Number(value));
const traffic = oneHot('TrafficType');
const system = oneHot('OperatingSystems');
// What the replay sends: page counts and times by type, new vs returning, traffic source, device.
const replayed = (row) => [
  log(row.Administrative),
  log(row.Administrative_Duration),
  log(row.Informational),
  log(row.Informational_Duration),
  log(row.ProductRelated),
  log(row.ProductRelated_Duration),
  row.VisitorType === 'Returning_Visitor' ? 1 : 0,
  row.VisitorType === 'Other' ? 1 : 0,
  ...traffic(row),
  ...system(row),
];
const pageRates = (row) => [Number(row.BounceRates) * 10, Number(row.ExitRates) * 10];
const month = oneHot('Month');
const browser = oneHot('Browser');
const region = oneHot('Region');
const calendar = (row) => [row.Weekend === 'TRUE' ? 1 : 0, Number(row.SpecialDay)];

const featureSets = [
  ['what the replay sends (bench:scoring)', replayed],
  ['+ browser', (row) => [...replayed(row), ...browser(row)]],
  ['+ region', (row) => [...replayed(row), ...region(row)]],
  ['+ weekend, special day', (row) => [...replayed(row), ...calendar(row)]],
  ['+ month', (row) => [...replayed(row), ...month(row)]],
  ['+ BounceRates, ExitRates (GA page averages)', (row) => [...replayed(row), ...pageRates(row)]],
  [
    'every column but PageValues',
    (row) => [...replayed(row), ...pageRates(row), ...browser(row), ...region(row), ...calendar(row), ...month(row)],
  ],
];

const won = (row) => (row.Revenue === 'TRUE' ? 1 : 0);
const training = rows.filter((_, i) => train.has(i));
const held = rows.filter((_, i) => !train.has(i));
const results = featureSets.map(([name, features]) => {
  const model = fitLogistic(training.map(features), training.map(won), { l2: 1, withErrors: false });
  return { name, auc: auc(held.map((row) => ({ score: predictLogit(model, features(row)), won: won(row) === 1 }))) };
});

const title = 'columns (logistic regression, 70/30 split of bench:scoring)';
const width = Math.max(title.length, ...results.map((r) => r.name.length));
console.log(`${title.padEnd(width)}  held-out AUC`);
console.log(`${'-'.repeat(width)}  ------------`);
for (const { name, auc: value } of results) console.log(`${name.padEnd(width)}  ${value.toFixed(3)}`);
const replay = results[0].auc;
const withRates = results.find((r) => r.name.startsWith('+ BounceRates')).auc;
console.log(
  `\nscoring-ceiling: replay_lr_auc=${replay.toFixed(3)} with_page_rates_auc=${withRates.toFixed(3)} all_but_pagevalues_auc=${results.at(-1).auc.toFixed(3)}`,
);
