// The API's interactive page: Swagger UI from our static files (no CDN), configured from a JSON script tag
// so that the page needs no inline script under the Content-Security-Policy.
(function () {
  "use strict";
  const settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  const csrfToken = document.body.dataset.csrfToken;
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  if (csrfToken) {
    // A signed-in browser's writes need the CSRF token, as on every page.
    settings.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = csrfToken;
      return request;
    };
  }
  SwaggerUIBundle(settings);
})();
