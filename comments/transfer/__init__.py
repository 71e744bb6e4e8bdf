"""Moving comments in and out: WordPress (WXR) and Disqus exports read into one shape
(``records``), matched to pages (``matching``), written once (``importer``); and the site's
own comments written as WXR or JSON (``export``)."""
