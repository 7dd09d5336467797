"""One module per request type: its validation and its reply shape (dispatch.py only routes)."""
