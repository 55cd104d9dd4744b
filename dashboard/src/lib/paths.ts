/** The person page of a site's person: the one place every name in the dashboard links to. */
export const personPath = (siteKey: string, personId: string) =>
  `/sites/${encodeURIComponent(siteKey)}/people/${encodeURIComponent(personId)}`;
