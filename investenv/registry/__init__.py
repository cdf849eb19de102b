"""The registry every domain stands on: prefectures and counties, enterprises and monitoring
points (测评点), their compliance, and the enterprise import.  The pages live in ``views``."""
