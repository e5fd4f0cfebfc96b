"""Export and import: File > Export… writes the studio as CSV files; File > Import… adds clients or packages from
a spreadsheet, with a preview of which column goes where."""
