"""Rule packs bundled with doclint: select one by name with `rules = ["oscilla"]`."""
