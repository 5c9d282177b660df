"""`doclint lsp`: the language server, a client of the engine (doclint.session)."""
