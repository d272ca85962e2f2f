// The API reference page: swagger-ui (static/vendor/swagger-ui) reading our OpenAPI schema.
// A file of its own rather than an inline script, so the page keeps the site's CSP.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") return;
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    deepLinking: true,
    defaultModelsExpandDepth: 0,
    // Never send the schema to swagger.io's validator: the page talks to this site only.
    validatorUrl: null,
  });
})();
