"""Stage 1, content: reading a content folder into records (folder, load, records, types/), the county and its
offices (county), the working-day calendar and the schedules built on it (workdays, schedule), where each thing
an office publishes is found on its site (addresses), PDF attachments and the annual report's tables. Imports
only the base modules beside this package."""
