// The API reference page: the vendored Swagger UI over the document this app serves. A file, not an inline script:
// the page's CSP runs only the app's own files.
'use strict';

(function start() {
  const root = document.getElementById('api-docs');
  const url = new URL(root.dataset.document, document.baseURI).href;
  if (typeof window.SwaggerUIBundle !== 'function') {
    document.getElementById('message').textContent = 'The viewer did not load. The document itself is at ' + url + '.';
    return;
  }

  window.ui = window.SwaggerUIBundle({
    url,
    domNode: root,
    // Only the core preset and layout: the standalone preset's top bar brings an inline style the CSP refuses.
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    deepLinking: true,
    // No badge from the public validator: the page loads nothing from another origin.
    validatorUrl: null,
    // The keys stay in this tab only.
    persistAuthorization: false,
    displayOperationId: true,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
  });
}());
