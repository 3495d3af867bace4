"""Live ingestion: safe fetching (``fetch``), feed polling (``watch``), the background worker
(``worker``) and the state they keep in the database (``state``)."""
