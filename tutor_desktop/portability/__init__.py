"""Export, import and statements without the database or the windows: CSV files written and read with the
standard library, and a client's statement as text (and, in statement_pdf, as a PDF through Qt)."""
