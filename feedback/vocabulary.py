"""The words of monitoring-point feedback, importable without Flask or the database (``scoring``
reads the ratings by them)."""

# The dimensions a point rates, in order, by their column in the feedback table and feedback.csv.
DIMENSIONS = {"d1": "服务意识", "d2": "服务态度", "d3": "制度执行", "d4": "执法情况", "d5": "案件投诉与处理"}
SCALE = {5: "很好", 4: "较好", 3: "一般", 2: "较差", 1: "很差"}
