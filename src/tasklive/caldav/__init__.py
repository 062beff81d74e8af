"""CalDAV (RFC 4791) with WebDAV sync (RFC 6578): task lists as VTODO calendar collections."""
