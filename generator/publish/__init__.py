"""Stage 4, publish: the safety gate every public output passes (gate: the checks' safety rules and leak scan,
render's sanitiser); the build (build: any content folder as a county; partitions: each office's section built apart;
section: one office's; engine: the site engine's run; cache: the sealed entries sections are kept in; asof: the
as-of date written in after the engine) and the all-or-nothing write (write). Imports render and the stages below it."""
