"""Stage 4, publish: the safety gate every public output passes (gate: the checks' safety rules and leak scan,
render's sanitiser), the build that runs the site engine (build, county_build with its partitions and cache) and
the all-or-nothing write (write). Imports render and the stages below it."""
