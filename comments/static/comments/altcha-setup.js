/* The ALTCHA widget's proof-of-work worker, served from our static files: the "external"
 * ALTCHA build bundles no worker (the default build starts them from blob: URLs, which the
 * site's CSP does not allow). Loaded as a module after the widget's own module, so
 * $altcha exists and no challenge has been solved yet. */
const widget = document.querySelector("altcha-widget[data-worker-url]");
if (widget && globalThis.$altcha) {
  const workerUrl = widget.dataset.workerUrl;
  for (const algorithm of ["PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512"]) {
    globalThis.$altcha.algorithms.set(algorithm, () => new Worker(workerUrl));
  }
}
