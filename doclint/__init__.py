"""doclint: keeps Markdown documentation true to a TypeScript codebase."""

__version__ = "0.1.0"
