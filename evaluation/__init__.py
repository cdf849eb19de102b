"""The annual evaluation: the year's data turned into the scoring package's bundle (``service``),
the ranking page with its drill-down and the dashboard (``views``), and the year-end products
(``report``: the report PDF, the bulletin, the workbook and the charts)."""
