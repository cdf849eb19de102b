"""Long work outside the request workers: the job queue (``queue``), its table (``models``) and
each user's page of their jobs and finished files (``views``)."""
