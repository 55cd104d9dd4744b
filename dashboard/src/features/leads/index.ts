/** Leads: the list with its URL filters, one lead's page, the labels of a lead's status. */
export { LeadPage } from './LeadPage';
export { LeadsPage } from './LeadsPage';
export { lostReasonLabel, statusLabel, temperatureLabel } from './filters';
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './leads.css';
