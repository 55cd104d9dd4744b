/** Leads: the list with its URL filters, one lead's page, the labels of a lead's status. */
import './leads.css';
export { LeadPage } from './LeadPage';
export { LeadsPage } from './LeadsPage';
export { statusLabels } from './filters';
