"""Stage 1, content: reading a content folder into records (load, records, types/), the county and its
offices (county), the working-day calendar and the schedules built on it (workdays, schedule), PDF
attachments and the annual report's tables. Imports only the base modules beside this package."""
