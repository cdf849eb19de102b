"""The year-end evaluation products: the report PDF, the bulletin, the workbook and the charts.

Everything here works from an evaluation bundle plus, when there is a database, the inspection
register; nothing is written back.
"""
