// Mode `external` only: the Google Consent Mode and IAB TCF adapters, imported when a site uses them.
export { watchExternalConsent } from '@beckon/sdk/core';
