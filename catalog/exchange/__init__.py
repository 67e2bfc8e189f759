"""The exchange format (../shared/formats/README.md): the format itself, import and export."""
