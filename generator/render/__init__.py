"""Stage 3, render: the office's site tree (site), the county portal and supervisor's view, poster sheets,
feeds, the data package, the search index and the HTML sanitiser, with the templates, theme and assets
they read. Imports checks, content and the base modules."""
