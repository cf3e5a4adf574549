/*
 * Starts Swagger UI on /api/ over the API document.  A file of its own
 * because the page's Content-Security-Policy allows no inline script.
 * Served at /api/docs/swagger-init.js, after swagger-ui-bundle.js.
 */
"use strict";

(function () {
	if (typeof window.SwaggerUIBundle !== "function") {
		var p = document.createElement("p");

		p.textContent = "Swagger UI did not load (/api/docs/swagger-ui-bundle.js). " +
		    "The API document is /api/openapi.json.";
		document.getElementById("swagger-ui").appendChild(p);
		return;
	}
	window.ui = window.SwaggerUIBundle({
		url: "/api/openapi.json",
		dom_id: "#swagger-ui",
		deepLinking: true,
		presets: [window.SwaggerUIBundle.presets.apis],
		layout: "BaseLayout",
		/* No badge from the public validator: nothing leaves this origin. */
		validatorUrl: null,
		/* Tokens typed into Authorize stay in the page, not in localStorage. */
		persistAuthorization: false,
		/* Never read a document URL from the query string. */
		queryConfigEnabled: false,
		displayRequestDuration: true,
		tryItOutEnabled: false
	});
})();
