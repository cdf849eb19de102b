"""Complaint case management for the 投资企业投诉服务中心: deadline rule sets (``rules``), the
official working-day calendar (``calendar``, ``calendar_store``), the workflow (``operations``),
reads and work queues (``queries``) with their maintained counts (``queuecounts``), the KPIs (``kpis``) and their per-day table (``daystats``),
the pages (``views``) and the JSON API (``api``)."""
