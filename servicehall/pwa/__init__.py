"""The hall as an installable web app: the manifest, the service worker and the offline page."""
