"""The public entry page: what the centre does, filing and looking up a complaint, the hotlines."""
