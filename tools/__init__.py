"""The site's own tooling: snippet parsing, checks, the output refresher, build hooks."""
