"""Request-Response: the Responses API (POST /responses), directly or as batch items."""
