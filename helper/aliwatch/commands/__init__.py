"""One module per CLI subcommand that needs more than a few lines."""
