"""`aliwatch dashboard`: a local page with every order's next deadline, live (server.py: one websockets
server for the page, the calendar and the live feed; token.py: the per-install token; page.html)."""
