/** Leads: the list with its URL filters, one lead's page, the labels of a lead's status. */
// The page (LeadPage, LeadsPage) is not here: App loads it lazily from ./page.ts, so importing this face never brings it in.
export { statusLabel } from './filters';
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './leads.css';
