export default {
  title: 'API reference',
  description:
    'Every route of this server’s API, with its parameters, request and response bodies, errors, the API key scope it needs, and the webhook events.',
  keysLink: 'Create an API key',
  documentLink: 'OpenAPI 3.1 document (JSON)',
  loading: 'Loading the API reference',
  loadFailed: 'Could not load the API reference: {error}',
};
