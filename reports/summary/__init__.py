"""The summary the province asks for: one document for a period (DOCX and PDF) with the
reports' own figures, section by section (``sections.SECTIONS``), beside the period before
and the same period a year earlier."""
