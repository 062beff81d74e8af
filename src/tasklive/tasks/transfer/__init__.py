"""Import and export: Todoist CSV, Taskwarrior JSON, iCalendar VTODOs and tasklive's own JSON."""
