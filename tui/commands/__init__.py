"""One module per `ttx` sub-command; each imports heavy libraries only inside its function."""
